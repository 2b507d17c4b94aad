import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';

/** What one XLSX upload may cost to read (README, Operations › Limits). */
export interface XlsxBounds {
  /** All entries together, decompressed. */
  maxBytes: number;
  /** Entries of xl/sharedStrings.xml (exceljs keeps them all in memory). */
  maxSharedStrings: number;
  /** Cells in the worksheets. */
  maxCells: number;
  /** The widest column a cell may lie in: the columns an import reads (exceljs expands each row to its last cell). */
  maxColumns: number;
  /** Reading the workbook (this check and the rows) must end by this deadline (Date.now() value). */
  deadline: number;
}

/** Past a bound: `status` 413 for size and counts, 422 for time. */
export class XlsxBoundsError extends Error {
  constructor(
    message: string,
    readonly status: 413 | 422,
    readonly limit?: number,
  ) {
    super(message);
  }
}

interface ZipEntry extends Readable {
  path: string;
  autodrain(): void;
}

// exceljs reads workbooks with unzipper's streaming parser; the same parser here sees exactly the entries exceljs
// will see (local headers, not a central directory that could disagree with them).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const unzip = require('unzipper') as { Parse(options: { forceStream: boolean }): NodeJS.ReadWriteStream & AsyncIterable<ZipEntry> };

const LT = 0x3c;
const GT = 0x3e;
const SLASH = 0x2f;
const COLON = 0x3a;
const EQUALS = 0x3d;
const isSpace = (b: number): boolean => b === 0x20 || b === 0x09 || b === 0x0a || b === 0x0d;
const isQuote = (b: number): boolean => b === 0x22 || b === 0x27;
/** Longer names are no element exceljs looks at. */
const MAX_NAME = 64;
const MAX_VALUE = 32;

type ScanState = 'text' | 'name' | 'between' | 'attrName' | 'afterName' | 'beforeValue' | 'value';

/**
 * Counts the start tags of one element as an XML parser sees them, in every form it accepts: `<si>`, `<si/>`,
 * `<si` followed by a space, tab, CR or newline, with attributes, and under any namespace prefix (`<x:si>`;
 * exceljs ignores those, so counting them errs on the safe side, as do tags inside comments or CDATA). For cells
 * it also reads the `r` attribute and keeps the widest column named, since exceljs expands a row to its last
 * cell's column. A streaming state machine: tags and attributes split across chunks are followed, nothing is kept
 * but the current name and value (at most 64 bytes).
 */
export class ElementCounter {
  count = 0;
  /** The widest column (1 = A) a counted element's `r` attribute names; 0 when none did. */
  maxColumn = 0;
  /** The `r` that named `maxColumn` ("XFD2"), for the message. */
  widestRef = '';
  private state: ScanState = 'text';
  private name: number[] = [];
  private attr: number[] = [];
  private value: number[] = [];
  private quote = 0;

  constructor(
    private readonly localName: string,
    private readonly readRef = false,
  ) {}

  push(data: Buffer): void {
    let i = 0;
    const n = data.length;
    while (i < n) {
      if (this.state === 'text') {
        const at = data.indexOf(LT, i);
        if (at === -1) return;
        this.state = 'name';
        this.name.length = 0;
        i = at + 1;
        continue;
      }
      const b = data[i];
      switch (this.state) {
        case 'name':
          if (isSpace(b) || b === SLASH || b === GT) {
            const matched = this.matches();
            if (matched) this.count += 1;
            // Attributes matter for cells only; anything else goes back to looking for the next tag.
            this.state = matched && this.readRef && isSpace(b) ? 'between' : 'text';
          } else if (b === LT) {
            this.name.length = 0; // "<<si>": the later one is the tag
          } else if (this.name.length <= MAX_NAME) this.name.push(b);
          break;
        case 'between':
          if (b === GT || b === SLASH) this.state = 'text';
          else if (!isSpace(b)) {
            this.attr.length = 0;
            this.attr.push(b);
            this.state = 'attrName';
          }
          break;
        case 'attrName':
          if (b === EQUALS) this.state = 'beforeValue';
          else if (isSpace(b)) this.state = 'afterName';
          else if (b === GT || b === SLASH) this.state = 'text';
          else if (this.attr.length <= MAX_NAME) this.attr.push(b);
          break;
        case 'afterName':
          if (b === EQUALS) this.state = 'beforeValue';
          else if (b === GT || b === SLASH) this.state = 'text';
          else if (!isSpace(b)) {
            this.attr.length = 0;
            this.attr.push(b);
            this.state = 'attrName';
          }
          break;
        case 'beforeValue':
          if (isQuote(b)) {
            this.quote = b;
            this.value.length = 0;
            this.state = 'value';
          } else if (b === GT) this.state = 'text';
          else if (!isSpace(b)) this.state = 'between';
          break;
        case 'value':
          if (b === this.quote) {
            if (this.attr.length === 1 && this.attr[0] === 0x72 /* r */) this.noteRef();
            this.state = 'between';
          } else if (this.value.length <= MAX_VALUE) this.value.push(b);
          break;
      }
      i += 1;
    }
  }

  private matches(): boolean {
    const name = this.name;
    const local = this.localName;
    let start = name.lastIndexOf(COLON) + 1;
    if (name.length - start !== local.length) return false;
    for (let k = 0; k < local.length; k++, start++) if (name[start] !== local.charCodeAt(k)) return false;
    return true;
  }

  private noteRef(): void {
    let column = 0;
    for (const b of this.value) {
      const upper = b >= 0x61 && b <= 0x7a ? b - 0x20 : b;
      if (upper < 0x41 || upper > 0x5a) break;
      column = column * 26 + (upper - 0x40);
      if (column > 1e9) break;
    }
    if (column > this.maxColumn) {
      this.maxColumn = column;
      this.widestRef = Buffer.from(this.value).toString('latin1');
    }
  }
}

/** "XFD" for 16,384. */
export function columnLetters(column: number): string {
  let out = '';
  for (let c = column; c > 0; c = Math.floor((c - 1) / 26)) out = String.fromCharCode(65 + ((c - 1) % 26)) + out;
  return out;
}

/** The entries exceljs reads as worksheets (its own test is unanchored: any path containing it). */
const isWorksheet = (path: string): boolean => /xl\/worksheets\/sheet\d+[.]xml/.test(path) || /^xl\/worksheets\/[^/]+\.xml$/.test(path);

/**
 * Reads the whole archive once, decompressing as exceljs will, and stops at the first bound passed: total
 * decompressed bytes, shared strings, worksheet cells, time. Nothing is kept but counts, so a zip bomb costs a
 * bounded amount of work and memory before it is refused.
 */
export async function checkXlsxBounds(path: string, bounds: XlsxBounds): Promise<void> {
  const zip = unzip.Parse({ forceStream: true });
  const source = createReadStream(path, { highWaterMark: 1 << 16 });
  source.pipe(zip);
  // unzipper reports damaged compressed data on the archive's stream while the entry being read never ends: the
  // error, and the deadline, must end the reading from outside the entry's loop.
  let timer: NodeJS.Timeout | undefined;
  const stopped = new Promise<never>((_, reject) => {
    zip.on('error', reject);
    source.on('error', reject);
    timer = setTimeout(() => reject(xlsxTooSlow()), Math.max(0, bounds.deadline - Date.now()));
  });
  const reading = measure(zip, bounds);
  reading.catch(() => undefined); // when stopped wins, the loop is abandoned with the destroyed streams
  try {
    await Promise.race([reading, stopped]);
  } finally {
    clearTimeout(timer);
    source.destroy();
    zip.end?.();
    (zip as unknown as { destroy?: () => void }).destroy?.();
  }
}

async function measure(zip: AsyncIterable<ZipEntry>, bounds: XlsxBounds): Promise<void> {
  let bytes = 0;
  let cells = 0;
  for await (const entry of zip) {
    const strings = entry.path === 'xl/sharedStrings.xml' ? new ElementCounter('si') : undefined;
    const sheet = isWorksheet(entry.path) ? new ElementCounter('c', true) : undefined;
    for await (const chunk of entry as AsyncIterable<Buffer>) {
      bytes += chunk.length;
      if (bytes > bounds.maxBytes)
        throw new XlsxBoundsError(`The workbook decompresses to more than ${bounds.maxBytes} bytes; save a smaller sheet or CSV.`, 413, bounds.maxBytes);
      strings?.push(chunk);
      if (strings && strings.count > bounds.maxSharedStrings)
        throw new XlsxBoundsError(`The workbook holds more than ${bounds.maxSharedStrings} shared strings.`, 413, bounds.maxSharedStrings);
      if (sheet) {
        sheet.push(chunk);
        if (cells + sheet.count > bounds.maxCells)
          throw new XlsxBoundsError(`The workbook holds more than ${bounds.maxCells} cells; split the file.`, 413, bounds.maxCells);
        if (sheet.maxColumn > bounds.maxColumns)
          throw new XlsxBoundsError(
            `Cell ${sheet.widestRef} lies in column ${sheet.maxColumn} (${columnLetters(sheet.maxColumn)}), beyond the ${bounds.maxColumns} columns an import reads; delete the columns past ${columnLetters(bounds.maxColumns)} and upload again.`,
            413,
            bounds.maxColumns,
          );
      }
      if (Date.now() > bounds.deadline) throw xlsxTooSlow();
    }
    if (sheet) cells += sheet.count;
  }
}

export function xlsxTooSlow(): XlsxBoundsError {
  return new XlsxBoundsError('The workbook takes too long to read; save it as CSV or split it.', 422);
}
