import type { Readable } from 'node:stream';

export type Line = { text: string; tooLong: false } | { text: null; tooLong: true };

/**
 * Splits a byte stream into lines without holding more than one line in memory; a line longer than
 * `maxBytes` is reported as too long (and skipped) rather than buffered.
 */
export async function* readLines(stream: Readable, maxBytes: number): AsyncGenerator<Line> {
  let parts: Buffer[] = [];
  let size = 0;
  let overflow = false;
  const finish = (): Line => {
    const line: Line = overflow ? { text: null, tooLong: true } : { text: Buffer.concat(parts).toString('utf8').replace(/\r$/, ''), tooLong: false };
    parts = [];
    size = 0;
    overflow = false;
    return line;
  };
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    let start = 0;
    for (let nl = chunk.indexOf(10, start); nl !== -1; nl = chunk.indexOf(10, start)) {
      if (!overflow) {
        size += nl - start;
        if (size > maxBytes) overflow = true;
        else parts.push(chunk.subarray(start, nl));
      }
      yield finish();
      start = nl + 1;
    }
    if (start < chunk.length && !overflow) {
      size += chunk.length - start;
      if (size > maxBytes) {
        overflow = true;
        parts = [];
      } else parts.push(Buffer.from(chunk.subarray(start)));
    }
  }
  if (size > 0 || overflow) yield finish();
}
