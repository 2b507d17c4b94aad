import { DataSource, type EntityManager, type QueryRunner } from 'typeorm';
import type { District, FieldError } from '@matcher/catalog';
import type { ProspectRow } from './screening-rows';

/** One result (prospect × evaluated district) with its prospect's name, as the results pages read it. */
export interface ResultRow {
  row_no: number;
  name: string | null;
  uscc: string | null;
  district: District;
  scenario: 'current-location' | 'relocation';
  match_count: number;
  in_force_count: number;
  measure_ids: string[];
}

/** Exports read the ids as one space-separated string: the driver's array parser was their largest cost. */
export type ExportRow = Omit<ResultRow, 'measure_ids'> & { ids: string; cells: string[] | null; warnings: FieldError[] | null };

/** A row of the file that was not screened, with the officer's cells and the reasons. */
export interface FailedExportRow {
  row_no: number;
  name: string | null;
  uscc: string | null;
  cells: string[] | null;
  errors: FieldError[];
}

/** What changed for one prospect × district between two runs. */
export interface ChangeRow {
  row_no: number;
  name: string | null;
  district: District;
  gained: string[];
  lost: string[];
}

export type ResultOrder = 'row' | '-matchCount' | 'matchCount' | 'name';

/** Which results of a run: every filter optional (department: any matched measure of that department). */
export interface ResultFilter {
  screeningId: string;
  run: number;
  district?: string;
  measure?: string;
  department?: string;
  /** Rows matching at least one of these measures (those in force or of unstated term as of the run's date). */
  applicable?: string[];
  sort?: ResultOrder;
}

/** Sort orders: ascending SQL keys (negated for descending) ending in the unique (row, district). */
const SORT_KEYS: Record<ResultOrder, { keys: string[]; values: (r: Pick<ResultRow, 'row_no' | 'district' | 'match_count' | 'name'>) => unknown[] }> = {
  row: { keys: ['r.row_no', 'r.district'], values: (r) => [r.row_no, r.district] },
  '-matchCount': { keys: ['-r.match_count', 'r.row_no', 'r.district'], values: (r) => [-r.match_count, r.row_no, r.district] },
  matchCount: { keys: ['r.match_count', 'r.row_no', 'r.district'], values: (r) => [r.match_count, r.row_no, r.district] },
  name: { keys: ['(p.name IS NULL)', "COALESCE(p.name, '')", 'r.row_no', 'r.district'], values: (r) => [r.name === null, r.name ?? '', r.row_no, r.district] },
};

/** WHERE clause and parameters for the filters. */
function filters(f: ResultFilter): { where: string; params: unknown[] } {
  const params: unknown[] = [f.screeningId, f.run];
  const where = ['r.screening_id = $1', 'r.run = $2'];
  if (f.district) where.push(`r.district = $${params.push(f.district)}`);
  if (f.measure) where.push(`$${params.push(f.measure)} = ANY(r.measure_ids)`);
  if (f.applicable) where.push(`r.measure_ids && $${params.push(f.applicable)}::text[]`);
  if (f.department)
    where.push(`r.measure_ids && ARRAY(SELECT md.measure_id FROM measure_department md WHERE md.department_id = $${params.push(f.department)})`);
  return { where: where.join(' AND '), params };
}

function selectSql(where: string, order: string[], extra = '', idsAsText = false): string {
  const ids = idsAsText ? "array_to_string(r.measure_ids, ' ') AS ids" : 'r.measure_ids';
  return `SELECT r.row_no, p.name, p.uscc, r.district, r.scenario, r.match_count, r.in_force_count, ${ids}${idsAsText ? ', p.cells, p.warnings' : ''}
              FROM screening_result r JOIN screening_prospect p ON p.screening_id = r.screening_id AND p.row_no = r.row_no
             WHERE ${where}${extra} ORDER BY ${order.join(', ')}`;
}

/**
 * Gives a query runner's connection back; with `broken`, pg-pool closes it instead of lending it again (a
 * connection whose transaction could not be ended must not serve the next query). TypeORM's release() takes no
 * error, its PostgreSQL runner's private releasePostgresConnection does.
 */
async function release(runner: QueryRunner, broken?: unknown): Promise<void> {
  const pg = runner as unknown as { releasePostgresConnection?: (err?: unknown) => Promise<void> };
  if (broken !== undefined && typeof pg.releasePostgresConnection === 'function') await pg.releasePostgresConnection(broken);
  else await runner.release();
}

/** A whole number for LIMIT and OFFSET, which are written into the SQL. */
const whole = (n: number): number => Math.max(0, Math.trunc(n));

/** How the repository reads exports: `cursors` on a server with sessions to spare (PostgreSQL), not on the embedded PGlite. */
export interface ResultsReadOptions {
  cursors?: boolean;
  /**
   * At most this many exports hold a cursor (and so a pooled connection) at once; more read keyset pages. A
   * download lasts as long as its client reads, and slow clients must not take the pool (10) from every other request.
   */
  maxCursors?: number;
}

/** Reads of a screening's results and prospects: filtered pages, streamed export batches, changes between runs. */
export class ScreeningResultsRepository {
  private readonly db: EntityManager;
  private readonly cursors: boolean;
  private readonly maxCursors: number;
  private cursorsOpen = 0;

  constructor(db: DataSource | EntityManager, options: ResultsReadOptions = {}) {
    this.db = db instanceof DataSource ? db.manager : db;
    this.cursors = options.cursors ?? false;
    this.maxCursors = options.maxCursors ?? 4;
  }

  async departmentExists(id: string): Promise<boolean> {
    const [known] = await this.db.query<unknown[]>('SELECT 1 FROM department WHERE id = $1', [id]);
    return known !== undefined;
  }

  /** The filtered results, counted and one page of them in order. */
  async page(f: ResultFilter, limit: number, offset: number): Promise<{ total: number; rows: ResultRow[] }> {
    const { where, params } = filters(f);
    const sort = SORT_KEYS[f.sort ?? 'row'];
    const [{ total }] = await this.db.query<{ total: number }[]>(`SELECT count(*)::int AS total FROM screening_result r WHERE ${where}`, params);
    const rows = await this.db.query<ResultRow[]>(`${selectSql(where, sort.keys)} LIMIT ${whole(limit)} OFFSET ${whole(offset)}`, params);
    return { total, rows };
  }

  /**
   * All filtered results in sort order, in batches of about `size`, never the whole result in memory. On
   * PostgreSQL one query read through a server-side cursor (a page per round trip cost a JOIN and a sort each);
   * on the embedded PGlite keyset pages, since it is one session and a transaction held open for the whole
   * export would stall every other query of the app until the download ends; keyset pages too for exports
   * beyond `maxCursors` at once. Stop early with `return()` (a
   * `for await` that breaks does it): the cursor's connection is released then, as on errors and at the end.
   */
  async *stream(f: ResultFilter, size: number): AsyncGenerator<ExportRow[]> {
    if (!this.cursors || this.cursorsOpen >= this.maxCursors) return yield* this.batches(f, size);
    this.cursorsOpen += 1;
    try {
      yield* this.cursor(f, size);
    } finally {
      this.cursorsOpen -= 1;
    }
  }

  /** The results through a NO SCROLL cursor on a connection of its own, the next FETCH in flight while a batch is used. */
  private async *cursor(f: ResultFilter, size: number): AsyncGenerator<ExportRow[]> {
    const { where, params } = filters(f);
    const runner: QueryRunner = this.db.dataSource.createQueryRunner();
    let failure: unknown;
    let open = false;
    let pending: Promise<ExportRow[]> | undefined;
    try {
      await runner.query('BEGIN READ ONLY');
      open = true;
      await runner.query(`DECLARE export_rows NO SCROLL CURSOR FOR ${selectSql(where, SORT_KEYS[f.sort ?? 'row'].keys, '', true)}`, params);
      const fetch = (): Promise<ExportRow[]> => runner.query(`FETCH ${whole(size) || 1} FROM export_rows`) as Promise<ExportRow[]>;
      pending = fetch();
      for (;;) {
        const rows = await pending;
        pending = undefined;
        if (!rows.length) return;
        if (rows.length === whole(size)) pending = fetch();
        yield rows;
        if (!pending) return;
      }
    } catch (err) {
      failure = err;
      throw err;
    } finally {
      // A consumer that stopped early leaves a FETCH in flight: it ends before the transaction can.
      if (pending) await pending.catch((err: unknown) => (failure ??= err));
      // A BEGIN that failed may mean a broken connection; after BEGIN, the transaction must end for it to be reused.
      const clean = open
        ? await runner.query(failure === undefined ? 'COMMIT' : 'ROLLBACK').then(
            () => true,
            () => false,
          )
        : failure === undefined;
      await release(runner, clean ? undefined : (failure ?? new Error('the export transaction did not end')));
    }
  }

  /**
   * All filtered results in batches, keyset-paged on the sort key: no long transaction (the embedded database's
   * one session stays free between pages), no whole result in memory.
   */
  private async *batches(f: ResultFilter, size: number): AsyncGenerator<ExportRow[]> {
    const { where, params } = filters(f);
    const sort = SORT_KEYS[f.sort ?? 'row'];
    let after: unknown[] | undefined;
    for (;;) {
      const p = [...params];
      const extra = after ? ` AND (${sort.keys.join(', ')}) > (${after.map((v) => `$${p.push(v)}`).join(', ')})` : '';
      const rows = await this.db.query<ExportRow[]>(`${selectSql(where, sort.keys, extra, true)} LIMIT ${whole(size)}`, p);
      if (!rows.length) return;
      yield rows;
      if (rows.length < size) return;
      after = sort.values(rows[rows.length - 1]);
    }
  }

  /** Each measure of the filtered results once, with how many results list it (the export's measure list). */
  async measureCounts(f: ResultFilter): Promise<{ measure_id: string; results: number }[]> {
    const { where, params } = filters(f);
    return this.db.query(
      `SELECT m.id AS measure_id, count(*)::int AS results FROM screening_result r CROSS JOIN LATERAL unnest(r.measure_ids) AS m(id)
        WHERE ${where} GROUP BY m.id ORDER BY m.id COLLATE "C"`,
      params,
    );
  }

  /** The rows that failed, in file order, in batches (for exports). */
  async *failedRows(screeningId: string, size: number): AsyncGenerator<FailedExportRow[]> {
    let after = 0;
    for (;;) {
      const rows = await this.db.query<FailedExportRow[]>(
        `SELECT row_no, name, uscc, cells, errors FROM screening_prospect
          WHERE screening_id = $1 AND errors IS NOT NULL AND row_no > $2 ORDER BY row_no LIMIT ${whole(size)}`,
        [screeningId, after],
      );
      if (!rows.length) return;
      yield rows;
      if (rows.length < size) return;
      after = rows[rows.length - 1].row_no;
    }
  }

  async prospect(screeningId: string, row: number): Promise<ProspectRow | undefined> {
    const [p] = await this.db.query<ProspectRow[]>(
      'SELECT row_no, sheet_row, name, uscc, profile, errors, warnings FROM screening_prospect WHERE screening_id = $1 AND row_no = $2',
      [screeningId, row],
    );
    return p;
  }

  /**
   * Per prospect × district, the measures gained and lost from run `fromRun` to `toRun`: the totals, and one page
   * of the rows that changed, in row order.
   */
  async changes(
    screeningId: string,
    fromRun: number,
    toRun: number,
    district: string | undefined,
    limit: number,
    offset: number,
  ): Promise<{ total: number; gained: number; lost: number; rows: ChangeRow[] }> {
    const params: unknown[] = [screeningId, fromRun, toRun];
    const inDistrict = district ? ` AND COALESCE(b.district, a.district) = $${params.push(district)}` : '';
    const diff = `
      WITH a AS (SELECT row_no, district, measure_ids FROM screening_result WHERE screening_id = $1 AND run = $2),
           b AS (SELECT row_no, district, measure_ids FROM screening_result WHERE screening_id = $1 AND run = $3),
           d AS (
             SELECT COALESCE(b.row_no, a.row_no) AS row_no, COALESCE(b.district, a.district) AS district,
                    ARRAY(SELECT unnest(COALESCE(b.measure_ids, '{}')) EXCEPT SELECT unnest(COALESCE(a.measure_ids, '{}')) ORDER BY 1) AS gained,
                    ARRAY(SELECT unnest(COALESCE(a.measure_ids, '{}')) EXCEPT SELECT unnest(COALESCE(b.measure_ids, '{}')) ORDER BY 1) AS lost
               FROM a FULL JOIN b ON a.row_no = b.row_no AND a.district = b.district
              WHERE (a.measure_ids IS NULL OR b.measure_ids IS NULL OR NOT (a.measure_ids @> b.measure_ids AND a.measure_ids <@ b.measure_ids))${inDistrict})
      `;
    const [{ total, gained, lost }] = await this.db.query<{ total: number; gained: number; lost: number }[]>(
      `${diff} SELECT count(*)::int AS total, COALESCE(sum(cardinality(gained)), 0)::int AS gained, COALESCE(sum(cardinality(lost)), 0)::int AS lost FROM d WHERE cardinality(gained) + cardinality(lost) > 0`,
      params,
    );
    const rows = await this.db.query<ChangeRow[]>(
      `${diff} SELECT d.row_no, p.name, d.district, d.gained, d.lost FROM d JOIN screening_prospect p ON p.screening_id = $1 AND p.row_no = d.row_no
        WHERE cardinality(d.gained) + cardinality(d.lost) > 0 ORDER BY d.row_no, d.district LIMIT ${whole(limit)} OFFSET ${whole(offset)}`,
      params,
    );
    return { total, gained, lost, rows };
  }
}
