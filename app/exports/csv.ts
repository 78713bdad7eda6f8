/**
 * Spreadsheets read a cell starting with one of these as a formula. Whatever follows does not
 * matter: "-1+HYPERLINK(...)" starts like a number and is still a formula.
 */
const FORMULA_TRIGGER = /^[=+\-@\t\r]/;

/**
 * RFC 4180 CSV. A cell starting with a formula trigger gets a leading apostrophe (OWASP's advice
 * on CSV injection), so opening an export cannot run anything. The price: a phone number such as
 * "+1 555 0101" or an amount such as "-12.50" reads with an apostrophe in a plain-text viewer.
 */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return "";
  let text = typeof value === "object" ? JSON.stringify(value) : String(value);
  if (FORMULA_TRIGGER.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export const csvRow = (cells: unknown[]) => `${cells.map(csvCell).join(",")}\r\n`;

/** A CSV file: a header row, then one row per record, streamed. */
export async function* csvFile<T>(
  columns: readonly string[],
  rows: AsyncIterable<T> | Iterable<T>,
  cells: (row: T) => unknown[],
) {
  yield csvRow([...columns]);
  for await (const row of rows) yield csvRow(cells(row));
}
