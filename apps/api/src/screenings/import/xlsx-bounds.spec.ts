import { Readable } from 'node:stream';
import fc from 'fast-check';
import { propertyRuns } from '../../../../../test/support/property-runs';
import { columnLetters, ElementCounter } from './xlsx-bounds';

// exceljs' own reader and SAX wrapper: the counts below are compared with what it creates, not with a model of it.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const WorkbookReader = require('exceljs/lib/stream/xlsx/workbook-reader') as new (
  input: unknown,
  options: object,
) => {
  sharedStrings: unknown[];
  _parseSharedStrings(entry: Readable): AsyncGenerator<unknown>;
};
// eslint-disable-next-line @typescript-eslint/no-require-imports
const parseSax = require('exceljs/lib/utils/parse-sax') as (input: Readable) => AsyncGenerator<{ eventType: string; value: { name: string } }[]>;

/** Shared strings exceljs keeps for this sharedStrings.xml (undefined when its parser refuses the XML). */
async function exceljsSharedStrings(xml: string): Promise<number | undefined> {
  const reader = new WorkbookReader(Readable.from([]), { sharedStrings: 'cache' });
  try {
    for await (const _ of reader._parseSharedStrings(Readable.from([Buffer.from(xml)]))) void _;
  } catch {
    return undefined;
  }
  return reader.sharedStrings.length;
}

/** `c` elements exceljs' parser opens in this worksheet XML (a cell each, inside a row). */
async function exceljsCells(xml: string): Promise<number | undefined> {
  let n = 0;
  try {
    for await (const events of parseSax(Readable.from([Buffer.from(xml)])))
      for (const e of events) if (e.eventType === 'opentag' && e.value.name === 'c') n += 1;
  } catch {
    return undefined;
  }
  return n;
}

/** Feeds the XML in pieces cut at the given points, as a stream delivers it. */
function count(counter: ElementCounter, xml: string, cuts: number[]): ElementCounter {
  const bytes = Buffer.from(xml);
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  let at = 0;
  for (const p of [...points, bytes.length]) {
    counter.push(bytes.subarray(at, p));
    at = p;
  }
  return counter;
}

const space = fc.constantFrom(' ', '\n', '\t', '\r\n', '  ');
const attribute = fc.tuple(fc.constantFrom('t', 's', 'x:foo', 'xml:space', 'cm', 'r'), fc.constantFrom('"', "'"), fc.stringMatching(/^[A-Z]{0,3}[0-9]{0,4}$/));
/** A start tag of `name` in one of the forms a parser accepts. */
const startTag = (name: string) =>
  fc
    .record({
      prefix: fc.constantFrom('', 'x:', 'main:'),
      attrs: fc.array(fc.tuple(space, attribute), { maxLength: 3 }),
      trailing: fc.option(space, { nil: '' }),
      selfClosing: fc.boolean(),
      text: fc.constantFrom('', 'a', '甲', '<t>x</t>', '&lt;si&gt;'),
    })
    .map(({ prefix, attrs, trailing, selfClosing, text }) => {
      // One attribute name at most once: a parser refuses repeats.
      const seen = new Set<string>();
      const attrText = attrs
        .filter(([, [n]]) => !seen.has(n) && Boolean(seen.add(n)))
        .map(([sp, [n, q, v]]) => `${sp}${n}=${q}${v}${q}`)
        .join('');
      const open = `<${prefix}${name}${attrText}${trailing}`;
      return selfClosing ? `${open}/>` : `${open}>${text}</${prefix}${name}>`;
    });

describe('counting XML elements as the parser will create them', () => {
  it('never counts fewer shared strings than exceljs keeps, however the XML is written and cut', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.oneof(startTag('si'), fc.constantFrom('<!-- <si> -->', '<sst>', '</sst>', '\n', '<x/>')), { maxLength: 30 }),
        fc.array(fc.nat(2000), { maxLength: 8 }),
        async (parts, cuts) => {
          const xml = `<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:x="urn:x" xmlns:main="urn:m">${parts.join('')}</sst>`;
          const created = await exceljsSharedStrings(xml);
          fc.pre(created !== undefined);
          expect(count(new ElementCounter('si'), xml, cuts).count).toBeGreaterThanOrEqual(created);
        },
      ),
      { numRuns: propertyRuns(300) },
    );
  });

  it('never counts fewer cells than exceljs opens, however the XML is written and cut', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(startTag('c'), { maxLength: 30 }), fc.array(fc.nat(2000), { maxLength: 8 }), async (cells, cuts) => {
        const xml = `<worksheet xmlns:x="urn:x" xmlns:main="urn:m"><sheetData><row r="1">${cells.join('')}</row></sheetData></worksheet>`;
        const created = await exceljsCells(xml);
        fc.pre(created !== undefined);
        expect(count(new ElementCounter('c', true), xml, cuts).count).toBeGreaterThanOrEqual(created);
      }),
      { numRuns: propertyRuns(300) },
    );
  });

  it.each([
    ['<si>', '<si>a</si>'],
    ['<si/>', '<si/>'],
    ['<si />', '<si />'],
    ['<si followed by a newline', '<si\n>a</si>'],
    ['<si followed by a tab', '<si\t/>'],
    ['<si with an attribute', '<si x="1">a</si>'],
    ['a prefixed <x:si>', '<x:si>a</x:si>'],
  ])('counts %s', (_form, element) => {
    const xml = `<sst>${element.repeat(5)}</sst>`;
    expect(count(new ElementCounter('si'), xml, []).count).toBe(5);
    // Cut after every byte: a tag split anywhere still counts once.
    expect(
      count(
        new ElementCounter('si'),
        xml,
        Array.from({ length: xml.length }, (_, i) => i),
      ).count,
    ).toBe(5);
  });

  it('does not count elements that only begin with the name', () => {
    expect(count(new ElementCounter('c'), '<col/><cols><c/><cfRule/><c></c></cols>', []).count).toBe(2);
    expect(count(new ElementCounter('si'), '<sis/><sst><si/></sst>', []).count).toBe(1);
  });

  it('reads the widest column a cell names, wherever the attribute sits and the chunks are cut', () => {
    const xml = '<row><c r="A1"/><c s="1"\n r=\'XFD1\' t="s"><v>0</v></c><c t="n" r="B1"/></row>';
    for (const cuts of [[], Array.from({ length: xml.length }, (_, i) => i)]) {
      const counter = count(new ElementCounter('c', true), xml, cuts);
      expect(counter).toMatchObject({ count: 3, maxColumn: 16_384, widestRef: 'XFD1' });
    }
    expect(columnLetters(16_384)).toBe('XFD');
    expect(columnLetters(1000)).toBe('ALL');
    expect(columnLetters(1)).toBe('A');
  });
});
