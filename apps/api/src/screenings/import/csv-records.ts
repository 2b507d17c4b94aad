import { setImmediate as nextTurn } from 'node:timers/promises';

/** How long record parsing may hold the event loop before it lets other requests run. */
const SLICE_MS = 8;

export class CsvSyntaxError extends Error {}

const QUOTE = 34;
const LF = 10;
const CR = 13;

/**
 * CSV records from decoded text chunks (RFC 4180, relaxed): fields may be quoted ("" inside a quoted field is a
 * quote), a quote inside an unquoted field is kept literally, CRLF, LF or CR end a record, and a blank line is a
 * record of one empty field (so records keep the numbers a spreadsheet shows). Every record costs the same
 * whatever its length — short rows and blank lines allocate nothing beyond their fields — and parsing gives the
 * event loop back every few milliseconds, so a large upload never holds up other requests.
 */
export async function* csvRecords(chunks: AsyncIterable<string>, delimiter: string, maxRecordChars: number): AsyncGenerator<string[]> {
  const delim = delimiter.charCodeAt(0);
  let record: string[] = [];
  let field = '';
  let quoted = false; // inside quotes
  let quoteSeen = false; // inside quotes, the previous character was a quote (closing, or the first of "")
  let skipLf = false; // the previous chunk ended with CR
  let sliceStart = performance.now();
  let count = 0;

  for await (const text of chunks) {
    let i = 0;
    if (skipLf && text.charCodeAt(0) === LF) i = 1;
    skipLf = false;
    let start = i; // start of the pending plain run of the current field
    for (; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (quoted) {
        if (quoteSeen) {
          quoteSeen = false;
          if (c === QUOTE) {
            start = i; // "" → one quote: keep the second
            continue;
          }
          quoted = false; // the quote closed the field; fall through to handle c
          start = i;
        } else {
          if (c === QUOTE) {
            field += text.slice(start, i);
            quoteSeen = true;
          }
          continue;
        }
      }
      if (c === delim) {
        record.push(field + text.slice(start, i));
        field = '';
        start = i + 1;
      } else if (c === LF || c === CR) {
        record.push(field + text.slice(start, i));
        field = '';
        const done = record;
        record = [];
        if (c === CR) {
          if (i + 1 < text.length) {
            if (text.charCodeAt(i + 1) === LF) i++;
          } else skipLf = true;
        }
        start = i + 1;
        yield done;
        if ((++count & 255) === 0 && performance.now() - sliceStart > SLICE_MS) {
          await nextTurn();
          sliceStart = performance.now();
        }
      } else if (c === QUOTE && field === '' && start === i) {
        quoted = true;
        start = i + 1;
      }
    }
    if (quoted && !quoteSeen) field += text.slice(start, i);
    else if (!quoted) field += text.slice(start, i);
    // The record still open at the end of the chunk is the only one that can grow without bound.
    let open = field.length;
    for (const f of record) open += f.length + 1;
    if (open > maxRecordChars) throw new CsvSyntaxError(`a record is longer than ${maxRecordChars} characters`);
    if (performance.now() - sliceStart > SLICE_MS) {
      await nextTurn();
      sliceStart = performance.now();
    }
  }
  if (quoted && !quoteSeen) throw new CsvSyntaxError('a quoted field is not closed');
  if (field !== '' || record.length > 0) {
    record.push(field);
    yield record;
  }
}
