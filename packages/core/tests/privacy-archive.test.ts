import { unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { toCsv } from '../src/platform/csv.js';
import { zipFiles } from '../src/privacy/archive.js';

/** The archive a person takes their data away in, read back by an independent ZIP reader (fflate). */
describe('toCsv', () => {
  it('quotes as RFC 4180 says and defuses every cell a spreadsheet would run', () => {
    const csv = toCsv([
      { text: '=HYPERLINK("http://x","click")', n: 1 },
      { text: '+90 555', n: -2, extra: '@SUM(A1)' },
      { text: 'a, "b"\nc', n: null, extra: '\tcmd' },
      { text: '\r=1', n: 'plain' },
    ]);
    expect(csv.split('\r\n')).toEqual([
      'text,n,extra',
      `"'=HYPERLINK(""http://x"",""click"")",1,`,
      "'+90 555,'-2,'@SUM(A1)",
      `"a, ""b""\nc",,'\tcmd`,
      `"'\r=1",plain,`,
      '',
    ]);
  });
});

describe('zipFiles', () => {
  it('writes a ZIP another reader opens, deflated or stored, UTF-8 names and text intact', () => {
    const big = 'Merhaba, siparişim nerede? '.repeat(200);
    const tiny = new Uint8Array([0, 255, 7]);
    const zip = zipFiles([
      { name: 'contact.json', data: JSON.stringify({ name: 'Ayşe Yılmaz' }) },
      { name: 'messages.csv', data: big },
      { name: 'bölüm/ham.bin', data: tiny },
      { name: 'empty.csv', data: '' },
    ]);
    const files = unzipSync(zip);
    expect(Object.keys(files).sort()).toEqual(['bölüm/ham.bin', 'contact.json', 'empty.csv', 'messages.csv']);
    expect(JSON.parse(new TextDecoder().decode(files['contact.json']))).toEqual({ name: 'Ayşe Yılmaz' });
    expect(new TextDecoder().decode(files['messages.csv'])).toBe(big);
    expect([...files['bölüm/ham.bin']!]).toEqual([0, 255, 7]);
    expect(files['empty.csv']).toHaveLength(0);
    // The repeated text was deflated: the archive is smaller than what it holds.
    expect(zip.length).toBeLessThan(big.length);
  });

  it('refuses names that would land outside the folder it is opened in', () => {
    expect(() => zipFiles([{ name: '../x', data: 'a' }])).toThrow(/unusable/);
    expect(() => zipFiles([{ name: '/etc/x', data: 'a' }])).toThrow(/unusable/);
  });
});
