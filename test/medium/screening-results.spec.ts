import { Writable } from 'node:stream';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import type { Response } from 'express';
import { matchProfile, statusOf } from '@matcher/engine';
import { ProblemException } from '../../apps/api/src/common/problem';
import type { ScreeningResultRow } from '@matcher/contracts';
import type { ScreeningRow } from '@matcher/persistence';
import { expectedResults, openScreeningFixture, prospects, type ScreeningFixture } from './screening-fixture';

/**
 * The screening results service on a real embedded database, without HTTP: paging, filters by district,
 * department and measure, the sort orders, and what a CSV or XLSX export holds — each checked against what the
 * engine computes for the same profiles.
 */

jest.setTimeout(30_000);

const AS_OF = '2025-06-01';
const PROFILES = prospects(30);

let fx: ScreeningFixture;
let screening: ScreeningRow;
/** The engine's results, in (row, district) order, with the fields the service reports. */
let expected: { row: number; district: string; scenario: string; ids: string[]; name: string | null; matchCount: number }[];

beforeAll(async () => {
  fx = await openScreeningFixture({ SCREENING_CHUNK_ROWS: '8' });
  screening = await fx.screen(PROFILES, { asOf: AS_OF });
  await fx.processor.drain(screening.id, 1, { shouldStop: () => false, mayReset: false });
  screening = (await fx.store.screening(screening.id))!;
  expect(screening.state).toBe('completed');
  expected = expectedResults(fx.ruleset, PROFILES).map((e) => ({ ...e, name: PROFILES[e.row - 1].name ?? null, matchCount: e.ids.length }));
}, 120_000); // PGlite start-up, migrations, the catalog seed and one run; slow only on a busy machine

afterAll(async () => {
  await fx?.close();
});

const key = (i: { row: number; district: string }): string => `${i.row}/${i.district}`;
const page = (q: Record<string, unknown>) => fx.results.results(screening, { limit: 500, offset: 0, ...q });

/** The measure most often matched, and a department responsible for it. */
function busiest(): { measure: string; department: string } {
  const counts = new Map<string, number>();
  for (const e of expected) for (const id of e.ids) counts.set(id, (counts.get(id) ?? 0) + 1);
  const [measure] = [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0];
  return { measure, department: fx.ruleset.measures.get(measure)!.departments[0].id };
}

test('every result lists the measures the engine matches, with their titles, departments and status on the run date', async () => {
  const all = await page({});
  expect(all).toMatchObject({ run: 1, rulesetVersion: fx.ruleset.version, asOf: AS_OF, total: expected.length, limit: 500, offset: 0 });
  expect(all.items.map((i) => ({ row: i.row, district: i.district, scenario: i.scenario, ids: i.measures.map((m) => m.measureId) }))).toEqual(
    expected.map(({ row, district, scenario, ids }) => ({ row, district, scenario, ids })),
  );
  let withStatus = 0;
  for (const item of all.items) {
    const profile = PROFILES[item.row - 1];
    expect(item.name).toBe(profile.name ?? null);
    expect(item.uscc).toBe(profile.uscc ?? null);
    const outcome = matchProfile(fx.ruleset, profile, { districts: [item.district], asOf: AS_OF });
    expect(item.measures.map((m) => m.measureId).sort()).toEqual(outcome.matches.map((m) => m.measureId).sort());
    for (const m of item.measures) {
      const engine = outcome.matches.find((x) => x.measureId === m.measureId)!;
      expect(m).toEqual({
        measureId: engine.measureId,
        title: engine.title,
        titleEn: engine.titleEn,
        status: engine.status,
        validTo: engine.validTo,
        // The engine's result names departments; the screening result adds their ids (the department filter's values).
        departments: engine.departments.map(({ name, nameEn, source }, k) => ({
          id: fx.ruleset.measures.get(m.measureId)!.departments[k].id,
          name,
          nameEn,
          source,
        })),
      });
      withStatus += 1;
    }
    expect(item.inForceCount).toBe(item.measures.filter((m) => m.status === 'in-force').length);
  }
  expect(withStatus).toBeGreaterThan(0);
  expect(all.items.some((i) => i.inForceCount > 0)).toBe(true);
});

test('pages follow each other without gap or overlap, and the last one is short', async () => {
  const limit = 7;
  const seen: ScreeningResultRow[] = [];
  for (let offset = 0; offset < expected.length; offset += limit) {
    const p = await fx.results.results(screening, { limit, offset });
    expect(p.total).toBe(expected.length);
    expect(p.items).toHaveLength(Math.min(limit, expected.length - offset));
    seen.push(...p.items);
  }
  expect(seen.map(key)).toEqual(expected.map(key));
  await expect(fx.results.results(screening, { limit, offset: expected.length })).resolves.toMatchObject({ total: expected.length, items: [] });
});

test('sort orders: by matches (both ways, ties by row and district), by name (unnamed last), by row', async () => {
  const byRow = (a: (typeof expected)[number], b: (typeof expected)[number]) => a.row - b.row || a.district.localeCompare(b.district);
  const orders: [string, (a: (typeof expected)[number], b: (typeof expected)[number]) => number][] = [
    ['row', byRow],
    ['-matchCount', (a, b) => b.matchCount - a.matchCount || byRow(a, b)],
    ['matchCount', (a, b) => a.matchCount - b.matchCount || byRow(a, b)],
    ['name', (a, b) => Number(a.name === null) - Number(b.name === null) || (a.name ?? '').localeCompare(b.name ?? '') || byRow(a, b)],
  ];
  const counts = new Set(expected.map((e) => e.matchCount));
  expect(counts.size).toBeGreaterThan(2); // the orders differ from row order
  for (const [sort, compare] of orders) {
    const got = await page({ sort });
    expect({ sort, order: got.items.map(key) }).toEqual({ sort, order: [...expected].sort(compare).map(key) });
  }
  const named = (await page({ sort: 'name' })).items;
  expect(named.at(-1)!.name).toBeNull();
  expect(named.map(key)).not.toEqual(expected.map(key));
});

test('filters by district, measure and department narrow the results to exactly the matching rows', async () => {
  const { measure, department } = busiest();
  const hasDepartment = (ids: string[]) => ids.some((id) => fx.ruleset.measures.get(id)!.departments.some((d) => d.id === department));
  const cases: [Record<string, unknown>, typeof expected][] = [
    [{ district: 'qingpu' }, expected.filter((e) => e.district === 'qingpu')],
    [{ measure }, expected.filter((e) => e.ids.includes(measure))],
    [{ department }, expected.filter((e) => hasDepartment(e.ids))],
    [{ district: 'jingan', department }, expected.filter((e) => e.district === 'jingan' && hasDepartment(e.ids))],
    [{ measure: 'no-such-measure' }, []],
  ];
  for (const [filter, want] of cases) {
    const got = await page(filter);
    expect({ filter, total: got.total, rows: got.items.map(key) }).toEqual({ filter, total: want.length, rows: want.map(key) });
  }
  expect(cases[1][1].length).toBeGreaterThan(0);
  expect(cases[1][1].length).toBeLessThan(expected.length);
});

test('an unknown department or run is a bad request naming the field', async () => {
  const bad = async (q: Record<string, unknown>, path: string) => {
    const err = await page(q).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ProblemException);
    expect((err as ProblemException).getStatus()).toBe(400);
    expect((err as ProblemException).getResponse()).toMatchObject({ errors: [{ path }] });
  };
  await bad({ department: 'no-such-department' }, 'department');
  await bad({ run: 2 }, 'run');
});

/** A response the export streams into, as Express would send it. */
class CapturedResponse extends Writable {
  statusCode = 0;
  headers: Record<string, string> = {};
  private readonly chunks: Buffer[] = [];
  override _write(chunk: Buffer | string, _encoding: BufferEncoding, done: () => void): void {
    this.chunks.push(Buffer.from(chunk));
    done();
  }
  status(code: number): this {
    this.statusCode = code;
    return this;
  }
  type(value: string): this {
    this.headers['content-type'] = value;
    return this;
  }
  setHeader(name: string, value: string): this {
    this.headers[name.toLowerCase()] = value;
    return this;
  }
  get body(): Buffer {
    return Buffer.concat(this.chunks);
  }
}

const asResponse = (r: CapturedResponse) => r as unknown as Response;

const STATUS_EN: Record<string, string> = {
  'in-force': 'in force',
  expired: 'expired',
  'not-yet-in-force': 'not yet in force',
  'term-unknown': 'term not stated',
};
const STATUS_ZH: Record<string, string> = { 'in-force': '有效', expired: '已到期', 'not-yet-in-force': '尚未生效', 'term-unknown': '期限未载明' };
const validTo = (id: string): string | null => fx.ruleset.measures.get(id)!.validity.validTo;
/** A measure's status on the run's date, as the results report it. */
const statusOn = (id: string): string => statusOf(fx.ruleset.measures.get(id)!.validity, AS_OF);

test('the CSV export holds one line per filtered result, in the sort order, in the language asked for, listing only the department measures', async () => {
  const { department } = busiest();
  const res = new CapturedResponse();
  await fx.results.exportCsv(screening, { department, sort: '-matchCount', lang: 'en' }, asResponse(res));
  expect(res.statusCode).toBe(200);
  expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
  expect(res.headers['content-disposition']).toContain(`screening-${screening.id.slice(0, 8)}-results.csv`);
  const text = res.body.toString('utf8');
  expect(text.startsWith('\uFEFF')).toBe(true);
  const [header, ...lines]: string[][] = parse(text.slice(1));
  expect(header).toEqual([
    '行号 Row',
    '企业名称 Name',
    '统一社会信用代码 USCC',
    '评估区 District',
    '情形 Scenario',
    '匹配措施数 Matches',
    '有效 In force',
    '期限未载明 Term not stated',
    '已到期 Expired',
    '措施编号 Measure IDs',
    '措施名称 Measures',
    '责任部门 Departments',
    '读取说明 Notes',
  ]);
  const want = (await page({ department, sort: '-matchCount' })).items;
  expect(want.length).toBeGreaterThan(0);
  const departmentName = [...fx.ruleset.measures.values()].flatMap((m) => m.departments).find((d) => d.id === department)!.nameEn;
  expect(lines).toEqual(
    want.map((i) => {
      // A department filter narrows each row's measure list to that department's measures; the counts stay the row's.
      const kept = i.measures.filter((m) => m.departments.some((d) => d.id === department));
      expect(kept.length).toBeGreaterThan(0);
      return [
        String(i.row),
        i.name ?? '',
        i.uscc ?? '',
        { xuhui: 'Xuhui', jingan: "Jing'an", qingpu: 'Qingpu' }[i.district],
        i.scenario === 'relocation' ? 'If it relocates here' : 'Registered in this district',
        String(i.matchCount),
        String(i.inForceCount),
        String(i.measures.filter((m) => m.status === 'term-unknown').length),
        String(i.measures.filter((m) => m.status === 'expired').length),
        kept.map((m) => m.measureId).join('; '),
        // Lean rows: short titles only; status and end date are in the measure list.
        kept.map((m) => m.titleEn).join('; '),
        departmentName,
        '',
      ];
    }),
  );
});

test('the CSV measure list names each measure of the filtered results once, with its status, end date, document and count', async () => {
  const { department } = busiest();
  for (const [q, lang] of [
    [{}, 'zh'],
    [{ department, district: 'jingan' as const, lang: 'en' as const }, 'en'],
  ] as const) {
    const res = new CapturedResponse();
    await fx.results.exportMeasuresCsv(screening, q, asResponse(res));
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toContain(`screening-${screening.id.slice(0, 8)}-results-measures.csv`);
    const [header, ...lines]: string[][] = parse(res.body.toString('utf8').slice(1));
    expect(header).toEqual([
      '措施编号 Measure ID',
      '措施名称 Measure',
      '状态 Status',
      '截止日期 End date',
      '责任部门 Departments',
      '政策文件 Document',
      '匹配结果数 Results',
    ]);
    // What the rows of the same filter list, counted per measure.
    const counts = new Map<string, number>();
    for (const i of (await page(q)).items)
      for (const m of i.measures)
        if (!('department' in q) || m.departments.some((d) => d.id === department)) counts.set(m.measureId, (counts.get(m.measureId) ?? 0) + 1);
    expect(counts.size).toBeGreaterThan(0);
    expect(lines).toEqual(
      [...counts.keys()].sort().map((id) => {
        const m = fx.ruleset.measures.get(id)!;
        const status = (lang === 'zh' ? STATUS_ZH : STATUS_EN)[statusOn(id)];
        const departments = m.departments.filter((d) => !('department' in q) || d.id === department).map((d) => (lang === 'zh' ? d.name : d.nameEn));
        return [
          id,
          lang === 'zh' ? m.title : m.titleEn,
          status,
          m.validity.validTo ?? '',
          departments.join(lang === 'zh' ? '、' : '; '),
          lang === 'zh' ? m.source.documentTitle : m.source.documentTitleEn,
          String(counts.get(id)),
        ];
      }),
    );
  }
});

test('the XLSX export holds the rows of the filter, with Chinese short titles by default, its measures listed once, and the per-measure detail', async () => {
  const res = new CapturedResponse();
  await fx.results.exportXlsx(screening, { district: 'xuhui' }, asResponse(res));
  expect(res.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(res.body as never);
  const sheet = workbook.getWorksheet('结果 Results')!;
  const rows: unknown[][] = [];
  sheet.eachRow((r) => rows.push((r.values as unknown[]).slice(1)));
  const want = (await page({ district: 'xuhui' })).items;
  expect(want.length).toBe(expected.filter((e) => e.district === 'xuhui').length);
  expect(rows).toHaveLength(want.length + 1);
  expect(rows.slice(1).map((r) => [r[0], r[3], r[5], r[9] ?? '', r[10] ?? ''])).toEqual(
    want.map((i) => [i.row, '徐汇区', i.matchCount, i.measures.map((m) => m.measureId).join('; '), i.measures.map((m) => m.title).join('；')]),
  );
  expect(workbook.worksheets.map((w) => w.name)).toEqual(['结果 Results', '措施一览 Measure list', '措施明细 Measures']);
  const listed: unknown[][] = [];
  workbook.getWorksheet('措施一览 Measure list')!.eachRow((r) => listed.push((r.values as unknown[]).slice(1)));
  const counts = new Map<string, number>();
  for (const i of want) for (const m of i.measures) counts.set(m.measureId, (counts.get(m.measureId) ?? 0) + 1);
  expect(listed.slice(1).map((r) => [r[0], r[2], r[3] ?? null, r[6]])).toEqual(
    [...counts.keys()].sort().map((id) => [id, STATUS_ZH[statusOn(id)], validTo(id), counts.get(id)]),
  );
  // The detail sheet, as before: one row per prospect × measure, with status and end date.
  const detail: unknown[][] = [];
  workbook.getWorksheet('措施明细 Measures')!.eachRow((r) => detail.push((r.values as unknown[]).slice(1)));
  expect(detail.slice(1).map((r) => [r[0], r[4], r[6], r[7] ?? null])).toEqual(
    want.flatMap((i) => i.measures.map((m) => [i.row, m.measureId, STATUS_ZH[m.status], validTo(m.measureId)])),
  );
});
