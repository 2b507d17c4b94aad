import ExcelJS from 'exceljs';
import { parse as parseCsv } from 'csv-parse/sync';
import request from 'supertest';
import { usccCheckCharacter } from '@matcher/catalog';
import { backends } from '../support/backends';
import { expectNoLeak } from '../support/http';
import { createTestApp, type TestApp } from '../support/test-app';
import { bearer, binary, createOfficer, toCsv, upload, waitFor } from './screenings.helpers';

/**
 * An officer's list as officers keep it: yes/no columns (是否高新技术企业 是/否), soft numbers ("约150"), a credit
 * code with a wrong check digit and their own columns (备注). Every company is screened, the soft values are
 * flagged, and the exports give the list back: the officer's columns in order, the answer after, failed rows too.
 */
jest.setTimeout(90_000);

const valid = (body: string): string => `${body}${usccCheckCharacter(body)}`;
const wrongDigit = (body: string): string => `${body}${usccCheckCharacter(body) === '0' ? '1' : '0'}`;

const HEADERS = ['企业名称', '统一社会信用代码', '所在区', '行业', '是否高新技术企业', '员工人数', '备注'];
const ROWS = [
  ['上海甲检测技术有限公司', valid('91310106MA1FL0011'), '静安区', '检验检测认证', '是', '约150', '重点跟进'],
  ['乙芯片设计有限公司', wrongDigit('91310104MA1FL0022'), '徐汇区', '芯片设计', '否', '150人左右', ''],
  ['丙智能装备有限公司', '', '青浦区', '智能装备', '√', '1.2万', '展会认识'],
  ['丁公司', '', '', '人工智能', '是', '80', '区未填'],
];

describe.each(backends())('an officer’s list kept whole on $name', (backend) => {
  let t: TestApp;
  let officer: { id: string; key: string };

  beforeAll(async () => {
    t = await createTestApp(backend);
    officer = await createOfficer(t.app, '李明');
  });
  afterAll(async () => {
    await t?.close();
  });

  test('yes/no, soft values and a bad check digit: every company with a district is screened, the soft values flagged', async () => {
    const res = expectNoLeak(await upload(t.app, officer.key, toCsv([HEADERS, ...ROWS]), '名单.csv', { asOf: '2025-06-01' }));
    expect(res.status).toBe(202);
    const id = (res.body as { id: string }).id;
    const done = await waitFor(t.app, officer.key, id);
    expect(done.state).toBe('completed');
    // Only the row without a district cannot be screened.
    expect(done).toMatchObject({ rowsTotal: 4, rowsFailed: 1 });
    expect(done.columns.mapped).toEqual(expect.arrayContaining([{ header: '是否高新技术企业', field: 'qualifications' }]));
    expect(done.rowErrors.map((r) => r.row)).toEqual([5]);

    const prospect = async (row: number) =>
      (await request(t.app.getHttpServer()).get(`/api/v1/screenings/${id}/prospects/${row}`).set(bearer(officer.key))).body as {
        profile: { qualifications?: string[]; metrics?: { employees?: number }; uscc?: string };
      };
    expect((await prospect(2)).profile).toMatchObject({ qualifications: ['high-tech-enterprise'], metrics: { employees: 150 } });
    expect((await prospect(3)).profile.qualifications).toBeUndefined();
    expect((await prospect(3)).profile.metrics).toEqual({ employees: 150 });
    expect((await prospect(4)).profile).toMatchObject({ qualifications: ['high-tech-enterprise'], metrics: { employees: 12000 } });

    // Results by state, as the company view says them, and the filter "has a measure in force or of unstated term".
    type Item = { row: number; district: string; matchCount: number; inForceCount: number; termUnknownCount: number; expiredCount: number };
    const items = async (query: Record<string, string>) =>
      (
        (
          await request(t.app.getHttpServer())
            .get(`/api/v1/screenings/${id}/results`)
            .query({ limit: 500, ...query })
            .set(bearer(officer.key))
        ).body as { items: Item[] }
      ).items;
    const all = await items({});
    expect(all.length).toBeGreaterThan(0);
    for (const i of all) expect(i.inForceCount + i.termUnknownCount + i.expiredCount).toBeLessThanOrEqual(i.matchCount);
    expect(all.some((i) => i.termUnknownCount > 0)).toBe(true); // the Qingpu prospect
    const applicable = await items({ applicable: 'true' });
    expect(applicable.map((i) => `${i.row}|${i.district}`)).toEqual(
      all.filter((i) => i.inForceCount + i.termUnknownCount > 0).map((i) => `${i.row}|${i.district}`),
    );

    const csv = await request(t.app.getHttpServer()).get(`/api/v1/screenings/${id}/results.csv`).set(bearer(officer.key));
    expect(csv.status).toBe(200);
    const table: string[][] = parseCsv(csv.text.replace(/^\ufeff/, ''), { relax_column_count: true });
    const header = table[0];
    // The officer's columns first, in their order; the answer's after them.
    expect(header.slice(0, HEADERS.length)).toEqual(HEADERS);
    expect(header).toEqual(expect.arrayContaining(['评估区 District', '有效 In force', '期限未载明 Term not stated', '已到期 Expired', '读取说明 Notes']));
    const col = (name: string) => header.indexOf(name);
    const byName = new Map(table.slice(1).map((r) => [r[0], r]));
    expect([...byName.keys()].sort()).toEqual(ROWS.map((r) => r[0]).sort());
    const first = byName.get('上海甲检测技术有限公司')!;
    expect(first.slice(0, HEADERS.length)).toEqual(ROWS[0]);
    expect(first[col('评估区 District')]).toBe('静安区');
    expect(first[col('读取说明 Notes')]).toContain('"约150"按 150 读取（约数）');
    const second = byName.get('乙芯片设计有限公司')!;
    expect(second[col('统一社会信用代码')]).toBe(ROWS[1][1]);
    expect(second[col('读取说明 Notes')]).toContain('校验位');
    expect(second[col('读取说明 Notes')]).toContain('按 150 读取');
    expect(byName.get('丙智能装备有限公司')![col('读取说明 Notes')]).toContain('"1.2万"按 12000 读取');
    const failed = byName.get('丁公司')!;
    expect(failed.slice(0, HEADERS.length)).toEqual(ROWS[3]);
    expect(failed[col('读取说明 Notes')]).toMatch(/^未筛选：.*所在区/);
    expect(csv.text).not.toMatch(/,jingan,|,xuhui,|,qingpu,/);

    const xlsx = await binary(request(t.app.getHttpServer()).get(`/api/v1/screenings/${id}/results.xlsx`).set(bearer(officer.key)));
    expect(xlsx.status).toBe(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(xlsx.body as never);
    const sheet = workbook.worksheets[0];
    const rows: string[][] = [];
    sheet.eachRow((row) => {
      const cells: string[] = [];
      for (let i = 1; i <= row.cellCount; i++) cells.push(row.getCell(i).text);
      rows.push(cells);
    });
    expect(rows[0].slice(0, HEADERS.length)).toEqual(HEADERS);
    expect(
      rows
        .map((r) => r[0])
        .slice(1)
        .sort(),
    ).toEqual(ROWS.map((r) => r[0]).sort());
    expect(rows.find((r) => r[0] === '丁公司')!.join('|')).toContain('未筛选');
    expect(rows.find((r) => r[0] === '上海甲检测技术有限公司')![HEADERS.length - 1]).toBe('重点跟进');
  });

  test('a measure in force that ends within 60 days says so: in the company answer and in the screening results', async () => {
    const profile = { location: { district: 'jingan' }, sectors: ['professional-services/testing-certification'], roles: ['professional-service-institution'] };
    const match = await request(t.app.getHttpServer()).post('/api/v1/match').send({ profile, asOf: '2025-12-04' });
    const matches = (match.body as { matches: { status: string; validTo: string; endsInDays?: number }[] }).matches;
    expect(matches.length).toBeGreaterThan(0);
    expect(matches.some((m) => m.endsInDays === 27)).toBe(true);
    for (const m of matches) expect(m.endsInDays).toBe(m.status === 'in-force' && m.validTo === '2025-12-31' ? 27 : undefined);
    const later = await request(t.app.getHttpServer()).post('/api/v1/match').send({ profile, asOf: '2025-06-01' });
    expect((later.body as { matches: { endsInDays?: number }[] }).matches.every((m) => m.endsInDays === undefined)).toBe(true);

    const res = await upload(t.app, officer.key, toCsv([HEADERS.slice(0, 4), ROWS[0].slice(0, 4)]), '年末.csv', { asOf: '2025-12-04' });
    const id = (res.body as { id: string }).id;
    await waitFor(t.app, officer.key, id);
    const body = (await request(t.app.getHttpServer()).get(`/api/v1/screenings/${id}/results`).set(bearer(officer.key))).body as {
      items: { measures: { validTo: string | null; endsInDays?: number }[] }[];
    };
    const measures = body.items.flatMap((i) => i.measures);
    expect(measures.length).toBeGreaterThan(0);
    for (const m of measures) expect(m.endsInDays).toBe(m.validTo === '2025-12-31' ? 27 : undefined);
  });
});
