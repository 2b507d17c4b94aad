/** Client-side downloads: CSV (UTF-8 with BOM, so spreadsheet programs read Chinese) and JSON. */

/** What a CSV cell can hold; a list is joined with "; ". */
export type CsvCell = string | number | boolean | null | undefined | readonly (string | number)[];

function cell(value: CsvCell): string {
  const s = value === null || value === undefined ? '' : Array.isArray(value) ? value.join('; ') : String(value);
  // A leading = + - @ would be read as a formula by spreadsheet programs.
  const safe = /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** CSV with a BOM (Excel reads UTF-8); `preamble` lines (a title, the date) come before the header. */
export function toCsv(header: string[], rows: CsvCell[][], preamble: CsvCell[][] = []): string {
  return '\ufeff' + [...preamble, header, ...rows].map((r) => r.map(cell).join(',')).join('\r\n') + '\r\n';
}

export function downloadBlob(filename: string, content: string, type: string): void {
  const url = URL.createObjectURL(new Blob([content], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.rel = 'noopener';
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function fileStamp(): string {
  return new Date().toISOString().slice(0, 16).replace(/[-:T]/g, '');
}
