import { describe, expect, it } from 'vitest';
import { CSV_LIMITS, CsvEncodingError, type CsvRecord, parseCsv } from '../src/campaigns/csv.js';

/** The list reader: RFC 4180 as spreadsheets write it, streamed in chunks of any size. */

const bytes = (text: string | Uint8Array) => (typeof text === 'string' ? new TextEncoder().encode(text) : text);

/** The file in chunks of `size` bytes: a record, a quote or a UTF-8 letter may straddle two. */
async function* chunked(data: Uint8Array, size: number) {
  for (let i = 0; i < data.length; i += size) yield data.subarray(i, i + size);
}

async function read(text: string | Uint8Array, size = 7, options = {}) {
  const out: (CsvRecord & { delimiter: string })[] = [];
  for await (const record of parseCsv(chunked(bytes(text), size), options)) out.push(record);
  return out;
}

const fieldsOf = (records: CsvRecord[]) => records.map((r) => ('fields' in r ? r.fields : r.error));

describe('campaign list CSV reader', () => {
  it('reads quoted fields, doubled quotes, empty fields and CRLF, whatever the chunk size', async () => {
    const text = 'telefon,ad,not\r\n05321234567,"Demir, Ayşe","dedi ki ""merhaba"""\r\n05321234568,,\r\n';
    for (const size of [1, 2, 3, 5, 64, 4096]) {
      expect(fieldsOf(await read(text, size))).toEqual([
        ['telefon', 'ad', 'not'],
        ['05321234567', 'Demir, Ayşe', 'dedi ki "merhaba"'],
        ['05321234568', '', ''],
      ]);
    }
  });

  it('keeps a line break inside quotes in its field, and numbers rows as a spreadsheet does', async () => {
    const records = await read('phone,address\n"0532","Atatürk Cd.\nNo: 5"\n\n0533,x\n');
    expect(fieldsOf(records)).toEqual([
      ['phone', 'address'],
      ['0532', 'Atatürk Cd.\nNo: 5'],
      ['0533', 'x'],
    ]);
    // The header is row 1; the empty line is row 3 and is skipped.
    expect(records.map((r) => r.row)).toEqual([1, 2, 4]);
  });

  it('detects the semicolon Excel writes in Turkish, and keeps commas in the fields then', async () => {
    const records = await read('telefon;ad;onay\n0532 123 45 67;Yılmaz, Ali;evet\n');
    expect(records[0]?.delimiter).toBe(';');
    expect(fieldsOf(records)).toEqual([
      ['telefon', 'ad', 'onay'],
      ['0532 123 45 67', 'Yılmaz, Ali', 'evet'],
    ]);
  });

  it('skips a UTF-8 byte order mark, and reads the last row without a line end', async () => {
    const withBom = new Uint8Array([0xef, 0xbb, 0xbf, ...bytes('telefon,ad\n0532,Şule')]);
    expect(fieldsOf(await read(withBom, 2))).toEqual([
      ['telefon', 'ad'],
      ['0532', 'Şule'],
    ]);
  });

  it('rejects a record over 4 KB (and no more than it) and one with too many columns', async () => {
    const long = `0532,"${'x'.repeat(CSV_LIMITS.maxRecordBytes)}"`;
    const wide = Array.from({ length: CSV_LIMITS.maxColumns + 1 }, (_, i) => `c${i}`).join(',');
    const records = await read(`phone,note\n${long}\n0533,ok\n${wide}\n0534,"a\nb"\n`, 100);
    expect(fieldsOf(records)).toEqual([
      ['phone', 'note'],
      'row-too-long',
      ['0533', 'ok'],
      'too-many-columns',
      ['0534', 'a\nb'],
    ]);
    expect(records.map((r) => r.row)).toEqual([1, 2, 3, 4, 5]);
  });

  it('rejects a row that is not UTF-8 (a Windows-1254 "ü") as encoding, and reads the others', async () => {
    const latin = new Uint8Array([...bytes('phone,name\n0532,T'), 0xfc, ...bytes('rkan\n0533,Ok\n')]);
    expect(fieldsOf(await read(latin, 4))).toEqual([['phone', 'name'], 'encoding', ['0533', 'Ok']]);
  });

  it('refuses a UTF-16 file whole', async () => {
    const utf16 = new Uint8Array([0xff, 0xfe, ...bytes('p\0h\0')]);
    await expect(read(utf16)).rejects.toBeInstanceOf(CsvEncodingError);
  });

  it.each([
    ['LF', '\n'],
    ['CRLF', '\r\n'],
  ])('resumes from a record boundary with the byte offset and row it gave (%s)', async (_, end) => {
    const text = bytes(['phone;name', '0532;"A\nB"', '0533;C', '', '0534;D', ''].join(end));
    const all = await read(text);
    const second = all[1] as CsvRecord;
    const rest: CsvRecord[] = [];
    for await (const record of parseCsv(chunked(text.subarray(second.next), 3), {
      offset: second.next,
      row: second.row + 1,
      delimiter: ';',
      afterCr: second.cr === true,
    })) {
      rest.push(record);
    }
    expect(rest).toEqual(all.slice(2));
    expect(fieldsOf(rest)).toEqual([
      ['0533', 'C'],
      ['0534', 'D'],
    ]);
    expect(rest.map((r) => r.row)).toEqual([3, 5]);
  });
});
