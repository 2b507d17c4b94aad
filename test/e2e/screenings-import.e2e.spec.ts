import { TextDecoder } from 'node:util';
import ExcelJS from 'exceljs';
import { parse as parseCsv } from 'csv-parse/sync';
import request from 'supertest';
import { loadCatalog, PROFILE_FIELDS, usccCheckCharacter, type CompanyProfile } from '@matcher/catalog';
import { backends } from '../support/backends';
import { expectNoLeak, expectProblem } from '../support/http';
import { createTestApp, type TestApp } from '../support/test-app';
import { bearer, binary, createOfficer, toCsv, upload, waitFor, type ScreeningBody } from './screenings.helpers';

/**
 * The prospect lists officers really keep: everyday headers (注册地, 所属行业, 企业资质, 企业性质) and values (静安,
 * 生物医药, 高企, 民企), as UTF-8 and as GB18030, read exactly as their coded profiles — the same matches as
 * POST /match on those profiles. Ambiguous values and unknown headers are reported, never guessed or dropped;
 * the preview shows what an upload would read; department-filtered exports hold only that department's measures.
 */

jest.setTimeout(90_000);

const catalog = loadCatalog();
const AS_OF = '2025-06-01';
const uscc = (body: string): string => `${body}${usccCheckCharacter(body)}`;

/** GB18030 encoder built from Node's decoder (Node encodes only UTF-8/16): every two-byte GBK code point, reversed. */
function encodeGb18030(text: string): Buffer {
  const table = new Map<string, number[]>();
  const decoder = new TextDecoder('gb18030');
  for (let lead = 0x81; lead <= 0xfe; lead++)
    for (let trail = 0x40; trail <= 0xfe; trail++) {
      if (trail === 0x7f) continue;
      const ch = decoder.decode(Buffer.from([lead, trail]));
      if (ch.length === 1 && ch !== '\ufffd' && !table.has(ch)) table.set(ch, [lead, trail]);
    }
  const bytes: number[] = [];
  for (const ch of text) {
    if (ch.charCodeAt(0) < 0x80) bytes.push(ch.charCodeAt(0));
    else if (table.has(ch)) bytes.push(...table.get(ch)!);
    else throw new Error(`no GB18030 two-byte code for ${ch}`);
  }
  return Buffer.from(bytes);
}

/** The everyday list (as the issue typed it) and each row's coded profile. */
const HEADERS = ['公司名称', '统一社会信用代码', '注册地', '所属行业', '企业资质', '企业性质', '企业规模', '研发费用占比'];
const ROWS: { cells: string[]; profile: CompanyProfile }[] = [
  {
    cells: ['上海甲生物科技有限公司', uscc('91310106MA1FL0011'), '静安', '生物医药', '高企、专精特新', '民企', '中型', '8%'],
    profile: {
      name: '上海甲生物科技有限公司',
      uscc: uscc('91310106MA1FL0011'),
      location: { district: 'jingan' },
      sectors: ['life-health'],
      qualifications: ['high-tech-enterprise', 'srdi-sme'],
      ownership: 'private',
      size: 'medium',
      metrics: { rdExpenseRatio: 0.08 },
    },
  },
  {
    cells: ['乙软件有限公司', '', '徐汇区', '软件', '高新企业', '外资', '小型', '0.08'],
    profile: {
      name: '乙软件有限公司',
      location: { district: 'xuhui' },
      sectors: ['digital/software'],
      qualifications: ['high-tech-enterprise'],
      ownership: 'foreign',
      size: 'small',
      metrics: { rdExpenseRatio: 0.08 },
    },
  },
  {
    cells: ['丙检测认证有限公司', '', '青浦', '检验检测', '', '地方国企', '', ''],
    profile: {
      name: '丙检测认证有限公司',
      location: { district: 'qingpu' },
      sectors: ['professional-services/testing-certification'],
      ownership: 'local-state',
    },
  },
  {
    cells: ['丁零售有限公司', '', '上海市静安区江场路1号', '零售', '', '外商投资企业', '微型', ''],
    profile: { name: '丁零售有限公司', location: { district: 'jingan' }, sectors: ['commerce/retail'], ownership: 'foreign', size: 'micro' },
  },
];
const EVERYDAY = toCsv([HEADERS, ...ROWS.map((r) => r.cells)]);

interface ResultsBody {
  items: {
    row: number;
    district: string;
    scenario: string;
    measures: { measureId: string; status: string; validTo: string | null; departments: { id: string }[] }[];
  }[];
}

describe.each(backends())('officer import of everyday lists on $name', (backend) => {
  let t: TestApp;
  let officer: { id: string; key: string };
  const http = () => request(t.app.getHttpServer());

  beforeAll(async () => {
    t = await createTestApp(backend, { SCREENING_CHUNK_ROWS: 2 });
    officer = await createOfficer(t.app, '王芳');
  });
  afterAll(async () => {
    await t?.close();
  });

  const results = async (id: string, query: Record<string, string> = {}): Promise<ResultsBody> => {
    const res = expectNoLeak(
      await http()
        .get(`/api/v1/screenings/${id}/results`)
        .query({ limit: 500, ...query })
        .set(bearer(officer.key)),
    );
    expect(res.status).toBe(200);
    return res.body as ResultsBody;
  };

  /** Each row as POST /match reads its coded profile: measure ids per evaluated district. */
  async function matchesOf(profile: CompanyProfile): Promise<Record<string, string[]>> {
    const res = await http().post('/api/v1/match').send({ profile, asOf: AS_OF });
    expect(res.status).toBe(200);
    const body = res.body as { districts: string[]; matches: { measureId: string; district: string }[] };
    return Object.fromEntries(
      body.districts.map((d) => [
        d,
        body.matches
          .filter((m) => m.district === d)
          .map((m) => m.measureId)
          .sort(),
      ]),
    );
  }

  test.each([
    ['UTF-8 with BOM', (text: string) => Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')])],
    ['UTF-8 without BOM', (text: string) => Buffer.from(text, 'utf8')],
    ['GB18030', encodeGb18030],
  ])('the everyday list as %s: every row read as its coded profile, with the same matches as POST /match', async (_name, encode) => {
    const res = expectNoLeak(await upload(t.app, officer.key, encode(EVERYDAY), '招商名单.csv', { asOf: AS_OF }));
    expect(res.status).toBe(202);
    const s = await waitFor(t.app, officer.key, (res.body as ScreeningBody).id);
    expect(s).toMatchObject({ state: 'completed', rowsTotal: ROWS.length, rowsFailed: 0, rowErrors: [], warnings: [] });
    expect(s.columns.mapped.map((c) => c.field)).toEqual([
      'name',
      'uscc',
      'location.district',
      'sectors',
      'qualifications',
      'ownership',
      'size',
      'metrics.rdExpenseRatio',
    ]);
    const body = await results(s.id);
    for (const [i, { profile }] of ROWS.entries()) {
      const row = i + 2;
      const stored = await http().get(`/api/v1/screenings/${s.id}/prospects/${row}`).set(bearer(officer.key));
      expect((stored.body as { profile: CompanyProfile }).profile).toEqual(profile);
      const expected = await matchesOf(profile);
      const got = Object.fromEntries(body.items.filter((it) => it.row === row).map((it) => [it.district, it.measures.map((m) => m.measureId).sort()]));
      expect(got).toEqual(expected);
      expect(Object.values(expected).flat().length).toBeGreaterThan(0);
    }
  });

  test('an ambiguous value is left unknown and flagged with both candidates, the row screened; an unknown header is reported', async () => {
    const csv = toCsv([
      ['公司名称', '注册地', '企业性质', '企业资质', '经营范围'],
      ['戊国企', '静安', '国企', '', '技术服务'],
      ['己公司', '静安', '民企', '小巨人', '技术服务'],
    ]);
    const res = expectNoLeak(await upload(t.app, officer.key, csv, 'ambiguous.csv', { asOf: AS_OF }));
    expect(res.status).toBe(202);
    const id = (res.body as ScreeningBody).id;
    const s = await waitFor(t.app, officer.key, id);
    expect(s).toMatchObject({ rowsTotal: 2, rowsFailed: 0 });
    type Err = { path: string; column: string; reason: string; value: string; message: string; candidates: { code: string }[] };
    const warningsOf = async (row: number) =>
      ((await http().get(`/api/v1/screenings/${id}/prospects/${row}`).set(bearer(officer.key))).body as { warnings: Err[]; profile: CompanyProfile }).warnings;
    const first = await warningsOf(2);
    expect(first).toMatchObject([{ path: 'ownership', column: '企业性质', reason: 'ambiguous-value', value: '国企' }]);
    expect(first[0].candidates.map((c) => c.code)).toEqual(['central-state', 'local-state']);
    expect(first[0].message).toBe('第 2 行“企业性质”列："国企"可能指 中央国有 或 地方国有，未作猜测；请选定其一。');
    const second = await warningsOf(3);
    expect(second[0].candidates.map((c) => c.code).sort()).toEqual(['srdi-little-giant', 'tech-little-giant']);
    expect(s.columns.ignored).toEqual([{ header: '经营范围', reason: 'unknown', suggestions: expect.any(Array) }]);
    expect(s.warnings).toEqual([{ column: '经营范围', message: expect.stringContaining('“经营范围”列未识别') }]);
    for (const m of [...s.warnings.map((w) => w.message), ...first.map((x) => x.message)]) expect(m).not.toMatch(/\/api\/|GET /);
  });

  test('messages follow Accept-Language', async () => {
    const csv = toCsv([
      ['公司名称', '注册地'],
      ['庚公司', '静按区'],
    ]);
    const res = await upload(t.app, officer.key, csv, 'typo.csv').set('Accept-Language', 'en-GB,en;q=0.9');
    const s = await waitFor(t.app, officer.key, (res.body as ScreeningBody).id);
    expect(s.rowErrors[0].errors[0].message).toBe('Row 2, column "注册地": "静按区" is not a known District of registration. Closest valid values: Jing\'an');
  });

  test('preview: the same analysis without screening; values fixed for this file then read', async () => {
    const csv = toCsv([
      ['公司名称', '落户区', '企业性质', '备注'],
      ['辛公司', '静按区', '国企', '老客户'],
      ['壬公司', '静安', '民企', ''],
    ]);
    const before = (await http().get('/api/v1/screenings').set(bearer(officer.key))).body as { items: unknown[] };
    const res = await request(t.app.getHttpServer()).post('/api/v1/screenings/preview').set(bearer(officer.key)).attach('file', Buffer.from(csv), 'p.csv');
    expect(res.status).toBe(200);
    const p = res.body as {
      columns: { header: string; field: string | null; source: string; suggestions: string[] }[];
      sampleRows: { row: number; cells: string[] }[];
      values: { column: string; value: string; reason: string; candidates: { code: string }[]; rows: number[] }[];
      errors: { path: string; message: string }[];
    };
    expect(p.columns.map((c) => [c.header, c.field, c.source])).toEqual([
      ['公司名称', 'name', 'recognised'],
      ['落户区', null, 'unknown'],
      ['企业性质', 'ownership', 'recognised'],
      ['备注', null, 'unknown'],
    ]);
    expect(p.columns[1].suggestions).toContain('location.district');
    expect(p.errors).toEqual([{ path: 'file', message: expect.stringContaining('没有一列给出所在区') }]);
    expect(p.sampleRows[0]).toEqual({ row: 2, cells: ['辛公司', '静按区', '国企', '老客户'] });
    expect(p.values).toEqual([expect.objectContaining({ column: '企业性质', value: '国企', reason: 'ambiguous-value', rows: [2] })]);
    expect(((await http().get('/api/v1/screenings').set(bearer(officer.key))).body as { items: unknown[] }).items).toHaveLength(before.items.length);

    // With the district column mapped, the misspelt district shows with the closest valid value.
    const mapped = await http()
      .post('/api/v1/screenings/preview')
      .set(bearer(officer.key))
      .field('mapping', JSON.stringify({ 落户区: 'location.district' }))
      .attach('file', Buffer.from(csv), 'p.csv');
    const mp = mapped.body as typeof p;
    expect(mp.errors).toEqual([]);
    expect(mp.values.find((v) => v.value === '静按区')).toMatchObject({ column: '落户区', reason: 'unknown-value', candidates: [{ code: 'jingan' }] });

    const fixed = await upload(t.app, officer.key, csv, 'fixed.csv', {
      mapping: { 落户区: 'location.district', 备注: null },
      asOf: AS_OF,
    }).field('values', JSON.stringify({ 落户区: { 静按区: 'jingan' }, 企业性质: { 国企: 'local-state' } }));
    expect(fixed.status).toBe(202);
    const s = await waitFor(t.app, officer.key, (fixed.body as ScreeningBody).id);
    expect(s).toMatchObject({ rowsTotal: 2, rowsFailed: 0, warnings: [] });
    const row2 = await http().get(`/api/v1/screenings/${s.id}/prospects/2`).set(bearer(officer.key));
    expect((row2.body as { profile: CompanyProfile }).profile).toMatchObject({ location: { district: 'jingan' }, ownership: 'local-state' });
  });

  test('the XLSX template: drop-down lists on the single-valued columns, every code with labels and everyday names, and it uploads', async () => {
    const res = await binary(http().get('/api/v1/screenings/template.xlsx').set(bearer(officer.key)));
    expect(res.status).toBe(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(res.body as never);
    const sheet = book.getWorksheet('筛查名单')!;
    const headers = (sheet.getRow(1).values as unknown[]).slice(1) as string[];
    const dropDowns: Record<string, string> = {
      'location.district': '所在区',
      'location.area': '功能区',
      ownership: '所有制',
      size: '企业规模',
      listing: '上市情况',
      headquartersRecognition: '总部认定',
    };
    for (const [field, header] of Object.entries(dropDowns)) {
      const column = headers.indexOf(header) + 1;
      expect(column).toBeGreaterThan(0);
      for (const row of [2, 500, 1001]) {
        const v = sheet.getCell(row, column).dataValidation;
        expect(v).toMatchObject({ type: 'list', allowBlank: true });
        // The list is a range of the lists sheet: read it back and compare with the field's labels.
        const m = /^'(.+)'!\$([A-Z]+)\$(\d+):\$([A-Z]+)\$(\d+)$/.exec(v.formulae[0])!;
        const lists = book.getWorksheet(m[1])!;
        const values: unknown[] = [];
        for (let r = Number(m[3]); r <= Number(m[5]); r++) values.push(lists.getCell(`${m[2]}${r}`).value);
        expect(values).toEqual(PROFILE_FIELDS.find((f) => f.key === field)!.codes!.map((c) => c.zh));
      }
    }
    // A multi-valued column has no drop-down (its cells list several values).
    expect(sheet.getCell(2, headers.indexOf('行业') + 1).dataValidation).toBeUndefined();

    const codes = book.getWorksheet('代码表 Codes')!;
    const codeRows = new Map<string, unknown[]>();
    codes.eachRow((row) => {
      const v = row.values as unknown[];
      if (typeof v[3] === 'string') codeRows.set(`${String(v[1])}|${v[3]}`, v);
    });
    expect(codeRows.get('所有制|private')?.slice(4)).toEqual(['民营', 'Private', expect.stringContaining('民企')]);
    expect(codeRows.get('资质|high-tech-enterprise')?.[6]).toEqual(expect.stringContaining('高企'));
    expect(book.getWorksheet('列名 Headers')).toBeDefined();

    const uploaded = await upload(t.app, officer.key, res.body as Buffer, 'template.xlsx');
    expect(uploaded.status).toBe(202);
    expect(uploaded.body).toMatchObject({ rowsTotal: 1, rowsFailed: 0, warnings: [] });
  });

  test('a Big5 or Latin-1 file is refused with a message, not read as garbled GB18030', async () => {
    const big5 = Buffer.from('a5f8b77ea657bad92ca9d2a662b0cf0aa457aefca5d2a5cdaaabaceca7dea6b3adada4bda5712cc052a6770a', 'hex');
    const refused = expectProblem(await upload(t.app, officer.key, big5, 'big5.csv'), 400, 'file');
    expect(refused[0].message).toMatch(/UTF-8.*GB18030/);
    const latin = Buffer.from('name,district\nM\u00fcller Caf\u00e9 GmbH,jingan\nSoci\u00e9t\u00e9 G\u00e9n\u00e9rale,xuhui\n', 'latin1');
    expectProblem(await upload(t.app, officer.key, latin, 'latin1.csv'), 400, 'file');
  });

  test('a department-filtered export holds only that department’s measures, by short title, the scenario in words', async () => {
    const res = await upload(t.app, officer.key, EVERYDAY, 'export.csv', { asOf: AS_OF });
    const s = await waitFor(t.app, officer.key, (res.body as ScreeningBody).id);
    const all = await results(s.id);
    const department = all.items.flatMap((i) => i.measures.flatMap((m) => m.departments.map((d) => d.id)))[0];
    const ofDepartment = new Set(catalog.measures.filter((m) => m.departments.some((d) => d.id === department)).map((m) => m.id));
    const name = catalog.departments.find((d) => d.id === department)!.name;

    const filtered = await results(s.id, { department });
    expect(filtered.items.length).toBeGreaterThan(0);
    for (const item of filtered.items) for (const m of item.measures) expect(ofDepartment.has(m.measureId)).toBe(true);

    const csv = await binary(http().get(`/api/v1/screenings/${s.id}/results.csv`).query({ department }).set(bearer(officer.key)));
    expect(csv.status).toBe(200);
    const rows: Record<string, string>[] = parseCsv((csv.body as Buffer).toString('utf8').replace(/^\uFEFF/, ''), { columns: true });
    expect(rows.length).toBe(filtered.items.length);
    for (const r of rows) {
      for (const id of r['措施编号 Measure IDs'].split('; ')) expect(ofDepartment.has(id)).toBe(true);
      expect(r['责任部门 Departments']).toBe(name);
      expect(['注册在本区', '若迁入本区']).toContain(r['情形 Scenario']);
      // Lean rows: short titles, one per id; status and end date are in the measure list.
      expect(r['措施名称 Measures'].split('；')).toHaveLength(r['措施编号 Measure IDs'].split('; ').length);
      expect(r['措施名称 Measures']).not.toMatch(/（(有效|已到期|尚未生效|期限未载明)/);
    }

    const xlsx = await binary(http().get(`/api/v1/screenings/${s.id}/results.xlsx`).query({ department }).set(bearer(officer.key)));
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(xlsx.body as never);
    const detail = book.getWorksheet('措施明细 Measures')!;
    const header = (detail.getRow(1).values as unknown[]).slice(1);
    expect(header).toEqual([
      '行号 Row',
      '企业名称 Name',
      '评估区 District',
      '情形 Scenario',
      '措施编号 Measure ID',
      '措施名称 Measure',
      '状态 Status',
      '截止日期 End date',
      '责任部门 Departments',
    ]);
    expect(detail.rowCount).toBeGreaterThan(1);
    detail.eachRow((row, n) => {
      if (n === 1) return;
      const v = row.values as unknown[];
      expect(ofDepartment.has(String(v[5]))).toBe(true);
      expect(['有效', '已到期', '尚未生效', '期限未载明']).toContain(v[7]);
      const validTo = catalog.measures.find((m) => m.id === v[5])!.validity.validTo;
      expect(v[8] ?? '').toBe(validTo ?? '');
    });
  });
});
