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

/** Counts non-overlapping occurrences of any pattern (all of one length) across chunk boundaries. */
class PatternCounter {
  count = 0;
  private carry = Buffer.alloc(0);

  constructor(private readonly patterns: Buffer[]) {}

  push(chunk: Buffer): void {
    const width = this.patterns[0].length;
    // The carried bytes are shorter than a pattern, so a match found in them also reaches into this chunk: never counted twice.
    const data = this.carry.length ? Buffer.concat([this.carry, chunk]) : chunk;
    for (const pattern of this.patterns) {
      for (let at = data.indexOf(pattern); at !== -1; at = data.indexOf(pattern, at + width)) this.count += 1;
    }
    this.carry = Buffer.from(data.subarray(Math.max(0, data.length - (width - 1))));
  }
}

const SHARED_STRING = [Buffer.from('<si>'), Buffer.from('<si ')];
const CELL = [Buffer.from('<c '), Buffer.from('<c>')];

/**
 * Reads the whole archive once, decompressing as exceljs will, and stops at the first bound passed: total
 * decompressed bytes, shared strings, worksheet cells, time. Nothing is kept but counts, so a zip bomb costs a
 * bounded amount of work and memory before it is refused.
 */
export async function checkXlsxBounds(path: string, bounds: XlsxBounds): Promise<void> {
  const zip = unzip.Parse({ forceStream: true });
  const source = createReadStream(path, { highWaterMark: 1 << 16 });
  source.pipe(zip);
  let bytes = 0;
  let cells = 0;
  try {
    for await (const entry of zip) {
      const strings = entry.path === 'xl/sharedStrings.xml' ? new PatternCounter(SHARED_STRING) : undefined;
      const sheet = /^xl\/worksheets\/[^/]+\.xml$/.test(entry.path) ? new PatternCounter(CELL) : undefined;
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
        }
        if (Date.now() > bounds.deadline) throw xlsxTooSlow();
      }
      if (sheet) cells += sheet.count;
    }
  } finally {
    source.destroy();
    zip.end?.();
  }
}

export function xlsxTooSlow(): XlsxBoundsError {
  return new XlsxBoundsError('The workbook takes too long to read; save it as CSV or split it.', 422);
}
