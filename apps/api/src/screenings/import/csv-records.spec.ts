import fc from 'fast-check';
import { parse } from 'csv-parse/sync';
import { csvRecords, CsvSyntaxError } from './csv-records';

async function all(text: string, cuts: number[] = [], delimiter = ','): Promise<string[][]> {
  const points = [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b);
  const chunks: string[] = [];
  let at = 0;
  for (const p of points) {
    chunks.push(text.slice(at, p));
    at = p;
  }
  chunks.push(text.slice(at));
  // Each chunk arrives on its own tick, as from a file stream.
  async function* source(): AsyncGenerator<string> {
    for (const chunk of chunks) yield await Promise.resolve(chunk);
  }
  const out: string[][] = [];
  for await (const r of csvRecords(source(), delimiter, 1 << 20)) out.push(r);
  return out;
}

describe('csvRecords', () => {
  it('quoted fields, doubled quotes, CRLF/LF/CR, blank lines as one empty field, a last line without newline', async () => {
    expect(await all('a,b\r\n"x,1","say ""hi"""\n\n"multi\nline",\rlast')).toEqual([['a', 'b'], ['x,1', 'say "hi"'], [''], ['multi\nline', ''], ['last']]);
    expect(await all('a\tb\n1\t2\n', [], '\t')).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ]);
    // relaxed: a quote inside an unquoted field, or after a closed one, is kept
    expect(await all('ab"c,"d"e\n')).toEqual([['ab"c', 'de']]);
  });

  it('agrees with csv-parse on any well-formed CSV, however the text is cut into chunks', async () => {
    const cell = fc.string({ unit: fc.constantFrom('a', '中', ',', '"', '\n', '\r\n', ' ', '\t', '=') });
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(cell, { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 6 }),
        fc.array(fc.nat(), { maxLength: 6 }),
        async (rows, cuts) => {
          const text = rows.map((r) => r.map((c) => (/[",\r\n]/.test(c) || c === '' ? `"${c.replace(/"/g, '""')}"` : c)).join(',')).join('\r\n') + '\r\n';
          const expected = parse(text, { relax_column_count: true, relax_quotes: true, skip_empty_lines: false });
          expect(await all(text, cuts)).toEqual(expected);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('an unclosed quote and an endless record are syntax errors', async () => {
    await expect(all('a\n"open')).rejects.toThrow(CsvSyntaxError);
    const long = async (): Promise<void> => {
      async function* source(): AsyncGenerator<string> {
        for (let i = 0; i < 5; i++) yield await Promise.resolve('x'.repeat(1000));
      }
      for await (const r of csvRecords(source(), ',', 2000)) void r;
    };
    await expect(long()).rejects.toThrow(/longer than 2000/);
  });

  it('100,000 short rows and 400 KB of blank lines: read in full, and the event loop is given back meanwhile', async () => {
    const text = 'a,b,c\n' + '1,2\n'.repeat(100_000) + '\n'.repeat(400_000);
    let ticks = 0;
    const timer = setInterval(() => (ticks += 1), 1);
    const rows = await all(text, [1 << 20, 2 << 20]);
    clearInterval(timer);
    expect(rows).toHaveLength(500_001);
    expect(rows[500_000]).toEqual(['']);
    // The speed of this input is measured by `npm run soak:hostile` (/health latency while it is parsed), not here.
    expect(ticks).toBeGreaterThan(0);
  }, 120_000);
});
