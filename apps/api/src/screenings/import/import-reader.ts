export { ColumnPlanError };
import type { ScreeningColumns, ScreeningFormat } from '@matcher/persistence';
import { ColumnLimitExceeded, KeyResolver, planColumns } from './column-mapping';
import { importMessages } from './import-messages';
import {
  ColumnPlanError,
  firstNonBlankRow,
  fixesByHeader,
  isBlankCell,
  isBlankRow,
  isObject,
  jsonCells,
  NoHeaderRow,
  RowLimitExceeded,
} from './preview-reader';
import type { PreviewLimits, PreviewRequest } from './preview-reader';
import { buildProfile, type BuiltProfile, type Cell } from './profile-builder';
import { csvRows, ndjsonLines, xlsxRows } from './row-sources';
import { checkXlsxBounds } from './xlsx-bounds';

/** A row read for storing: its position, the sheet's own number when different, its profile or errors, its cells. */
export interface ReadRow {
  row: number;
  /** The sheet's own row number, when it is not the position. */
  sheetRow?: number;
  built: BuiltProfile;
  /** The row's cells as text, in the file's column order (given back in exports). */
  cells?: string[];
}

/** What the reading sends as it goes: the columns once (before any row), then rows in batches. */
export type ImportMessage = { kind: 'columns'; columns: ScreeningColumns } | { kind: 'rows'; rows: ReadRow[] };

export interface ImportRead {
  /** The columns as finally known (NDJSON learns its keys while reading). */
  columns: ScreeningColumns;
  warnings: { message: string; column?: string }[];
}

/** Rows per message: the request thread writes them as one INSERT. */
const SEND_ROWS = 250;

/** The last row number a spreadsheet has (Excel's limit); higher numbers are not taken as positions. */
const LAST_SHEET_ROW = 1_048_576;

function positionOf(sheetRow: number, previous: number): number {
  return Number.isSafeInteger(sheetRow) && sheetRow > previous && sheetRow <= LAST_SHEET_ROW ? sheetRow : previous + 1;
}

/** A cell as the officer sees it: text, numbers as written, dates as YYYY-MM-DD. */
function cellText(c: unknown): string {
  if (c === null || c === undefined) return '';
  if (c instanceof Date) return c.toISOString().slice(0, 10);
  return typeof c === 'string' ? c : typeof c === 'number' || typeof c === 'boolean' ? String(c) : JSON.stringify(c);
}

/**
 * Reads an upload for storing: each data row becomes a profile (or a failed row with its reasons), sent in batches
 * through `send`, which resolves once the request thread has taken the batch (so at most one waits in memory). Pure
 * and CPU-heavy: it runs in the worker pool, the request thread only writes what it is sent.
 */
export async function readImport(
  path: string,
  format: ScreeningFormat,
  request: PreviewRequest,
  limits: PreviewLimits,
  send: (message: ImportMessage) => Promise<void>,
): Promise<ImportRead> {
  const warnings: ImportRead['warnings'] = [];
  const fixes = fixesByHeader(request.fixes);
  let count = 0;
  let batch: ReadRow[] = [];
  const add = async (row: ReadRow): Promise<void> => {
    batch.push(row);
    if (batch.length >= SEND_ROWS) {
      const rows = batch;
      batch = [];
      await send({ kind: 'rows', rows });
    }
  };
  const countRow = (): void => {
    if (count + 1 > limits.maxRows) throw new RowLimitExceeded();
    count += 1;
  };
  const checkColumns = (n: number): void => {
    if (n > limits.maxColumns) throw new ColumnLimitExceeded(n, limits.maxColumns, 'columns');
  };
  let columns: ScreeningColumns;
  if (format === 'ndjson') {
    const resolver = new KeyResolver(request.mapping, limits.maxColumns);
    columns = resolver.columns;
    await send({ kind: 'columns', columns });
    for await (const line of ndjsonLines(path, limits.ndjsonMaxLineBytes)) {
      countRow();
      const failure = 'error' in line ? line.error : isObject(line.value) ? undefined : 'must be a JSON object (one profile per line)';
      if (failure !== undefined) await add({ row: line.row, built: { errors: [{ path: '', message: failure }], name: null, uscc: null } });
      else
        await add({
          row: line.row,
          built: buildProfile(jsonCells((line as { value: unknown }).value, resolver, fixes), { row: line.row, lang: request.lang }),
        });
    }
  } else {
    const rows = format === 'csv' ? csvRows(path) : xlsxRows(path, limits.xlsx, checkXlsxBounds);
    const header = await firstNonBlankRow(rows);
    if (!header) throw new NoHeaderRow();
    checkColumns(header.cells.length);
    // eslint-disable-next-line @typescript-eslint/no-base-to-string -- header cells are text, numbers or dates as the readers give them
    const headers = header.cells.map((c) => (c === null || c === undefined ? '' : String(c instanceof Date ? c.toISOString().slice(0, 10) : c)));
    const { plan, errors } = planColumns(headers, request.mapping, request.lang);
    if (!plan) throw new ColumnPlanError(errors);
    // The officer's header, in order: exports give the list back with the answer's columns after it.
    columns = { ...plan.columns, headers: headers.map((h) => h.trim()) };
    await send({ kind: 'columns', columns });
    let overflowReported = false;
    // Prospects are numbered by position as read: the sheet's own number while rows ascend (so a CSV or an
    // ordinary workbook keeps the numbers a spreadsheet shows), the next number otherwise — rows out of order,
    // repeated or numbered past the last sheet row cannot collide or escape a chunk. The sheet's number is kept beside.
    let position = positionOf(header.row, 0);
    for await (const { row: sheetRow, cells } of rows) {
      position = positionOf(sheetRow, position);
      const row = position;
      checkColumns(cells.length);
      if (isBlankRow(cells)) continue;
      countRow();
      const picked: Cell[] = [];
      for (let i = 0; i < cells.length; i++) {
        const field = plan.fields[i];
        if (field) picked.push({ field, header: headers[i].trim(), value: cells[i], fixes: fixes.get(headers[i].trim()) });
        else if (i >= headers.length && !overflowReported && !isBlankCell(cells[i])) {
          overflowReported = true;
          warnings.push({ message: importMessages.beyondLastColumn(request.lang, row) });
        }
      }
      await add({
        row,
        sheetRow: sheetRow === row ? undefined : sheetRow,
        built: buildProfile(picked, { row, lang: request.lang }),
        cells: headers.map((_, i) => cellText(cells[i])),
      });
    }
  }
  if (batch.length) await send({ kind: 'rows', rows: batch });
  return { columns, warnings };
}
