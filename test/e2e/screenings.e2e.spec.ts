import type { INestApplication } from '@nestjs/common';
import { parse as parseCsv } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { codeLabel, loadCatalog, usccCheckCharacter, type CompanyProfile, type District } from '@matcher/catalog';
import { defaultDistricts, matchIds, Ruleset } from '@matcher/engine';
import { AuditService } from '../../apps/api/src/audit/audit.service';
import { backends } from '../support/backends';
import { expectNoLeak, expectProblem, UUID } from '../support/http';
import { createTestApp, type TestApp } from '../support/test-app';
import { bearer, binary, createOfficer, getScreening, toCsv, upload, waitFor, type ScreeningBody } from './screenings.helpers';

/**
 * Screening jobs through the whole application on both databases: uploads (CSV with Chinese headers, XLSX,
 * NDJSON; labels and codes; an explicit mapping), row errors, results (paging, filters, sorting), exports
 * parsed back, officers' isolation and the upload limits. Expected matches come from the engine itself
 * (matchIds on the same catalog), so these tests check the pipeline, not the rules.
 */

jest.setTimeout(60_000);

const catalog = loadCatalog();
const ruleset = new Ruleset(catalog);
const AS_OF = '2025-06-01';

const uscc = (body: string): string => `${body}${usccCheckCharacter(body)}`;
const zh = (field: string, code: string): string => codeLabel(field, code)!.zh;
const en = (field: string, code: string): string => codeLabel(field, code)!.en;

/** What the engine says a prospect matches in each district it is evaluated in (results list districts by code). */
function expected(profile: CompanyProfile, districts?: District[]): { district: string; ids: string[] }[] {
  return [...(districts ?? defaultDistricts(profile))].sort().map((d) => ({ district: d, ids: matchIds(ruleset, profile, [d]) }));
}

const TESTING_LAB: CompanyProfile = {
  name: '上海甲检测认证有限公司',
  uscc: uscc('91310106MA1FL0001'),
  location: { district: 'jingan', area: 'jingan/shibei' },
  sectors: ['professional-services/testing-certification'],
  qualifications: ['high-tech-enterprise'],
  roles: ['professional-service-institution'],
  plans: ['international-standards', 'brand-building'],
  metrics: { employees: 120, annualRevenueWan: 5000 },
};
const SAME_IN_CODES: CompanyProfile = { ...TESTING_LAB, name: '乙检测（代码书写）', uscc: undefined, location: { district: 'jingan' }, metrics: undefined };
delete SAME_IN_CODES.uscc;
delete SAME_IN_CODES.metrics;
const PUDONG_SOFTWARE: CompanyProfile = {
  name: '戊软件',
  location: { district: 'other-shanghai' },
  sectors: ['digital/software'],
  qualifications: ['srdi-sme'],
  metrics: { employees: 50 },
};
const QINGPU: CompanyProfile = {
  name: '己科技',
  location: { district: 'qingpu' },
  sectors: ['digital/software', 'ai/models-algorithms'],
  qualifications: ['high-tech-enterprise'],
};

const MEASURES_COLUMN = '措施名称 Measures';

const HEADERS = ['企业名称', '统一社会信用代码', '所在区', '功能区', '行业', '资质', '主体类型', '发展计划', '员工人数', '年营业收入（万元）', '备注'];
/** Row 2 in labels, row 3 the same company in codes, rows 4 and 5 bad, row 6 in Pudong, row 7 blank, row 8 Qingpu. */
const CHINESE_CSV = toCsv([
  HEADERS,
  [
    TESTING_LAB.name!,
    TESTING_LAB.uscc!,
    '静安区',
    zh('location.area', 'jingan/shibei'),
    zh('sectors', 'professional-services/testing-certification'),
    zh('qualifications', 'high-tech-enterprise'),
    zh('roles', 'professional-service-institution'),
    `${zh('plans', 'international-standards')}、${zh('plans', 'brand-building')}`,
    '120',
    '5,000',
    '老客户',
  ],
  [
    SAME_IN_CODES.name!,
    '',
    'jingan',
    '',
    'professional-services/testing-certification',
    'high-tech-enterprise',
    'professional-service-institution',
    'international-standards;brand-building',
    '',
    '',
    '',
  ],
  ['丙公司', '', '火星区', '', zh('sectors', 'digital/software'), '', '', '', '', '', ''],
  [
    '丁公司',
    '',
    '',
    '',
    `${zh('sectors', 'ai')}；${zh('sectors', 'ai/models-algorithms')}`,
    en('qualifications', 'high-tech-enterprise'),
    '',
    '',
    'abc',
    '',
    '',
  ],
  [PUDONG_SOFTWARE.name!, '', '浦东新区', '', zh('sectors', 'digital/software'), zh('qualifications', 'srdi-sme'), '', '', '50', '', ''],
  ['', '', '', '', '', '', '', '', '', '', ''],
  [QINGPU.name!, '', '青浦', '', `数字经济/信息服务/软件开发，${en('sectors', 'ai/models-algorithms')}`, 'High-tech enterprise', '', '', '', '', ''],
]);
const CSV_PROSPECTS: { row: number; profile: CompanyProfile }[] = [
  { row: 2, profile: TESTING_LAB },
  { row: 3, profile: SAME_IN_CODES },
  { row: 6, profile: PUDONG_SOFTWARE },
  { row: 8, profile: QINGPU },
];

interface ResultsBody {
  run: number;
  rulesetVersion: string;
  total: number;
  limit: number;
  offset: number;
  items: {
    row: number;
    name: string | null;
    uscc: string | null;
    district: string;
    scenario: string;
    matchCount: number;
    inForceCount: number;
    measures: { measureId: string; title: string; titleEn: string; status: string; validTo: string | null; departments: { id: string; name: string }[] }[];
  }[];
}

describe.each(backends())('screenings on $name', (backend) => {
  let t: TestApp;
  let app: INestApplication;
  let alice: { id: string; key: string };
  let bob: { id: string; key: string };
  let csvScreening: ScreeningBody;

  const http = (): ReturnType<typeof request> => request(app.getHttpServer());
  const results = async (id: string, query: Record<string, string | number> = {}, key = alice.key): Promise<ResultsBody> => {
    const res = expectNoLeak(await http().get(`/api/v1/screenings/${id}/results`).query(query).set(bearer(key)));
    expect(res.status).toBe(200);
    return res.body as ResultsBody;
  };

  beforeAll(async () => {
    // Small chunks, so even these files are screened in several transactions.
    t = await createTestApp(backend, { SCREENING_CHUNK_ROWS: 2 });
    app = t.app;
    alice = await createOfficer(app, '王芳');
    bob = await createOfficer(app, '李强');
    const res = expectNoLeak(await upload(app, alice.key, CHINESE_CSV, '二季度招商名单.csv', { asOf: AS_OF }));
    if (res.status !== 202) throw new Error(`upload: ${res.status} ${res.text}`);
    csvScreening = await waitFor(app, alice.key, (res.body as ScreeningBody).id);
  });

  afterAll(async () => {
    await t?.close();
  });

  test('every screening route needs a key: 401 problem+json without one or with a bad one', async () => {
    const id = csvScreening.id;
    for (const [method, path] of [
      ['get', '/api/v1/screenings'],
      ['get', '/api/v1/screenings/template.csv'],
      ['get', `/api/v1/screenings/${id}`],
      ['get', `/api/v1/screenings/${id}/results`],
      ['get', `/api/v1/screenings/${id}/results.csv`],
      ['get', `/api/v1/screenings/${id}/results-measures.csv`],
      ['get', `/api/v1/screenings/${id}/changes`],
      ['post', `/api/v1/screenings/${id}/rerun`],
      ['delete', `/api/v1/screenings/${id}`],
    ] as const) {
      expectProblem(await http()[method](path), 401);
      expectProblem(await http()[method](path).set(bearer('pm_not-a-real-key-0000000000')), 401);
    }
    expectProblem(await http().post('/api/v1/screenings').attach('file', Buffer.from(CHINESE_CSV), 'x.csv'), 401);
    expect((await getScreening(app, alice.key, id)).state).toBe('completed');
  });

  test('a Chinese-header CSV: the bad rows are reported with their row numbers and reasons, the others screened', () => {
    const s = csvScreening;
    expect(s).toMatchObject({
      id: expect.stringMatching(UUID),
      name: '二季度招商名单.csv',
      state: 'completed',
      rowsTotal: 6,
      rowsFailed: 2,
      rowsDone: 6,
      rowsScreened: 4,
      currentRun: 1,
    });
    expect(s.rowErrors.map((e) => e.row)).toEqual([4, 5]);
    expect(s.rowErrors[0].errors).toEqual([
      expect.objectContaining({ path: 'location.district', column: '所在区', message: expect.stringContaining('"火星区"') }),
    ]);
    // Without a district the row cannot be screened; its unreadable figure alone would only have been left unknown.
    expect(s.rowErrors[1].errors).toEqual([expect.objectContaining({ path: 'location.district', message: expect.stringContaining('所在区为空') })]);
    // The unknown column is reported once, not per row, and is not fatal.
    expect(s.columns.ignored).toEqual([{ header: '备注', reason: 'unknown', suggestions: [] }]);
    expect(s.warnings.filter((w) => w.column === '备注')).toHaveLength(1);
    expect(s.columns.mapped.map((c) => c.field)).toEqual([
      'name',
      'uscc',
      'location.district',
      'location.area',
      'sectors',
      'qualifications',
      'roles',
      'plans',
      'metrics.employees',
      'metrics.annualRevenueWan',
    ]);
    expect(s.runs).toEqual([
      expect.objectContaining({ run: 1, rulesetVersion: ruleset.version, state: 'completed', chunksDone: 2, chunksTotal: 2, rowsDone: 4 }),
    ]);
  });

  test('labels and codes give the same profile; results equal the engine for every prospect × district', async () => {
    const body = await results(csvScreening.id, { limit: 500 });
    const want = CSV_PROSPECTS.flatMap(({ row, profile }) => expected(profile).map((e) => ({ row, ...e })));
    expect(body.total).toBe(want.length);
    expect(body.items.map((i) => ({ row: i.row, district: i.district, ids: i.measures.map((m) => m.measureId) }))).toEqual(want);
    const [labels, codes] = body.items.filter((i) => i.row === 2 || i.row === 3);
    expect(labels.measures.length).toBeGreaterThan(0);
    expect(codes.measures).toEqual(labels.measures);
    expect(labels).toMatchObject({ name: TESTING_LAB.name, uscc: TESTING_LAB.uscc, scenario: 'current-location', matchCount: labels.measures.length });
    expect(labels.inForceCount).toBe(labels.measures.filter((m) => m.status === 'in-force').length);
    // 浦东新区 is another Shanghai district: evaluated in all three as a relocation.
    expect(body.items.filter((i) => i.row === 6).map((i) => [i.district, i.scenario])).toEqual([
      ['jingan', 'relocation'],
      ['qingpu', 'relocation'],
      ['xuhui', 'relocation'],
    ]);
    // The same measures as POST /match for that profile.
    const match = await http().post('/api/v1/match').send({ profile: TESTING_LAB, asOf: AS_OF });
    expect(labels.measures.map((m) => m.measureId).sort()).toEqual((match.body as { matches: { measureId: string }[] }).matches.map((m) => m.measureId).sort());
  });

  test('results page, filter by district, department and measure, and sort', async () => {
    const id = csvScreening.id;
    const all = await results(id, { limit: 500 });
    const page = await results(id, { limit: 2, offset: 2 });
    expect(page).toMatchObject({ total: all.total, limit: 2, offset: 2 });
    expect(page.items).toEqual(all.items.slice(2, 4));

    const jingan = await results(id, { district: 'jingan', limit: 500 });
    expect(jingan.items.map((i) => i.row)).toEqual([2, 3, 6]);
    expect(jingan.total).toBe(3);

    const measure = all.items.find((i) => i.row === 2)!.measures[0];
    const byMeasure = await results(id, { measure: measure.measureId, limit: 500 });
    expect(byMeasure.total).toBeGreaterThan(0);
    expect(byMeasure.items.every((i) => i.measures.some((m) => m.measureId === measure.measureId))).toBe(true);
    expect(byMeasure.total).toBe(all.items.filter((i) => i.measures.some((m) => m.measureId === measure.measureId)).length);

    const department = measure.departments[0].id;
    const byDepartment = await results(id, { department, limit: 500 });
    expect(byDepartment.items.map((i) => `${i.row}/${i.district}`)).toEqual(
      all.items.filter((i) => i.measures.some((m) => m.departments.some((d) => d.id === department))).map((i) => `${i.row}/${i.district}`),
    );

    const desc = await results(id, { sort: '-matchCount', limit: 500 });
    const counts = desc.items.map((i) => i.matchCount);
    expect(counts).toEqual([...counts].sort((a, b) => b - a));
    const asc = await results(id, { sort: 'matchCount', limit: 500 });
    expect(asc.items.map((i) => i.matchCount)).toEqual([...counts].sort((a, b) => a - b));
    const byName = await results(id, { sort: 'name', limit: 500 });
    const names = byName.items.map((i) => i.name!);
    expect(names).toEqual([...names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));

    expectProblem(await http().get(`/api/v1/screenings/${id}/results`).query({ district: 'pudong' }).set(bearer(alice.key)), 400, 'district');
    expectProblem(await http().get(`/api/v1/screenings/${id}/results`).query({ limit: 501 }).set(bearer(alice.key)), 400, 'limit');
    expectProblem(await http().get(`/api/v1/screenings/${id}/results`).query({ sort: 'uscc' }).set(bearer(alice.key)), 400, 'sort');
    expectProblem(await http().get(`/api/v1/screenings/${id}/results`).query({ department: 'no-such-department' }).set(bearer(alice.key)), 400, 'department');
  });

  test('results.csv and results.xlsx hold the same rows (filters apply) and parse back', async () => {
    const id = csvScreening.id;
    const all = await results(id, { limit: 500 });
    const csvRes = await binary(http().get(`/api/v1/screenings/${id}/results.csv`).set(bearer(alice.key)));
    expect(csvRes.status).toBe(200);
    expect(csvRes.headers['content-type']).toMatch(/^text\/csv/);
    expect(csvRes.headers['content-disposition']).toMatch(/attachment/);
    const bytes = csvRes.body as Buffer;
    expect(bytes.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    const records = parseCsv<Record<string, string>>(bytes, { bom: true, columns: true });
    // The officer's own columns first (企业名称 among them), then the answer's; the district by name.
    expect(Object.keys(records[0])).toEqual(
      expect.arrayContaining(['企业名称', '所在区', '行号 Row', '评估区 District', '匹配措施数 Matches', MEASURES_COLUMN, '责任部门 Departments']),
    );
    const NAMES: Record<string, string> = { jingan: '静安区', xuhui: '徐汇区', qingpu: '青浦区' };
    const screened = records.filter((r) => !r['读取说明 Notes'].startsWith('未筛选'));
    expect(screened.map((r) => [Number(r['行号 Row']), r['评估区 District'], r['措施编号 Measure IDs']])).toEqual(
      all.items.map((i) => [i.row, NAMES[i.district], i.measures.map((m) => m.measureId).join('; ')]),
    );
    // The rows that were not screened come back too, with their reasons.
    expect(records.slice(screened.length).map((r) => [Number(r['行号 Row']), r['企业名称']])).toEqual([
      [4, '丙公司'],
      [5, '丁公司'],
    ]);
    // Lean rows: each measure by its short title; its status and end date are in the measure list, once.
    expect(records[0][MEASURES_COLUMN]).toBe(all.items[0].measures.map((m) => m.title).join('；'));
    expect(Object.values(records[0]).join('|')).not.toMatch(/（(有效|已到期)/);
    const english = await binary(http().get(`/api/v1/screenings/${id}/results.csv`).query({ lang: 'en' }).set(bearer(alice.key)));
    expect(parseCsv<Record<string, string>>(english.body as Buffer, { bom: true, columns: true })[0][MEASURES_COLUMN]).toBe(
      all.items[0].measures.map((m) => m.titleEn).join('; '),
    );
    const listRes = await binary(http().get(`/api/v1/screenings/${id}/results-measures.csv`).query({ lang: 'en' }).set(bearer(alice.key)));
    expect(listRes.status).toBe(200);
    expect(listRes.headers['content-type']).toMatch(/^text\/csv/);
    expect(listRes.headers['content-disposition']).toContain('results-measures.csv');
    const listed = parseCsv<Record<string, string>>(listRes.body as Buffer, { bom: true, columns: true });
    const once = new Map(all.items.flatMap((i) => i.measures.map((m) => [m.measureId, m] as const)));
    expect(listed.map((r) => r['措施编号 Measure ID'])).toEqual([...once.keys()].sort());
    for (const r of listed) {
      const m = once.get(r['措施编号 Measure ID'])!;
      const status = { 'in-force': 'in force', expired: 'expired', 'not-yet-in-force': 'not yet in force', 'term-unknown': 'term not stated' }[m.status];
      expect([r['措施名称 Measure'], r['状态 Status'], r['截止日期 End date']]).toEqual([m.titleEn, status, m.validTo ?? '']);
      expect(Number(r['匹配结果数 Results'])).toBe(all.items.filter((i) => i.measures.some((x) => x.measureId === m.measureId)).length);
    }

    // Compressed only when the client asks (a browser does); a client asking for the file as is gets it as is.
    const asIs = await binary(http().get(`/api/v1/screenings/${id}/results.csv`).set(bearer(alice.key)).set('Accept-Encoding', 'identity'));
    expect(asIs.headers['content-encoding']).toBeUndefined();
    expect((asIs.body as Buffer).equals(bytes)).toBe(true);
    const zipped = await binary(http().get(`/api/v1/screenings/${id}/results.csv`).set(bearer(alice.key)).set('Accept-Encoding', 'gzip'));
    expect(zipped.headers['content-encoding']).toBe('gzip');

    const filtered = await binary(http().get(`/api/v1/screenings/${id}/results.csv`).query({ district: 'qingpu', sort: '-matchCount' }).set(bearer(alice.key)));
    expect(parseCsv<Record<string, string>>(filtered.body as Buffer, { bom: true, columns: true }).map((r) => r['评估区 District'])).toEqual(
      all.items.filter((i) => i.district === 'qingpu').map(() => '青浦区'),
    );

    const xlsxRes = await binary(http().get(`/api/v1/screenings/${id}/results.xlsx`).set(bearer(alice.key)));
    expect(xlsxRes.status).toBe(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(xlsxRes.body as never);
    const sheet = workbook.worksheets[0];
    const header = (sheet.getRow(1).values as unknown[]).slice(1);
    expect(header).toEqual(expect.arrayContaining(['企业名称', '行号 Row', '措施编号 Measure IDs']));
    const rowCol = header.indexOf('行号 Row') + 1;
    const idsCol = header.indexOf('措施编号 Measure IDs') + 1;
    const sheetRows: [number, string][] = [];
    sheet.eachRow((row, n) => {
      // eslint-disable-next-line @typescript-eslint/no-base-to-string -- the ids column is written as plain text
      if (n > 1) sheetRows.push([Number(row.getCell(rowCol).value), String(row.getCell(idsCol).value ?? '')]);
    });
    expect(sheetRows).toEqual([...all.items.map((i): [number, string] => [i.row, i.measures.map((m) => m.measureId).join('; ')]), [4, ''], [5, '']]);
  });

  test('an XLSX upload (first sheet, cells of every kind) is screened like the CSV', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('名单');
    sheet.addRow(['企业名称', '所在区', '行业', '资质', '成立年份', '研发费用占比', '发明专利数']);
    sheet.addRow([
      QINGPU.name,
      '青浦区',
      `${zh('sectors', 'digital/software')}、${zh('sectors', 'ai/models-algorithms')}`,
      { richText: [{ text: '高新技术' }, { text: '企业' }] },
      new Date(Date.UTC(2016, 4, 1)),
      '8%',
      { formula: '3*4', result: 12 },
    ]);
    sheet.addRow(['坏行', '', '不存在的行业', '', 2020, 0.05, 1]);
    workbook.addWorksheet('说明').addRow(['企业名称', '所在区']);
    const buffer = Buffer.from(await workbook.xlsx.writeBuffer());
    const res = expectNoLeak(await upload(app, alice.key, buffer, '名单.xlsx', { asOf: AS_OF }));
    // Status and body together, so a refusal shows its problem.
    expect({ status: res.status, body: res.body as unknown }).toMatchObject({ status: 202, body: { format: 'xlsx', rowsTotal: 2, rowsFailed: 1 } });
    const s = await waitFor(app, alice.key, (res.body as ScreeningBody).id);
    expect(s.rowErrors).toEqual([{ row: 3, errors: [expect.objectContaining({ path: 'location.district', message: expect.stringContaining('所在区为空') })] }]);
    const profile: CompanyProfile = { ...QINGPU, metrics: { foundedYear: 2016, rdExpenseRatio: 0.08, inventionPatents: 12 } };
    const body = await results(s.id);
    expect(body.items.map((i) => ({ row: i.row, district: i.district, ids: i.measures.map((m) => m.measureId) }))).toEqual(
      expected(profile).map((e) => ({ row: 2, ...e })),
    );
    const one = await http().get(`/api/v1/screenings/${s.id}/prospects/2`).set(bearer(alice.key));
    expect(one.status).toBe(200);
    expect(one.body).toMatchObject({ row: 2, profile: { metrics: { foundedYear: 2016, rdExpenseRatio: 0.08, inventionPatents: 12 } } });
  });

  test('an NDJSON upload: one profile per line (codes or labels, nested or flat), bad lines numbered', async () => {
    const lines = [
      JSON.stringify(TESTING_LAB),
      '',
      '{"name": "坏 JSON"',
      JSON.stringify({ 企业名称: '平铺写法', 所在区: '徐汇区', 行业: ['人工智能', 'ai/robotics'], 资质: '高新技术企业', extra: 1 }),
      JSON.stringify({ location: { district: 'jingan', area: 'xuhui/west-bund' } }),
      '[1, 2]',
    ];
    const res = expectNoLeak(await upload(app, alice.key, `${lines.join('\n')}\n`, 'prospects.ndjson', { asOf: AS_OF }));
    expect(res.status).toBe(202);
    const s = await waitFor(app, alice.key, (res.body as ScreeningBody).id);
    expect(s).toMatchObject({ state: 'completed', rowsTotal: 5, rowsFailed: 2 });
    expect(s.rowErrors).toEqual([
      { row: 3, errors: [{ path: '', message: 'is not valid JSON' }] },
      { row: 6, errors: [{ path: '', message: expect.stringContaining('JSON object') }] },
    ]);
    // An area of another district is left unknown and said so; the prospect is screened in its district.
    const five = await http().get(`/api/v1/screenings/${s.id}/prospects/5`).set(bearer(alice.key));
    expect(five.body).toMatchObject({
      profile: { location: { district: 'jingan' } },
      warnings: [expect.objectContaining({ path: 'location.area', message: '第 5 行“location.area”列：功能区不在静安区内；此项按未知处理，企业仍参与筛选' })],
    });
    expect(s.columns.ignored).toEqual([{ header: 'extra', reason: 'unknown', suggestions: [] }]);
    const flat: CompanyProfile = {
      name: '平铺写法',
      location: { district: 'xuhui' },
      sectors: ['ai', 'ai/robotics'],
      qualifications: ['high-tech-enterprise'],
    };
    const body = await results(s.id, { limit: 500 });
    expect(body.items.map((i) => ({ row: i.row, district: i.district, ids: i.measures.map((m) => m.measureId) }))).toEqual([
      ...expected(TESTING_LAB).map((e) => ({ row: 1, ...e })),
      ...expected(flat).map((e) => ({ row: 4, ...e })),
      ...expected({ location: { district: 'jingan' } }).map((e) => ({ row: 5, ...e })),
    ]);
  });

  test('an explicit column mapping names unusual headers, ignores a column, and districts/asOf apply to every row', async () => {
    const csv = toCsv([
      ['公司', '落户街区', '领域', '内部编号'],
      ['映射公司', '静安', zh('sectors', 'digital/software'), 'A-001'],
    ]);
    const res = expectNoLeak(
      await upload(app, alice.key, csv, 'mapped.csv', {
        name: '映射测试',
        mapping: { 公司: 'name', 落户街区: 'location.district', 领域: '行业', 内部编号: null },
        districts: 'jingan,徐汇区',
        asOf: AS_OF,
      }),
    );
    expect(res.status).toBe(202);
    const s = await waitFor(app, alice.key, (res.body as ScreeningBody).id);
    expect(s).toMatchObject({ name: '映射测试', rowsTotal: 1, rowsFailed: 0, warnings: [] });
    expect(s.columns).toEqual({
      mapped: [
        { header: '公司', field: 'name' },
        { header: '落户街区', field: 'location.district' },
        { header: '领域', field: 'sectors' },
      ],
      ignored: [{ header: '内部编号', reason: 'mapped-to-null' }],
      headers: ['公司', '落户街区', '领域', '内部编号'],
    });
    const profile: CompanyProfile = { name: '映射公司', location: { district: 'jingan' }, sectors: ['digital/software'] };
    const body = await results(s.id);
    expect(body.items.map((i) => ({ district: i.district, scenario: i.scenario, ids: i.measures.map((m) => m.measureId) }))).toEqual(
      expected(profile, ['jingan', 'xuhui']).map((e) => ({
        district: e.district,
        scenario: e.district === 'jingan' ? 'current-location' : 'relocation',
        ids: e.ids,
      })),
    );

    // Without the mapping, no column gives the district: 400 before anything is stored.
    expectProblem(await upload(app, alice.key, csv, 'unmapped.csv'), 400, 'file', /所在区/);
    expectProblem(await upload(app, alice.key, csv, 'x.csv', { mapping: '{not json' }), 400, 'mapping');
    expectProblem(await upload(app, alice.key, csv, 'x.csv', { mapping: { 公司: 'company-size-in-feet' } }), 400, 'mapping.公司');
    expectProblem(await upload(app, alice.key, csv, 'x.csv', { mapping: { 不存在: 'name', 落户街区: 'district' } }), 400, 'mapping.不存在');
    expectProblem(await upload(app, alice.key, csv, 'x.csv', { mapping: { 落户街区: 'district' }, districts: 'pudong' }), 400, 'districts');
    expectProblem(await upload(app, alice.key, csv, 'x.csv', { mapping: { 落户街区: 'district' }, asOf: '2025-02-30' }), 400, 'asOf');
  });

  test('the template downloads with the Chinese headers, and uploading it screens its example row', async () => {
    const csvRes = await binary(http().get('/api/v1/screenings/template.csv').set(bearer(alice.key)));
    expect(csvRes.status).toBe(200);
    const [header, example] = parseCsv(csvRes.body as Buffer, { bom: true });
    expect(header.slice(0, 14)).toEqual([
      '企业名称',
      '统一社会信用代码',
      '所在区',
      '功能区',
      '行业',
      '总部类型',
      '总部认定',
      '资质',
      '主体类型',
      '所有制',
      '企业规模',
      '上市情况',
      '发展计划',
      '人才',
    ]);
    expect(header).toEqual(expect.arrayContaining(['员工人数', '年营业收入（万元）']));
    const fromCsv = await upload(app, alice.key, csvRes.body as Buffer, 'template.csv');
    expect(fromCsv.status).toBe(202);
    expect(fromCsv.body).toMatchObject({ rowsTotal: 1, rowsFailed: 0, warnings: [] });
    expect(example[0]).toBeTruthy();

    const xlsxRes = await binary(http().get('/api/v1/screenings/template.xlsx').set(bearer(alice.key)));
    expect(xlsxRes.status).toBe(200);
    const fromXlsx = await upload(app, alice.key, xlsxRes.body as Buffer, 'template.xlsx');
    expect(fromXlsx.status).toBe(202);
    expect(fromXlsx.body).toMatchObject({ format: 'xlsx', rowsTotal: 1, rowsFailed: 0 });
  });

  test('another officer sees none of it: 404 on every route, and an empty list', async () => {
    const id = csvScreening.id;
    for (const [method, path] of [
      ['get', `/api/v1/screenings/${id}`],
      ['get', `/api/v1/screenings/${id}/results`],
      ['get', `/api/v1/screenings/${id}/results.csv`],
      ['get', `/api/v1/screenings/${id}/results.xlsx`],
      ['get', `/api/v1/screenings/${id}/results-measures.csv`],
      ['get', `/api/v1/screenings/${id}/prospects/2`],
      ['get', `/api/v1/screenings/${id}/changes`],
      ['post', `/api/v1/screenings/${id}/rerun`],
      ['delete', `/api/v1/screenings/${id}`],
    ] as const) {
      expectProblem(await http()[method](path).set(bearer(bob.key)), 404);
    }
    const list = await http().get('/api/v1/screenings').set(bearer(bob.key));
    expect(list.body).toEqual({ items: [] });
    const own = await http().get('/api/v1/screenings').set(bearer(alice.key));
    expect((own.body as { items: { id: string }[] }).items.map((i) => i.id)).toContain(id);
    expect((own.body as { items: object[] }).items[0]).toEqual(
      expect.objectContaining({
        id: expect.any(String),
        name: expect.any(String),
        state: expect.any(String),
        rowsTotal: expect.any(Number),
        rowsDone: expect.any(Number),
        rowsFailed: expect.any(Number),
        createdAt: expect.any(String),
        currentRun: expect.any(Number),
      }),
    );
    // Still there for its owner.
    expect((await getScreening(app, alice.key, id)).state).toBe('completed');
  });

  test('one prospect in full (as POST /match), a failed row with its errors, and unknown rows', async () => {
    const id = csvScreening.id;
    const full = await http().get(`/api/v1/screenings/${id}/prospects/2`).query({ lang: 'en' }).set(bearer(alice.key));
    expect(full.status).toBe(200);
    const match = await http().post('/api/v1/match').send({ profile: TESTING_LAB, asOf: AS_OF, lang: 'en' });
    expect(full.body).toMatchObject({ row: 2, name: TESTING_LAB.name, rulesetVersion: ruleset.version, asOf: AS_OF, districts: ['jingan'] });
    expect(full.body.matches).toEqual((match.body as { matches: unknown[] }).matches);
    expect(full.body.questions).toEqual((match.body as { questions: unknown[] }).questions);
    const failed = await http().get(`/api/v1/screenings/${id}/prospects/4`).set(bearer(alice.key));
    expect(failed.body).toMatchObject({ row: 4, errors: [expect.objectContaining({ path: 'location.district' })] });
    expectProblem(await http().get(`/api/v1/screenings/${id}/prospects/7`).set(bearer(alice.key)), 404);
    expectProblem(await http().get(`/api/v1/screenings/${id}/prospects/x`).set(bearer(alice.key)), 400, 'row');
    expectProblem(await http().get('/api/v1/screenings/not-a-uuid').set(bearer(alice.key)), 400, 'id');
  });

  test('a finished screening is removed by DELETE (204), then 404', async () => {
    const res = await upload(
      app,
      alice.key,
      toCsv([
        ['企业名称', '所在区'],
        ['待删除', '静安区'],
      ]),
      'delete-me.csv',
    );
    const s = await waitFor(app, alice.key, (res.body as ScreeningBody).id);
    expect(s.state).toBe('completed');
    const del = await http().delete(`/api/v1/screenings/${s.id}`).set(bearer(alice.key));
    expect(del.status).toBe(204);
    expectProblem(await http().get(`/api/v1/screenings/${s.id}`).set(bearer(alice.key)), 404);
    expectProblem(await http().get(`/api/v1/screenings/${s.id}/results`).set(bearer(alice.key)), 404);
  });

  test('changes need two runs (409), and a rerun of an unchanged ruleset changes nothing', async () => {
    const res = await upload(app, alice.key, CHINESE_CSV, 'rerun.csv', { asOf: AS_OF });
    const s = await waitFor(app, alice.key, (res.body as ScreeningBody).id);
    expectProblem(await http().get(`/api/v1/screenings/${s.id}/changes`).set(bearer(alice.key)), 409);
    const rerun = await http().post(`/api/v1/screenings/${s.id}/rerun`).set(bearer(alice.key));
    expect(rerun.status).toBe(202);
    expect(rerun.body).toMatchObject({ currentRun: 2 });
    const done = await waitFor(app, alice.key, s.id);
    expect(done.runs.map((r) => [r.run, r.state, r.rulesetVersion])).toEqual([
      [1, 'completed', ruleset.version],
      [2, 'completed', ruleset.version],
    ]);
    const changes = await http().get(`/api/v1/screenings/${s.id}/changes`).set(bearer(alice.key));
    expect(changes.body).toMatchObject({ fromRun: 1, toRun: 2, fromRulesetVersion: ruleset.version, toRulesetVersion: ruleset.version, total: 0, items: [] });
    expect((await results(s.id, { run: 1 })).items.map((i) => i.measures)).toEqual((await results(s.id)).items.map((i) => i.measures));
    // Each run is audited: who, which screening and run, on which ruleset, with the row counts.
    await app.get(AuditService).flush();
    const audited = await app.get(DataSource).query<
      {
        ruleset_version: string;
        request: { officerId: string; run: number };
        summary: { rowsTotal: number; rowsFailed: number };
      }[]
    >(`SELECT ruleset_version, request, summary FROM evaluation WHERE kind = 'screening' AND request->>'screeningId' = $1 ORDER BY (request->>'run')::int`, [s.id]);
    expect(audited.map((a) => [a.request.run, a.request.officerId, a.ruleset_version, a.summary.rowsTotal, a.summary.rowsFailed])).toEqual([
      [1, alice.id, ruleset.version, 6, 2],
      [2, alice.id, ruleset.version, 6, 2],
    ]);
  });

  test('limits and malformed uploads: 413 over the size or row limit, 400 without a file, 415 for .xls, 400 for an empty file', async () => {
    const small = await createTestApp(backend, { SCREENING_MAX_UPLOAD_BYTES: 2048, SCREENING_MAX_ROWS: 3 });
    try {
      const officer = await createOfficer(small.app, '限额');
      const big = toCsv([['企业名称', '所在区'], ...Array.from({ length: 200 }, (_, i) => [`企业${i}`, '静安区'])]);
      const tooBig = expectProblem(await upload(small.app, officer.key, big, 'big.csv'), 413);
      expect(tooBig).toEqual([]);
      const rows = toCsv([['企业名称', '所在区'], ...Array.from({ length: 4 }, (_, i) => [`企业${i}`, '静安区'])]);
      const tooMany = await upload(small.app, officer.key, rows, 'rows.csv');
      expectProblem(tooMany, 413);
      expect(tooMany.body).toMatchObject({ limit: 3 });
      const list = await request(small.app.getHttpServer()).get('/api/v1/screenings').set(bearer(officer.key));
      expect(list.body).toEqual({ items: [] }); // nothing half-stored
      const ok = await upload(
        small.app,
        officer.key,
        toCsv([
          ['企业名称', '所在区'],
          ['一', '静安区'],
          ['', ''],
          ['二', '徐汇区'],
          ['三', '青浦区'],
        ]),
        'three.csv',
      );
      expect(ok.status).toBe(202);
    } finally {
      await small.close();
    }
    expectProblem(await http().post('/api/v1/screenings').set(bearer(alice.key)).field('name', 'no file'), 400, 'file');
    expectProblem(await http().post('/api/v1/screenings').set(bearer(alice.key)).send({ profiles: [] }), 400, 'file');
    expectProblem(await upload(app, alice.key, Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0]), 'old.xls'), 415);
    expectProblem(await upload(app, alice.key, '\r\n\r\n', 'empty.csv'), 400, 'file');
    expectProblem(await upload(app, alice.key, toCsv([['企业名称', '所在区']]), 'header-only.csv'), 400, 'file');
    expectProblem(await upload(app, alice.key, 'not a zip', 'fake.xlsx'), 400, 'file');
    expectProblem(await http().post('/api/v1/screenings').set(bearer(alice.key)).attach('other', Buffer.from('a'), 'a.csv'), 400, 'other');
  });

  test('GB18030 CSV (Excel on Chinese Windows) and tab-separated text are read', async () => {
    // 企业名称,所在区 / 测试,静安区 in GB18030.
    const gbk = Buffer.from('c6f3d2b5c3fbb3c62ccbf9d4dac7f80d0ab2e2cad42cbeb2b0b2c7f80d0a', 'hex');
    const res = await upload(app, alice.key, gbk, 'gbk.csv');
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ rowsTotal: 1, rowsFailed: 0 });
    const tsv = await upload(app, alice.key, '企业名称\t所在区\t行业\n制表符\t静安区\t软件开发、人工智能\n', 'tabs.txt');
    expect(tsv.status).toBe(202);
    expect(tsv.body).toMatchObject({ rowsTotal: 1, rowsFailed: 0 });
    const s = await waitFor(app, alice.key, (tsv.body as ScreeningBody).id);
    expect((await results(s.id)).items[0]).toMatchObject({ name: '制表符', district: 'jingan' });
  });
});
