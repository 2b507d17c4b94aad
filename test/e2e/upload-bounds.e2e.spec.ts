import { healthDuring } from '../support/health-probe';
import type { AddressInfo } from 'node:net';
import ExcelJS from 'exceljs';
import request from 'supertest';
import { backends } from '../support/backends';
import { expectProblem } from '../support/http';
import { createTestApp, type TestApp } from '../support/test-app';
import { deflatedRepeat, readZip, worksheetsLast, writeZip, type PackedEntry } from '../support/zip';
import { bearer, createOfficer } from './screenings.helpers';

/**
 * Uploads measured by what the readers will allocate, at the shipped bounds: shared strings and cells in every
 * form the XML parser accepts, columns of CSV/XLSX, keys of NDJSON. Each is refused with a 413 naming the bound.
 */
jest.setTimeout(120_000);

/** An ordinary two-column workbook whose shared strings are replaced by `strings`. */
async function workbookWith(replace: { strings?: Buffer | PackedEntry; sheet?: Buffer }): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('prospects');
  ws.addRow(['企业名称', '所在区']);
  ws.addRow(['甲', 'jingan']);
  const entries: Map<string, Buffer | PackedEntry> = readZip(Buffer.from(await wb.xlsx.writeBuffer()));
  if (replace.strings) entries.set('xl/sharedStrings.xml', replace.strings);
  if (replace.sheet) entries.set('xl/worksheets/sheet1.xml', replace.sheet);
  return writeZip(worksheetsLast(entries));
}

const sst = (body: string): Buffer =>
  Buffer.from(`<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">${body}</sst>`);

describe('upload bounds at their shipped values', () => {
  let t: TestApp;
  let key: string;
  let base: string;
  const preview = (file: Buffer, name: string) => request(t.app.getHttpServer()).post('/api/v1/screenings/preview').set(bearer(key)).attach('file', file, name);

  beforeAll(async () => {
    t = await createTestApp(backends()[0]);
    await t.app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
    key = (await createOfficer(t.app, 'bounds')).key;
  }, 60_000);
  afterAll(async () => t?.close(), 60_000);

  it.each([
    ['<si/>', '<si/>'],
    ['<si followed by a newline', '<si\n/>'],
    ['<si followed by a tab', '<si\t>a</si>'],
    ['<si with an attribute', '<si x="1"/>'],
  ])('2,000,000 shared strings written as %s: 413', async (_form, element) => {
    const file = await workbookWith({ strings: sst(element.repeat(2_000_000)) });
    expect(file.length).toBeLessThan(1_000_000);
    expectProblem(await preview(file, 'strings.xlsx'), 413, 'file', /共享字符串超过 1000000 个/);
  });

  it('150,000,000 <si/> (about 1.1 MB zipped, 750 MB unzipped): 413 after a few megabytes, the process barely grows', async () => {
    const strings = await deflatedRepeat(Buffer.from('<si/>'.repeat(1_000_000)), 150);
    const file = await workbookWith({ strings });
    expect(file.length).toBeLessThan(1_300_000);
    global.gc?.();
    const before = process.memoryUsage().rss;
    let peak = before;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 10);
    const t0 = performance.now();
    const res = await preview(file, 'bomb.xlsx');
    const ms = performance.now() - t0;
    clearInterval(sampler);
    peak = Math.max(peak, process.memoryUsage().rss);
    expectProblem(res, 413, 'file', /共享字符串超过 1000000 个/);
    const grewMb = (peak - before) / 2 ** 20;
    process.stdout.write(`150M <si/>: 413 in ${ms.toFixed(0)} ms, resident memory grew ${grewMb.toFixed(1)} MB\n`);
    // The stated bound (README, Limits): reading is refused with the process growing by less than 64 MB.
    expect(grewMb).toBeLessThan(64);
  });

  it('20,000 rows each with a cell at column XFD: 413 naming the column', async () => {
    const rows = Array.from({ length: 20_000 }, (_, i) => `<row r="${i + 2}"><c r="XFD${i + 2}" t="inlineStr"><is><t>x</t></is></c></row>`).join('');
    const sheet = Buffer.from(
      `<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>所在区</t></is></c></row>${rows}</sheetData></worksheet>`,
    );
    const { result, slowestMs } = await healthDuring(base, () => preview(workbookSync(sheet), 'far-right.xlsx'));
    expectProblem(result, 413, 'file', /单元格 XFD\d+ 位于第 16384 列（XFD 列），超出导入读取的 1000 列；请删除 ALL 列之后的列/);
    // In English when the officer asks for it.
    const en = await preview(workbookSync(sheet), 'far-right.xlsx').set('Accept-Language', 'en');
    expectProblem(en, 413, 'file', /Cell XFD\d+ lies in column 16384 \(XFD\), beyond the 1000 columns an import reads/);
    expect(slowestMs).toBeLessThan(1000);
  });

  /** The far-right workbook, built once per call. */
  function workbookSync(sheet: Buffer): Buffer {
    return writeZip([
      ['[Content_Types].xml', CONTENT_TYPES],
      ['_rels/.rels', ROOT_RELS],
      ['xl/workbook.xml', WORKBOOK],
      ['xl/_rels/workbook.xml.rels', WORKBOOK_RELS],
      ['xl/worksheets/sheet1.xml', sheet],
    ]);
  }

  it('a CSV of 60,000 columns: 413 naming the count, /health answering meanwhile', async () => {
    const header = Array.from({ length: 60_000 }, (_, i) => `列${i}`).join(',');
    const csv = `所在区,${header}\njingan\n`;
    const { result, slowestMs } = await healthDuring(base, () => preview(Buffer.from(csv), 'wide.csv'));
    expectProblem(result, 413, 'file', /文件有 60001 列；导入最多读取 1000 列/);
    process.stdout.write(`60,000-column CSV: /health slowest ${slowestMs.toFixed(0)} ms\n`);
    expect(slowestMs).toBeLessThan(1000);
  });

  it('NDJSON lines using 80,000 distinct keys: 413 naming the bound', async () => {
    const lines = Array.from({ length: 800 }, (_, l) =>
      JSON.stringify(Object.fromEntries([['location', { district: 'jingan' }], ...Array.from({ length: 100 }, (_, k) => [`k${l}_${k}`, 1])])),
    ).join('\n');
    const { result } = await healthDuring(base, () => preview(Buffer.from(lines), 'keys.ndjson'));
    expectProblem(result, 413, 'file', /超过 1000 个不同的键；导入最多读取 1000 个/);
  });

  it('a few hundred unknown columns stay cheap: suggestions for the first ones only', async () => {
    const csv = `所在区,${Array.from({ length: 900 }, (_, i) => `行业备注${i}`).join(',')}\njingan\n`;
    const res = await preview(Buffer.from(csv), 'unknown.csv').expect(200);
    const columns = res.body.columns as { header: string; source: string; suggestions: string[] }[];
    expect(columns.filter((c) => c.source === 'unknown')).toHaveLength(900);
    expect(columns.slice(51).every((c) => c.suggestions.length === 0)).toBe(true);
  });
});

const CONTENT_TYPES = `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>`;
const ROOT_RELS = `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`;
const WORKBOOK = `<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="prospects" sheetId="1" r:id="rId1"/></sheets></workbook>`;
const WORKBOOK_RELS = `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`;
