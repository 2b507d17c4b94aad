import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import type { Catalog } from '@matcher/catalog';
import { AppModule } from '../../apps/api/src/app.module';
import { configureApp } from '../../apps/api/src/app.setup';
import { CATALOG } from '../../apps/api/src/catalog/catalog.tokens';
import { expectNoLeak } from '../support/http';
import { TEST_ADMIN_KEY } from '../support/test-app';

/** Shared by the screening suites: booting apps on a given database, officers, uploads and polling. */

export interface BootOptions {
  /** PostgreSQL URL; undefined = embedded PGlite (in memory unless dataDir). */
  databaseUrl?: string;
  dataDir?: string;
  overrides?: Record<string, unknown>;
  /** Replaces the catalog the app loads (a ruleset change, as a redeploy with new rules would bring). */
  catalog?: Catalog;
}

/** The real application on the database named (not a fresh one): for restarts and ruleset changes. */
export async function bootApp(options: BootOptions): Promise<INestApplication> {
  let builder = Test.createTestingModule({
    imports: [
      AppModule.forRoot({
        DATABASE_URL: options.databaseUrl,
        DATA_DIR: options.dataDir ?? 'memory://',
        LOG_LEVEL: 'silent',
        ADMIN_API_KEY: TEST_ADMIN_KEY,
        AUDIT_FLUSH_MS: 50,
        KEY_FAILURES_PER_CLIENT: 1_000_000,
        KEY_FAILURES_PER_PREFIX: 1_000_000,
        ...options.overrides,
      }),
    ],
  });
  if (options.catalog) builder = builder.overrideProvider(CATALOG).useValue(options.catalog);
  const moduleRef = await builder.compile();
  const app = moduleRef.createNestApplication({ bodyParser: false, logger: ['error'] });
  configureApp(app);
  await app.init();
  return app;
}

export const bearer = (key: string): Record<string, string> => ({ Authorization: `Bearer ${key}` });

/** A new officer and its first key, made through the admin API. */
export async function createOfficer(app: INestApplication, name: string): Promise<{ id: string; key: string }> {
  const res = await request(app.getHttpServer()).post('/api/v1/officers').set(bearer(TEST_ADMIN_KEY)).send({ name, role: 'officer' });
  expect(res.status).toBe(201);
  return { id: (res.body as { officer: { id: string } }).officer.id, key: (res.body as { key: string }).key };
}

export interface UploadFields {
  name?: string;
  mapping?: Record<string, string | null> | string;
  districts?: string;
  asOf?: string;
}

export function upload(
  app: INestApplication,
  key: string,
  content: Buffer | string,
  filename: string,
  fields: UploadFields = {},
  contentType?: string,
): request.Test {
  const req = request(app.getHttpServer()).post('/api/v1/screenings').set(bearer(key));
  for (const [k, v] of Object.entries(fields)) if (v !== undefined) void req.field(k, typeof v === 'string' ? v : JSON.stringify(v));
  return req.attach('file', Buffer.isBuffer(content) ? content : Buffer.from(content, 'utf8'), contentType ? { filename, contentType } : filename);
}

export interface ScreeningBody {
  id: string;
  name: string;
  state: string;
  rowsTotal: number;
  rowsDone: number;
  rowsFailed: number;
  rowsScreened: number;
  currentRun: number;
  rowErrors: { row: number; errors: { path: string; message: string; column?: string }[] }[];
  warnings: { message: string; column?: string }[];
  columns: { mapped: { header: string; field: string }[]; ignored: { header: string; reason: string }[] };
  runs: {
    run: number;
    rulesetVersion: string;
    state: string;
    rowsDone: number;
    chunksDone: number;
    chunksTotal: number;
    startedAt: string | null;
    finishedAt: string | null;
  }[];
}

export async function getScreening(app: INestApplication, key: string, id: string): Promise<ScreeningBody> {
  const res = expectNoLeak(await request(app.getHttpServer()).get(`/api/v1/screenings/${id}`).set(bearer(key)));
  expect(res.status).toBe(200);
  return res.body as ScreeningBody;
}

/** Polls GET /screenings/:id until `done` holds (default: a finished state). */
export async function waitFor(
  app: INestApplication,
  key: string,
  id: string,
  done: (s: ScreeningBody) => boolean = (s) => ['completed', 'failed', 'cancelled'].includes(s.state),
  timeoutMs = 30_000,
): Promise<ScreeningBody> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const s = await getScreening(app, key, id);
    if (done(s)) return s;
    if (Date.now() > until) throw new Error(`screening ${id} still ${s.state} (${s.rowsDone}/${s.rowsTotal}) after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A CSV from rows of cells, quoting where needed. */
export function toCsv(rows: (string | number)[][]): string {
  return rows.map((r) => r.map((c) => (/[",\n]/.test(String(c)) ? `"${String(c).replace(/"/g, '""')}"` : String(c))).join(',')).join('\r\n') + '\r\n';
}

/** Reads a response body as a Buffer (exports, templates). */
export function binary(res: request.Test): request.Test {
  return res.buffer(true).parse((r, cb) => {
    const parts: Buffer[] = [];
    r.on('data', (c: Buffer) => parts.push(c));
    r.on('end', () => cb(null, Buffer.concat(parts)));
  });
}
