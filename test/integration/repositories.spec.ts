import { randomUUID } from 'node:crypto';
import { catalogFromContent, loadCatalogContent, type CompanyProfile } from '@matcher/catalog';
import {
  createOfficer,
  EvaluationEntity,
  EvaluationRepository,
  openDatabase,
  ScreeningRepository,
  ScreeningResultsRepository,
  seedCatalog,
  type ChunkResults,
  type OpenDatabase,
  type ProspectRecord,
  type ResultFilter,
  type ResultRow,
} from '@matcher/persistence';
import { backends } from '../support/backends';

/**
 * The repositories' SQL on both databases: a screening stored, screened chunk by chunk and read back through every
 * results filter, sort and keyset-paged batch, the change between two runs, and the audit trail's batch write.
 */

jest.setTimeout(120_000);

const content = loadCatalogContent();

/** Rows 2..7 of a file: row 5 failed, rows 3 and 6 have no name (they sort last by name). */
const NAMES: Record<number, string | null> = { 2: 'Cedar Ltd', 3: null, 4: 'Alder Ltd', 6: null, 7: 'Birch Ltd' };
const PROFILE = { location: { district: 'jingan' } } as CompanyProfile;

describe.each(backends())('repositories on $name', (backend) => {
  let db: OpenDatabase;
  let url: string | undefined;
  let screenings: ScreeningRepository;
  let results: ScreeningResultsRepository;
  let screeningId: string;
  let department: string;
  /** One measure of `department`, two of other departments only. */
  let ofDepartment: string;
  let others: [string, string];

  /** Run 1's measures of a row in a district: a deterministic mix, so every filter selects a different subset. */
  const run1 = (row: number, district: string): string[] => {
    const ids = district === 'jingan' ? [others[0]] : [];
    if (row % 2 === 0) ids.push(ofDepartment);
    if (row >= 6) ids.push(others[1]);
    return ids;
  };
  /** Run 2 drops `others[1]` everywhere and adds it to row 2 in xuhui. */
  const run2 = (row: number, district: string): string[] => {
    const ids = run1(row, district).filter((id) => id !== others[1]);
    if (row === 2 && district === 'xuhui') ids.push(others[1]);
    return ids;
  };

  const screenWith =
    (measures: (row: number, district: string) => string[]) =>
    (prospects: { row_no: number; profile: CompanyProfile }[]): ChunkResults => {
      const out: ChunkResults = { rows: [], districts: [], scenarios: [], measureIds: [], matchCounts: [], inForceCounts: [] };
      for (const p of prospects)
        for (const district of ['jingan', 'xuhui']) {
          const ids = measures(p.row_no, district);
          out.rows.push(p.row_no);
          out.districts.push(district);
          out.scenarios.push(district === 'jingan' ? 'current-location' : 'relocation');
          out.measureIds.push(ids.join(' '));
          out.matchCounts.push(ids.length);
          out.inForceCounts.push(Math.min(ids.length, 1));
        }
      return out;
    };

  async function screenRun(run: number, measures: (row: number, district: string) => string[]): Promise<void> {
    const current = (await screenings.run(screeningId, run))!;
    expect(await screenings.screenChunk(current, 'v1', screenWith(measures))).toBe('processed');
    expect(await screenings.screenChunk(current, 'v1', screenWith(measures))).toBe('processed');
    expect(await screenings.screenChunk(current, 'v1', screenWith(measures))).toBe('none');
  }

  /** What the results query should answer, computed in TypeScript from the same mix. */
  function expected(f: Omit<ResultFilter, 'screeningId' | 'run'>): Pick<ResultRow, 'row_no' | 'district' | 'name' | 'match_count' | 'measure_ids'>[] {
    const all = Object.keys(NAMES)
      .map(Number)
      .flatMap((row) => (['jingan', 'xuhui'] as const).map((district) => ({ row_no: row, district, name: NAMES[row], measure_ids: run1(row, district) })))
      .map((r) => ({ ...r, match_count: r.measure_ids.length }))
      .filter((r) => (!f.district || r.district === f.district) && (!f.measure || r.measure_ids.includes(f.measure)))
      .filter((r) => !f.department || r.measure_ids.includes(ofDepartment));
    const byRow = (a: (typeof all)[number], b: (typeof all)[number]): number => a.row_no - b.row_no || a.district.localeCompare(b.district);
    const sorts: Record<string, (a: (typeof all)[number], b: (typeof all)[number]) => number> = {
      row: byRow,
      matchCount: (a, b) => a.match_count - b.match_count || byRow(a, b),
      '-matchCount': (a, b) => b.match_count - a.match_count || byRow(a, b),
      name: (a, b) => Number(a.name === null) - Number(b.name === null) || (a.name ?? '').localeCompare(b.name ?? '') || byRow(a, b),
    };
    return all.sort(sorts[f.sort ?? 'row']);
  }

  const shape = (r: Pick<ResultRow, 'row_no' | 'district' | 'name' | 'match_count'> & { measure_ids?: string[]; ids?: string }) => ({
    row_no: r.row_no,
    district: r.district,
    name: r.name,
    match_count: r.match_count,
    measure_ids: r.measure_ids ?? (r.ids ? r.ids.split(' ') : []),
  });

  beforeAll(async () => {
    url = await backend.create();
    db = await openDatabase({ databaseUrl: url, dataDir: 'memory://' });
    await seedCatalog(db.dataSource, catalogFromContent(content));
    screenings = new ScreeningRepository(db.dataSource);
    results = new ScreeningResultsRepository(db.dataSource);

    [{ department, measure: ofDepartment }] = await db.dataSource.query<{ department: string; measure: string }[]>(
      `SELECT department_id AS department, min(measure_id) AS measure FROM measure_department GROUP BY department_id ORDER BY department_id LIMIT 1`,
    );
    const rows = await db.dataSource.query<{ id: string }[]>(
      `SELECT id FROM measure WHERE id NOT IN (SELECT measure_id FROM measure_department WHERE department_id = $1) ORDER BY id LIMIT 2`,
      [department],
    );
    others = [rows[0].id, rows[1].id];

    const officer = await createOfficer(db.dataSource.manager, '测试', 'officer');
    screeningId = randomUUID();
    const columns = { mapped: [], ignored: [] };
    await screenings.createImporting({ id: screeningId, officerId: officer.id, name: 't', fileName: null, format: 'ndjson', options: {}, columns });
    const records: ProspectRecord[] = [2, 3, 4, 5, 6, 7].map((r) => ({
      r,
      s: null,
      n: NAMES[r] ?? null,
      u: null,
      p: r === 5 ? null : PROFILE,
      e: r === 5 ? [{ path: 'location', message: 'is required' }] : null,
    }));
    await screenings.writeProspects(screeningId, records, 6, 1);
    const created = await screenings.transaction(async (tx) => {
      expect((await tx.lock(screeningId))?.state).toBe('importing');
      await tx.finishImport(screeningId, columns, [], 6, 1);
      return tx.createRun(screeningId, 1, 'v1', '2025-06-01', [
        { firstRow: 2, lastRow: 5, prospects: 3 },
        { firstRow: 6, lastRow: 7, prospects: 2 },
      ]);
    });
    expect(created).toMatchObject({ run: 1, state: 'queued', chunks_total: 2, as_of: '2025-06-01' });
    await screenRun(1, run1);
  });

  afterAll(async () => {
    await db?.close();
    await backend.drop(url);
  });

  test('screening a run chunk by chunk completes it and its screening', async () => {
    expect(await screenings.run(screeningId, 1)).toMatchObject({ state: 'completed', chunks_done: 2, rows_done: 5, results_stored: 10 });
    expect(await screenings.screening(screeningId)).toMatchObject({ state: 'completed', current_run: 1, rows_total: 6, rows_failed: 1 });
    expect(await screenings.rowErrors(screeningId, 10, 0)).toEqual([{ row_no: 5, sheet_row: null, errors: [{ path: 'location', message: 'is required' }] }]);
  });

  test.each<Omit<ResultFilter, 'screeningId' | 'run'>>([
    {},
    { district: 'xuhui' },
    { measure: 'OTHER-1' },
    { department: 'DEPARTMENT' },
    { department: 'DEPARTMENT', district: 'jingan' },
    { sort: 'matchCount' },
    { sort: '-matchCount' },
    { sort: 'name' },
    { sort: 'name', district: 'jingan', measure: 'OTHER-0' },
  ])('results filtered by %j: counted, ordered and paged', async (given) => {
    const f = {
      ...given,
      measure: given.measure === 'OTHER-1' ? others[1] : given.measure === 'OTHER-0' ? others[0] : undefined,
      department: given.department ? department : undefined,
    };
    const want = expected(f);
    expect(want.length).toBeGreaterThan(0);
    const all = await results.page({ screeningId, run: 1, ...f }, 100, 0);
    expect(all.total).toBe(want.length);
    expect(all.rows.map(shape)).toEqual(want);
    const second = await results.page({ screeningId, run: 1, ...f }, 2, 2);
    expect(second.total).toBe(want.length);
    expect(second.rows.map(shape)).toEqual(want.slice(2, 4));
    // Streamed batches of 3 read the same rows in the same order, ids as text: keyset pages, and one cursor.
    for (const reader of [results, new ScreeningResultsRepository(db.dataSource, { cursors: true })]) {
      const batched = [];
      for await (const batch of reader.stream({ screeningId, run: 1, ...f }, 3)) {
        expect(batch.length).toBeLessThanOrEqual(3);
        batched.push(...batch);
      }
      expect(batched.map(shape)).toEqual(want);
    }
    // Each measure of the filtered results once, counted.
    const counts = new Map<string, number>();
    for (const r of want) for (const id of r.measure_ids) counts.set(id, (counts.get(id) ?? 0) + 1);
    expect(await results.measureCounts({ screeningId, run: 1, ...f })).toEqual(
      [...counts].sort(([a], [b]) => (a < b ? -1 : 1)).map(([measure_id, n]) => ({ measure_id, results: n })),
    );
  });

  test('a department is known only when the catalog mirror has it', async () => {
    expect(await results.departmentExists(department)).toBe(true);
    expect(await results.departmentExists('no-such-department')).toBe(false);
  });

  test('a prospect reads back as its profile or its errors', async () => {
    expect(await results.prospect(screeningId, 2)).toMatchObject({ row_no: 2, name: 'Cedar Ltd', profile: PROFILE, errors: null });
    expect(await results.prospect(screeningId, 5)).toMatchObject({ row_no: 5, profile: null, errors: [{ path: 'location', message: 'is required' }] });
    expect(await results.prospect(screeningId, 99)).toBeUndefined();
  });

  test('a re-run copies the chunks, and the changes between the runs are counted and listed', async () => {
    const rerun = await screenings.transaction(async (tx) => tx.createRun(screeningId, 2, 'v1', '2025-07-01', 'copy'));
    expect(rerun).toMatchObject({ run: 2, state: 'queued', chunks_total: 2, as_of: '2025-07-01' });
    await screenRun(2, run2);
    // Rows 6 and 7 lose others[1] in both districts; row 2 gains it in xuhui.
    const changes = await results.changes(screeningId, 1, 2, undefined, 100, 0);
    expect(changes).toMatchObject({ total: 5, gained: 1, lost: 4 });
    expect(changes.rows).toEqual([
      { row_no: 2, name: 'Cedar Ltd', district: 'xuhui', gained: [others[1]], lost: [] },
      { row_no: 6, name: null, district: 'jingan', gained: [], lost: [others[1]] },
      { row_no: 6, name: null, district: 'xuhui', gained: [], lost: [others[1]] },
      { row_no: 7, name: 'Birch Ltd', district: 'jingan', gained: [], lost: [others[1]] },
      { row_no: 7, name: 'Birch Ltd', district: 'xuhui', gained: [], lost: [others[1]] },
    ]);
    const inXuhui = await results.changes(screeningId, 1, 2, 'xuhui', 1, 1);
    expect(inXuhui).toMatchObject({ total: 3, gained: 1, lost: 2 });
    expect(inXuhui.rows.map((r) => [r.row_no, r.district])).toEqual([[6, 'xuhui']]);
  });

  test('the audit trail is written in batches: a retried batch skips what is stored, a bad record is refused with its data error', async () => {
    const evaluations = new EvaluationRepository(db.dataSource);
    const record = (kind: string, request: Record<string, unknown> = { asOf: '2025-06-01' }): EvaluationEntity =>
      Object.assign(new EvaluationEntity(), { id: randomUUID(), createdAt: new Date(), kind, rulesetVersion: 'v1', request, summary: { matches: [] } });
    const batch = Array.from({ length: 3 }, (_, i) => record(`match-${i}`));
    await evaluations.insert(batch);
    const retried = { ...batch[0], kind: 'changed' };
    const fresh = record('compare');
    await evaluations.insert([retried, fresh]);
    for (const r of [...batch, fresh]) expect(await evaluations.find(r.id)).toMatchObject({ id: r.id, kind: r.kind, request: r.request, summary: r.summary });
    expect(await evaluations.find(randomUUID())).toBeNull();
    // jsonb cannot hold NUL: a data exception (class 22), which the audit queue sets aside record by record.
    const poisoned = record('match', { name: 'x\u0000y' });
    const refused = await evaluations.insert([record('match'), poisoned]).then(
      () => undefined,
      (err: { driverError?: { code?: string }; code?: string }) => err.driverError?.code ?? err.code,
    );
    expect(refused).toMatch(/^22/);
    expect(await evaluations.find(poisoned.id)).toBeNull();
  });
});
