/**
 * Reads a customer list as spreadsheets save it (RFC 4180: quoted fields, `""` inside quotes,
 * line breaks inside quoted fields, CRLF or LF), with a comma or, as Excel writes it in Turkish,
 * a semicolon, in UTF-8 with or without a byte order mark. It reads a byte stream record by
 * record and keeps only the current record, so a file of any size goes through in flat memory,
 * and it works on bytes (the structural characters are ASCII, which never occurs inside a UTF-8
 * sequence), so each record's byte offset is exact and an import can resume from one.
 */

export const CSV_LIMITS = {
  /** A record longer than this is rejected whole (and skipped without being kept). */
  maxRecordBytes: 4096,
  maxColumns: 50,
  /** Data rows, the header excluded. */
  maxRows: 1_000_000,
} as const;

const QUOTE = 0x22;
const CR = 0x0d;
const LF = 0x0a;
const COMMA = 0x2c;
const SEMICOLON = 0x3b;

export type Delimiter = ',' | ';';

/**
 * One record of the file. `row` counts records from 1 (the header), as a spreadsheet numbers its
 * rows, so a merchant finds a rejected row where the report says; `next` is the byte offset just
 * after it (where reading resumes).
 */
export type CsvRecord = (
  | { row: number; next: number; fields: string[] }
  | { row: number; next: number; error: 'row-too-long' | 'too-many-columns' | 'encoding' }
) & {
  /** It ended with a CR: a LF right at `next` still belongs to its line end (resume with `afterCr`). */
  cr?: true;
};

/** The file is not text this reader takes (UTF-16, for one): nothing in it can be read. */
export class CsvEncodingError extends Error {
  override name = 'CsvEncodingError';
}

const decoder = new TextDecoder('utf-8', { fatal: true });

/** Splits one record's bytes into fields; throws on bytes that are not UTF-8. */
export function splitRecord(bytes: Uint8Array, delimiter: Delimiter): string[] {
  const sep = delimiter === ',' ? COMMA : SEMICOLON;
  const fields: string[] = [];
  let i = 0;
  const n = bytes.length;
  for (;;) {
    if (i < n && bytes[i] === QUOTE) {
      // Quoted: up to the quote not doubled; anything between that quote and the delimiter is kept (lenient).
      const parts: Uint8Array[] = [];
      let from = i + 1;
      let j = from;
      for (;;) {
        if (j >= n) {
          parts.push(bytes.subarray(from, n));
          i = n;
          break;
        }
        if (bytes[j] === QUOTE) {
          if (bytes[j + 1] === QUOTE) {
            parts.push(bytes.subarray(from, j + 1));
            j += 2;
            from = j;
            continue;
          }
          parts.push(bytes.subarray(from, j));
          let k = j + 1;
          while (k < n && bytes[k] !== sep) k++;
          parts.push(bytes.subarray(j + 1, k));
          i = k;
          break;
        }
        j++;
      }
      fields.push(parts.map((part) => decoder.decode(part)).join(''));
    } else {
      let k = i;
      while (k < n && bytes[k] !== sep) k++;
      fields.push(decoder.decode(bytes.subarray(i, k)));
      i = k;
    }
    if (i >= n) break;
    i++; // the delimiter
    if (i === n) {
      fields.push('');
      break;
    }
  }
  return fields;
}

/** The delimiter of a header: whichever of `;` and `,` occurs more outside quotes (a comma on a tie). */
export function detectDelimiter(header: Uint8Array): Delimiter {
  let quoted = false;
  let commas = 0;
  let semicolons = 0;
  for (const byte of header) {
    if (byte === QUOTE) quoted = !quoted;
    else if (!quoted && byte === COMMA) commas++;
    else if (!quoted && byte === SEMICOLON) semicolons++;
  }
  return semicolons > commas ? ';' : ',';
}

/**
 * The raw records of a byte stream: each one's bytes (undefined when over the limit, which is
 * scanned to its end but not kept) and the offset after it. `offset` is where the stream starts
 * in the file: 0 for the whole file, a record boundary when resuming.
 */
async function* rawRecords(
  source: AsyncIterable<Uint8Array>,
  offset: number,
  resumedAfterCr: boolean,
): AsyncGenerator<{ bytes: Uint8Array | undefined; next: number; empty: boolean; cr: boolean }> {
  const buffer = new Uint8Array(CSV_LIMITS.maxRecordBytes);
  let length = 0;
  let tooLong = false;
  let quoted = false;
  let position = offset;
  let afterCr = resumedAfterCr;
  let first = offset === 0;
  const take = (cr = false) => {
    const record = {
      bytes: tooLong ? undefined : buffer.slice(0, length),
      next: position,
      empty: !tooLong && length === 0,
      cr,
    };
    length = 0;
    tooLong = false;
    quoted = false;
    return record;
  };
  for await (const chunk of source) {
    let start = 0;
    if (first && chunk.length > 0) {
      first = false;
      if (chunk[0] === 0xff || chunk[0] === 0xfe || chunk[0] === 0x00 || chunk[1] === 0x00) {
        throw new CsvEncodingError('The file is not UTF-8 text (it looks like UTF-16)');
      }
      if (chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) start = 3;
    }
    for (let i = start; i < chunk.length; i++) {
      const byte = chunk[i] as number;
      position = offset + i + 1;
      if (afterCr) {
        afterCr = false;
        if (byte === LF) continue;
      }
      if (!quoted && (byte === LF || byte === CR)) {
        if (byte === CR) afterCr = true;
        yield take(byte === CR);
        continue;
      }
      if (byte === QUOTE) quoted = !quoted;
      if (length < buffer.length) buffer[length++] = byte;
      else tooLong = true;
    }
    offset += chunk.length;
    position = offset;
  }
  if (length > 0 || tooLong) yield take();
}

/**
 * The records of a CSV stream. Reading from the start, the header comes first (row 1) and fixes
 * the delimiter; resuming, pass the delimiter and the row of the record at `offset`. Empty lines
 * are counted as rows but not answered.
 */
export async function* parseCsv(
  source: AsyncIterable<Uint8Array>,
  options: { offset?: number; row?: number; delimiter?: Delimiter; afterCr?: boolean } = {},
): AsyncGenerator<CsvRecord & { delimiter: Delimiter }> {
  let delimiter = options.delimiter;
  let row = (options.row ?? 1) - 1;
  for await (const raw of rawRecords(source, options.offset ?? 0, options.afterCr === true)) {
    row++;
    if (raw.empty) continue;
    const cr = raw.cr ? ({ cr: true } as const) : {};
    if (!raw.bytes) {
      yield { row, next: raw.next, error: 'row-too-long', delimiter: delimiter ?? ',', ...cr };
      continue;
    }
    delimiter ??= detectDelimiter(raw.bytes);
    let fields: string[];
    try {
      fields = splitRecord(raw.bytes, delimiter);
    } catch {
      yield { row, next: raw.next, error: 'encoding', delimiter, ...cr };
      continue;
    }
    if (fields.length > CSV_LIMITS.maxColumns)
      yield { row, next: raw.next, error: 'too-many-columns', delimiter, ...cr };
    else yield { row, next: raw.next, fields, delimiter, ...cr };
  }
}
