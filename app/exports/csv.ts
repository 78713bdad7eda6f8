/**
 * RFC 4180 CSV. Cells a spreadsheet would run as a formula (=, @, or +/- not starting a number)
 * get a leading apostrophe, so opening an export cannot execute anything; phone numbers such as
 * "+1 555 0101" stay as they are.
 */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return "";
  let text = typeof value === "object" ? JSON.stringify(value) : String(value);
  if (/^[=@\t\r]/.test(text) || /^[+-](?![\d\s.(])/.test(text)) text = `'${text}`;
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
