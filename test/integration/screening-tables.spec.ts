import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { createOfficer, openDatabase, type OpenDatabase } from '@matcher/persistence';
import { backends } from '../support/backends';

/**
 * The screening tables on both databases: what the runner's guarantees rest on — one result per
 * (screening, run, row, district), a prospect is a profile or its errors, chunks claimed by concurrent
 * transactions are distinct (PostgreSQL), and removing a screening cascades to its runs and chunks.
 */

jest.setTimeout(60_000);

describe.each(backends())('screening tables on $name', (backend) => {
  let db: OpenDatabase;
  let url: string | undefined;
  let ds: DataSource;
  let screeningId: string;

  beforeAll(async () => {
    url = await backend.create();
    db = await openDatabase({ databaseUrl: url, dataDir: 'memory://' });
    ds = db.dataSource;
    const officer = await createOfficer(ds.manager, '测试', 'officer');
    screeningId = randomUUID();
    await ds.query(
      `INSERT INTO screening (id, officer_id, name, format, state, options, columns, warnings, created_at, updated_at) VALUES ($1, $2, 't', 'csv', 'queued', '{}', '{"mapped":[],"ignored":[]}', '[]', now(), now())`,
      [screeningId, officer.id],
    );
    await ds.query(
      `INSERT INTO screening_run (screening_id, run, ruleset_version, as_of, state, chunks_total, created_at) VALUES ($1, 1, 'v', '2025-06-01', 'queued', 3, now())`,
      [screeningId],
    );
    await ds.query(
      `INSERT INTO screening_chunk (screening_id, run, chunk, first_row, last_row, prospects) VALUES ($1, 1, 0, 2, 3, 2), ($1, 1, 1, 4, 5, 2), ($1, 1, 2, 6, 7, 2)`,
      [screeningId],
    );
  });

  afterAll(async () => {
    await db?.close();
    await backend.drop(url);
  });

  test('a result is unique per screening, run, row and district', async () => {
    const insert = (district: string): Promise<unknown> =>
      ds.query(
        `INSERT INTO screening_result (screening_id, run, row_no, district, scenario, measure_ids, match_count, in_force_count) VALUES ($1, 1, 2, $2, 'current-location', '{a,b}', 2, 1)`,
        [screeningId, district],
      );
    await insert('jingan');
    await insert('xuhui');
    await expect(insert('jingan')).rejects.toThrow(/duplicate key|unique/);
  });

  test('a prospect holds a profile or its errors, never both or neither', async () => {
    const insert = (row: number, profile: string | null, errors: string | null): Promise<unknown> =>
      ds.query(`INSERT INTO screening_prospect (screening_id, row_no, profile, errors) VALUES ($1, $2, $3::jsonb, $4::jsonb)`, [
        screeningId,
        row,
        profile,
        errors,
      ]);
    await insert(2, '{"location":{"district":"jingan"}}', null);
    await insert(3, null, '[{"path":"","message":"x"}]');
    await expect(insert(4, null, null)).rejects.toThrow(/check constraint/);
    await expect(insert(5, '{}', '[]')).rejects.toThrow(/check constraint/);
    await expect(insert(2, null, '[]')).rejects.toThrow(/duplicate key|unique/);
  });

  if (backend.name === 'postgres') {
    test('concurrent transactions claim different chunks (FOR UPDATE SKIP LOCKED) and none twice', async () => {
      const claim = `SELECT chunk FROM screening_chunk WHERE screening_id = $1 AND run = 1 AND done_at IS NULL ORDER BY chunk LIMIT 1 FOR UPDATE SKIP LOCKED`;
      const a = ds.createQueryRunner();
      const b = ds.createQueryRunner();
      await a.connect();
      await b.connect();
      try {
        await a.startTransaction();
        await b.startTransaction();
        const [ca] = (await a.query(claim, [screeningId])) as { chunk: number }[];
        const [cb] = (await b.query(claim, [screeningId])) as { chunk: number }[];
        expect([ca.chunk, cb.chunk]).toEqual([0, 1]);
        await a.query('UPDATE screening_chunk SET done_at = now() WHERE screening_id = $1 AND run = 1 AND chunk = $2', [screeningId, ca.chunk]);
        await a.commitTransaction();
        await b.rollbackTransaction(); // a crash: b's chunk is claimable again
        const left = await ds.query<{ chunk: number }[]>(
          `SELECT chunk FROM screening_chunk WHERE screening_id = $1 AND run = 1 AND done_at IS NULL ORDER BY chunk`,
          [screeningId],
        );
        expect(left.map((c) => c.chunk)).toEqual([1, 2]);
      } finally {
        await a.release();
        await b.release();
      }
    });
  }

  test('removing a screening cascades to its runs and chunks', async () => {
    await ds.query('DELETE FROM screening WHERE id = $1', [screeningId]);
    const [n] = await ds.query<{ n: number }[]>(
      'SELECT (SELECT count(*)::int FROM screening_run WHERE screening_id = $1) + (SELECT count(*)::int FROM screening_chunk WHERE screening_id = $1) AS n',
      [screeningId],
    );
    expect(n.n).toBe(0);
  });
});
