import { once } from 'node:events';
import { request as httpRequest, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import express from 'express';
import type { Response } from 'express';
import { ScreeningResultsRepository, type ScreeningRow } from '@matcher/persistence';
import type { ExportQuery } from '../../apps/api/src/screenings/dto/results.query';
import { backends } from '../support/backends';
import { openScreeningFixture, prospects, type ScreeningFixture } from '../medium/screening-fixture';

/**
 * Exports read through a server-side cursor on PostgreSQL and through keyset pages on the embedded PGlite: the
 * same screening gives the same bytes on both, and a client that leaves mid-download leaves no connection
 * checked out and no transaction open.
 */

jest.setTimeout(240_000);

const AS_OF = '2025-06-01';
/** Enough results for several export batches of 5,000 (three districts per prospect, most of them with matches). */
const PROFILES = prospects(4000);

const QUERIES: ExportQuery[] = [{}, { district: 'xuhui', sort: '-matchCount', lang: 'en' }, { sort: 'name' }];

/** A response the export writes into, kept whole. */
class CapturedResponse extends Writable {
  private readonly chunks: Buffer[] = [];
  override _write(chunk: Buffer | string, _encoding: BufferEncoding, done: () => void): void {
    this.chunks.push(Buffer.from(chunk));
    done();
  }
  status(): this {
    return this;
  }
  type(): this {
    return this;
  }
  setHeader(): this {
    return this;
  }
  get body(): Buffer {
    return Buffer.concat(this.chunks);
  }
}

async function screened(fx: ScreeningFixture): Promise<ScreeningRow> {
  const s = await fx.screen(PROFILES, { asOf: AS_OF });
  await fx.processor.drain(s.id, 1, { shouldStop: () => false, mayReset: false });
  const done = (await fx.store.screening(s.id))!;
  expect(done.state).toBe('completed');
  return done;
}

async function exported(fx: ScreeningFixture, s: ScreeningRow, q: ExportQuery): Promise<Buffer> {
  const res = new CapturedResponse();
  await fx.results.exportCsv(s, q, res as unknown as Response);
  return res.body;
}

const pools = backends();
const postgres = pools.find((b) => b.name === 'postgres');
const pglite = pools.find((b) => b.name === 'pglite')!;

(postgres ? describe : describe.skip)('CSV export on PostgreSQL (cursor) and PGlite (keyset pages)', () => {
  let url: string | undefined;
  let onPostgres: ScreeningFixture;
  let onPglite: ScreeningFixture;
  let pgScreening: ScreeningRow;
  let pgliteScreening: ScreeningRow;

  beforeAll(async () => {
    url = await postgres!.create();
    onPostgres = await openScreeningFixture({}, { databaseUrl: url });
    onPglite = await openScreeningFixture({}, { databaseUrl: await pglite.create() });
    pgScreening = await screened(onPostgres);
    pgliteScreening = await screened(onPglite);
  });

  afterAll(async () => {
    await onPostgres?.close();
    await onPglite?.close();
    await postgres!.drop(url);
  });

  /** Connections of the PostgreSQL fixture's pool lent out, and sessions of its database inside a transaction. */
  async function leftOpen(): Promise<{ checkedOut: number; inTransaction: number }> {
    const pool = (onPostgres.db.dataSource.driver as unknown as { master: { totalCount: number; idleCount: number } }).master;
    const checkedOut = pool.totalCount - pool.idleCount;
    const [{ n }] = await onPostgres.db.dataSource.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND state LIKE 'idle in transaction%'`,
    );
    return { checkedOut, inTransaction: n };
  }

  test('the same screening exports the same bytes through the cursor and through keyset pages', async () => {
    for (const q of QUERIES) {
      const [cursor, keyset] = [await exported(onPostgres, pgScreening, q), await exported(onPglite, pgliteScreening, q)];
      expect({ q, lines: cursor.toString('utf8').split('\n').length }).toEqual({ q, lines: keyset.toString('utf8').split('\n').length });
      expect(cursor.equals(keyset)).toBe(true);
    }
    // More than one batch of 5,000, so the cursor's FETCH loop and the keyset pages both turn.
    expect((await exported(onPostgres, pgScreening, {})).toString('utf8').split('\n').length).toBeGreaterThan(5_001);
    // The measure list (one aggregate query on both) agrees too.
    const list = async (fx: ScreeningFixture, s: ScreeningRow): Promise<Buffer> => {
      const res = new CapturedResponse();
      await fx.results.exportMeasuresCsv(s, { lang: 'en' }, res as unknown as Response);
      return res.body;
    };
    expect((await list(onPostgres, pgScreening)).equals(await list(onPglite, pgliteScreening))).toBe(true);
    await expect(leftOpen()).resolves.toEqual({ checkedOut: 0, inTransaction: 0 });
  });

  test('beyond maxCursors exports at once, the next reads keyset pages and holds no connection between them', async () => {
    const repository = new ScreeningResultsRepository(onPostgres.db.dataSource, { cursors: true, maxCursors: 1 });
    const filter = { screeningId: pgScreening.id, run: 1 };
    const [first, second] = [repository.stream(filter, 100), repository.stream(filter, 100)];
    try {
      const [a, b] = [await first.next(), await second.next()];
      expect([a.value, b.value]).toEqual([expect.any(Array), expect.any(Array)]);
      expect((b.value as unknown[]).length).toBe(100);
      // One connection: the first export's cursor; the second's keyset pages gave theirs back.
      await expect(leftOpen()).resolves.toMatchObject({ checkedOut: 1 });
    } finally {
      await first.return(undefined);
      await second.return(undefined);
    }
    await expect(leftOpen()).resolves.toEqual({ checkedOut: 0, inTransaction: 0 });
    // The slot is free again: the next export reads through a cursor.
    const third = repository.stream(filter, 100);
    await third.next();
    await expect(leftOpen()).resolves.toMatchObject({ checkedOut: 1 });
    await third.return(undefined);
  });

  test('a client that leaves mid-export leaves no connection checked out and no transaction open', async () => {
    let finishedExport!: Promise<{ completed: boolean }>;
    const app = express();
    app.get('/export', (_req, res) => {
      finishedExport = onPostgres.results.exportCsv(pgScreening, {}, res).then(() => ({ completed: res.writableFinished }));
    });
    const server: Server = app.listen(0, '127.0.0.1');
    await once(server, 'listening');
    try {
      const { port } = server.address() as AddressInfo;
      const req = httpRequest({ host: '127.0.0.1', port, path: '/export' });
      req.end();
      const [res] = (await once(req, 'response')) as [IncomingMessage];
      expect(res.statusCode).toBe(200);
      await once(res, 'data'); // the download has begun…
      // …and, while the cursor's transaction is open, the client goes (no further reads, then the socket closes).
      res.pause();
      await new Promise((r) => setTimeout(r, 200));
      const during = await leftOpen();
      req.destroy();
      await expect(finishedExport).resolves.toEqual({ completed: false });
      expect(during.checkedOut).toBeGreaterThan(0); // the export was mid-stream, holding its cursor
      await expect(leftOpen()).resolves.toEqual({ checkedOut: 0, inTransaction: 0 });
    } finally {
      server.close();
    }
    // The pool serves the next export whole.
    expect((await exported(onPostgres, pgScreening, { district: 'qingpu' })).length).toBeGreaterThan(0);
  });
});
