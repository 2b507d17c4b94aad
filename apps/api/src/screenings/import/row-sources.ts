import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { TextDecoder } from 'node:util';
import ExcelJS from 'exceljs';
import type { ScreeningFormat } from '@matcher/persistence';
import { readLines } from '../../batch/line-reader';
import { stripNul, stripNulDeep } from '../../common/nul';
import { csvRecords, CsvSyntaxError } from './csv-records';
import { internalKind, isZlibError } from '../../common/internal-error';
// The error class alone: this module runs in worker threads too, where the pool itself is not wanted.
import { WorkLimitError } from '../../workers/work-limit-error';
import { checkXlsxBounds, xlsxTooSlow, XlsxBoundsError, type XlsxBounds } from './xlsx-bounds';

/** A data row as the sheet numbers it (header = 1), with its cells in column order. */
export interface SheetRow {
  row: number;
  cells: unknown[];
}

/** An NDJSON line: its 1-based line number and the parsed value, or why it could not be read. */
export type JsonLine = { row: number; value: unknown } | { row: number; error: string };

export class UnreadableFileError extends Error {}

export class UnsupportedFormatError extends Error {}

/** Text in an encoding other than UTF-8, UTF-16 or GB18030/GBK (Big5, Latin-1…): refused, never read as garbled text. */
export class UnsupportedEncodingError extends Error {
  constructor() {
    super('The file is not UTF-8 or GB18030/GBK text (Big5, Latin-1 and other encodings are not read): save it as "CSV UTF-8" or .xlsx.');
  }
}

/**
 * The format from the file name, then its type, then its first bytes: XLSX is a zip ("PK"), NDJSON starts
 * with "{", anything else is read as CSV. The legacy binary .xls is refused (save as .xlsx or CSV).
 */
export async function detectFormat(path: string, originalName: string, mimeType: string): Promise<ScreeningFormat> {
  const handle = await open(path, 'r');
  const head = Buffer.alloc(512);
  let length: number;
  try {
    ({ bytesRead: length } = await handle.read(head, 0, head.length, 0));
  } finally {
    await handle.close();
  }
  const bytes = head.subarray(0, length);
  const ext = /\.([a-z0-9]+)$/i.exec(originalName)?.[1]?.toLowerCase();
  if (bytes.subarray(0, 4).equals(Buffer.from([0xd0, 0xcf, 0x11, 0xe0])) || ext === 'xls') {
    throw new UnsupportedFormatError('Legacy .xls workbooks are not supported: save the sheet as .xlsx or CSV (UTF-8).');
  }
  const zip = bytes.subarray(0, 4).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04]));
  if (ext === 'xlsx' || mimeType === 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet') {
    if (!zip) throw new UnreadableFileError('The file is named .xlsx but is not an XLSX workbook.');
    return 'xlsx';
  }
  if (zip) return 'xlsx';
  if (ext === 'ndjson' || ext === 'jsonl' || /ndjson|jsonl|json-seq/.test(mimeType)) return 'ndjson';
  if (ext === 'csv' || ext === 'tsv' || ext === 'txt' || /csv|tab-separated/.test(mimeType)) return 'csv';
  const text = bytes
    .toString('utf8')
    .replace(/^\uFEFF/, '')
    .trimStart();
  return text.startsWith('{') ? 'ndjson' : 'csv';
}

/**
 * UTF-16 by its BOM; UTF-8 when the opening bytes decode as such; GB18030 (Excel's "CSV" on Chinese Windows)
 * when its double-byte characters are mostly GB2312's hanzi and punctuation, as any Chinese list's are;
 * otherwise the file is refused: Big5 or Latin-1 read as GB18030 would be silently garbled.
 */
export function detectEncoding(head: Buffer): string {
  if (head[0] === 0xff && head[1] === 0xfe) return 'utf-16le';
  if (head[0] === 0xfe && head[1] === 0xff) return 'utf-16be';
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(head, { stream: true });
    return 'utf-8';
  } catch {
    if (looksLikeGb(head)) return 'gb18030';
    throw new UnsupportedEncodingError();
  }
}

/** Share of GBK byte pairs in GB2312's common zones (punctuation, full-width forms, hanzi); invalid pairs count against. */
function looksLikeGb(bytes: Buffer): boolean {
  let common = 0;
  let other = 0;
  // The last bytes may hold a character cut by the chunk boundary.
  const end = Math.max(0, bytes.length - 4);
  for (let i = 0; i < end; i++) {
    const lead = bytes[i];
    if (lead < 0x80) continue;
    const trail = bytes[i + 1];
    if (lead === 0x80 || lead === 0xff) other += 1;
    else if (trail >= 0x30 && trail <= 0x39) {
      other += 1; // a four-byte GB18030 sequence: rare characters
      i += 3;
      continue;
    } else if (trail < 0x40 || trail === 0x7f || trail === 0xff) other += 1;
    else if (trail >= 0xa1 && ((lead >= 0xa1 && lead <= 0xa3) || (lead >= 0xb0 && lead <= 0xf7))) common += 1;
    else other += 1;
    i += 1;
  }
  return common + other === 0 || common / (common + other) >= 0.8;
}

/** The file as text chunks, decoded from its detected encoding; the BOM dropped. */
async function* decodedText(path: string, encoding: { value?: string }): AsyncGenerator<string> {
  let decoder: TextDecoder | undefined;
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
    if (!decoder) {
      encoding.value = detectEncoding(chunk);
      decoder = new TextDecoder(encoding.value);
    }
    const text = stripNul(decoder.decode(chunk, { stream: true }));
    if (text) yield text;
  }
  if (decoder) {
    const rest = stripNul(decoder.decode());
    if (rest) yield rest;
  }
}

/** The delimiter of the header line: comma unless tabs (or, failing both, semicolons) dominate. */
function sniffDelimiter(firstText: string): string {
  const line = firstText.split(/\r?\n/, 1)[0] ?? '';
  const count = (c: string): number => line.split(c).length - 1;
  const commas = count(',');
  const tabs = count('\t');
  if (tabs > commas) return '\t';
  if (commas === 0 && count(';') > 0) return ';';
  return ',';
}

/**
 * CSV rows, streamed (csvRecords, which yields to the event loop): UTF-8 (with or without BOM), UTF-16 or GB18030; comma, tab or
 * semicolon separated. Records are numbered as a spreadsheet shows them, blank lines included.
 */
export async function* csvRows(path: string, info: { encoding?: string } = {}): AsyncGenerator<SheetRow> {
  const encoding: { value?: string } = {};
  const text = decodedText(path, encoding);
  const first = await text.next();
  if (first.done) return;
  info.encoding = encoding.value;
  const delimiter = sniffDelimiter(first.value);
  async function* all(): AsyncGenerator<string> {
    yield first.value as string;
    yield* text;
  }
  let row = 0;
  try {
    for await (const record of csvRecords(all(), delimiter, 1 << 20)) {
      row += 1;
      yield { row, cells: record };
    }
  } catch (err) {
    if (!(err instanceof CsvSyntaxError)) throw err;
    throw new UnreadableFileError(`The CSV could not be read after row ${row}: ${err.message}`);
  }
}

type XlsxValue = ExcelJS.CellValue | undefined;

function xlsxCell(v: XlsxValue): unknown {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string') return stripNul(v);
  if (v instanceof Date) return v;
  if (typeof v === 'object') {
    if ('richText' in v && Array.isArray(v.richText)) return stripNul(v.richText.map((t) => t.text).join(''));
    if ('formula' in v || 'sharedFormula' in v) return xlsxCell((v as { result?: XlsxValue }).result ?? null);
    if ('text' in v) return typeof v.text === 'string' ? stripNul(v.text) : xlsxCell(v.text);
    if ('error' in v) return null;
    return null;
  }
  return v;
}

/**
 * The first worksheet's rows, streamed with exceljs' WorkbookReader; rows keep the sheet's own numbers. With
 * bounds, the workbook is first measured (checkXlsxBounds) and refused past them, and reading stops at the deadline.
 */
export async function* xlsxRows(
  path: string,
  bounds?: XlsxBounds,
  /** Where the measuring runs: here by default, in the worker pool when served. */
  measure: (path: string, bounds: XlsxBounds) => Promise<void> = checkXlsxBounds,
): AsyncGenerator<SheetRow> {
  try {
    if (bounds) await measure(path, bounds);
  } catch (err) {
    throw err instanceof XlsxBoundsError || err instanceof WorkLimitError ? err : unreadableWorkbook(err);
  }
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(path, {
    sharedStrings: 'cache',
    styles: 'cache',
    hyperlinks: 'ignore',
    worksheets: 'emit',
    entries: 'ignore',
  });
  try {
    for await (const sheet of reader) {
      for await (const row of sheet) {
        const values = row.values as XlsxValue[];
        const cells: unknown[] = [];
        for (let i = 1; i < values.length; i++) cells.push(xlsxCell(values[i]));
        if (bounds && Date.now() > bounds.deadline) throw xlsxTooSlow();
        yield { row: row.number, cells };
      }
      return; // the first worksheet only
    }
  } catch (err) {
    if (err instanceof UnreadableFileError || err instanceof XlsxBoundsError) throw err;
    throw unreadableWorkbook(err);
  }
}

/**
 * A workbook exceljs or unzipper could not read, said plainly: a TypeError or RangeError is exceljs tripping over a
 * structure Excel never writes, a zlib error ("incorrect header check") damaged compressed data; their texts mean
 * nothing to the officer.
 */
function unreadableWorkbook(err: unknown): UnreadableFileError {
  const text = err instanceof Error ? err.message : '';
  const kind = err instanceof TypeError || err instanceof RangeError || !(err instanceof Error) ? 'program' : internalKind(text);
  const why =
    kind === 'compression' || isZlibError(err) ? 'its compressed content is damaged' : kind ? 'its structure is not one Excel writes' : text.slice(0, 200);
  return new UnreadableFileError(`The XLSX workbook could not be read: ${why}. Save it again from Excel, or as CSV.`);
}

/** NDJSON lines, numbered from 1 (blank lines count but are skipped); one line in memory at a time. */
export async function* ndjsonLines(path: string, maxLineBytes: number): AsyncGenerator<JsonLine> {
  let row = 0;
  for await (const line of readLines(createReadStream(path, { highWaterMark: 1 << 20 }), maxLineBytes)) {
    row += 1;
    if (line.tooLong) {
      yield { row, error: `is longer than ${maxLineBytes} bytes` };
      continue;
    }
    const text = row === 1 ? line.text.replace(/^\uFEFF/, '') : line.text;
    if (text.trim() === '') continue;
    try {
      yield { row, value: stripNulDeep(JSON.parse(text) as unknown) };
    } catch {
      yield { row, error: 'is not valid JSON' };
    }
  }
}
