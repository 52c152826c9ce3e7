/**
 * CSV (RFC 4180) a spreadsheet opens without running anything: a cell it would read as a formula
 * (`=`, `+`, `-`, `@`), or that a tab or carriage return could turn into one, gets a leading
 * apostrophe (OWASP's advice for CSV injection) and shows as text. Every export uses these.
 */

const FORMULA_START = /^[=+\-@\t\r]/;

/** One cell: dates as ISO, objects as JSON, quoted when it holds a comma, quote or line break. */
export function csvCell(value: unknown): string {
  let text: string;
  if (value === null || value === undefined) text = '';
  else if (value instanceof Date) text = value.toISOString();
  else if (typeof value === 'object') text = JSON.stringify(value);
  else text = String(value);
  if (FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * Rows as CSV with a header of every column seen (or the columns given, in their order), CRLF
 * line ends; a header only when there are no rows.
 */
export function toCsv(rows: readonly Record<string, unknown>[], header: readonly string[] = []): string {
  const columns: string[] = [...header];
  for (const row of rows) for (const name of Object.keys(row)) if (!columns.includes(name)) columns.push(name);
  const lines = [
    columns.map(csvCell).join(','),
    ...rows.map((row) => columns.map((name) => csvCell(row[name])).join(',')),
  ];
  return `${lines.join('\r\n')}\r\n`;
}
