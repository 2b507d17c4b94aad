import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import type { INestApplication } from '@nestjs/common';
import { parse as parseCsv } from 'csv-parse/sync';
import { Client } from 'pg';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { codeLabel, loadCatalog, projectRoot, type Catalog, type CompanyProfile } from '@matcher/catalog';
import { defaultDistricts, matchIds, Ruleset } from '@matcher/engine';
import { ScreeningProcessor } from '../../apps/api/src/screenings/screening-processor.service';
import { backends, type Backend } from '../support/backends';
import { freePort } from '../support/scratch';
import { expectProblem } from '../support/http';
import { TEST_ADMIN_KEY } from '../support/test-app';
import { bearer, binary, bootApp, createOfficer, getScreening, toCsv, upload, waitFor, type ScreeningBody } from './screenings.helpers';

/**
 * Durable screening jobs on both databases, each backend on one database that outlives the apps booted on
 * it: a graceful stop in the middle of a run (paused, then resumed by the next app), a crash (a child
 * process running the service, killed with SIGKILL mid-run, then resumed), cancel, a re-run after a
 * ruleset change (a second app booted with a changed catalog, as a redeploy with new rules would be) and
 * the change report, and on PostgreSQL two instances sharing one run through pg-boss. After every
 * interruption the final results hold every prospect × district exactly once, equal to the engine's.
 */

jest.setTimeout(120_000);

const catalog = loadCatalog();
const ruleset = new Ruleset(catalog);
const AS_OF = '2025-06-01';
/** Small chunks and a pause after each, so a run of ~240 prospects lasts long enough to interrupt. */
const SLOW = { SCREENING_CHUNK_ROWS: 5, SCREENING_THROTTLE_MS: 25 };

const DISTRICT_CELLS = ['静安区', 'jingan', '徐汇', 'xuhui', '青浦区', '浦东新区', 'outside-shanghai'];
const SECTORS: string[] = [
  'digital/software',
  'ai/models-algorithms',
  'life-health/innovative-drugs',
  'finance/fintech',
  'professional-services/testing-certification',
  'commerce/e-commerce',
];
const QUALIFICATIONS = ['high-tech-enterprise', 'srdi-sme', 'tech-sme', ''];

/** A deterministic file of prospects (every 41st row has an unknown district) and the profiles of the good rows. */
function prospects(count: number, prefix: string): { csv: string; good: { row: number; profile: CompanyProfile }[] } {
  const rows: string[][] = [['企业名称', '所在区', '行业', '资质', '员工人数']];
  const good: { row: number; profile: CompanyProfile }[] = [];
  for (let i = 0; i < count; i++) {
    const row = i + 2;
    const districtCell = i % 41 === 40 ? '火星区' : DISTRICT_CELLS[i % DISTRICT_CELLS.length];
    const sectors = [SECTORS[i % SECTORS.length], ...(i % 3 === 0 ? [SECTORS[(i + 2) % SECTORS.length]] : [])];
    const qualification = QUALIFICATIONS[i % QUALIFICATIONS.length];
    const name = `${prefix}${String(i).padStart(4, '0')}`;
    rows.push([
      name,
      districtCell,
      sectors.map((s) => (i % 2 ? codeLabel('sectors', s)!.zh : s)).join('、'),
      qualification ? codeLabel('qualifications', qualification)!.zh : '',
      String(10 + i),
    ]);
    if (districtCell === '火星区') continue;
    const district = {
      静安区: 'jingan',
      jingan: 'jingan',
      徐汇: 'xuhui',
      xuhui: 'xuhui',
      青浦区: 'qingpu',
      浦东新区: 'other-shanghai',
      'outside-shanghai': 'outside-shanghai',
    }[districtCell]!;
    const profile: CompanyProfile = { name, location: { district }, sectors, metrics: { employees: 10 + i } };
    if (qualification) profile.qualifications = [qualification];
    good.push({ row, profile });
  }
  return { csv: toCsv(rows), good };
}

function expectedResults(good: { row: number; profile: CompanyProfile }[], rs: Ruleset = ruleset): string[] {
  return good.flatMap(({ row, profile }) => [...defaultDistricts(profile)].sort().map((d) => `${row}|${d}|${matchIds(rs, profile, [d]).join('; ')}`));
}

async function exportedResults(http: () => ReturnType<typeof request>, key: string, id: string): Promise<string[]> {
  const res = await binary(http().get(`/api/v1/screenings/${id}/results.csv`).set(bearer(key)));
  expect(res.status).toBe(200);
  const code: Record<string, string> = { 静安区: 'jingan', 徐汇区: 'xuhui', 青浦区: 'qingpu' };
  // The screened rows (the list's failed rows follow them, marked 未筛选), districts back to their codes.
  return parseCsv<Record<string, string>>(res.body as Buffer, { bom: true, columns: true })
    .filter((r) => !r['读取说明 Notes'].startsWith('未筛选'))
    .map((r) => `${r['行号 Row']}|${code[r['评估区 District']] ?? r['评估区 District']}|${r['措施编号 Measure IDs']}`);
}

interface Child {
  url: string;
  process: ChildProcess;
  exited: Promise<number | null>;
}

/** The service as `npm run start:dev` runs it, in a child process, on the given database. */
async function startChild(db: { url?: string; dataDir: string }, env: Record<string, string>): Promise<Child> {
  const port = await freePort();
  const childEnv: Record<string, string | undefined> = {
    ...process.env,
    NODE_OPTIONS: '',
    PORT: String(port),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'error',
    ADMIN_API_KEY: TEST_ADMIN_KEY,
    DATA_DIR: db.dataDir,
    ...env,
  };
  if (db.url) childEnv.DATABASE_URL = db.url;
  else delete childEnv.DATABASE_URL;
  const child = spawn(process.execPath, ['-r', '@swc-node/register', join(projectRoot(), 'apps/api/src/main.ts')], {
    cwd: projectRoot(),
    env: childEnv,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const url = `http://127.0.0.1:${port}`;
  const until = Date.now() + 60_000;
  for (;;) {
    const up = await fetch(`${url}/api/v1/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (up) return { url, process: child, exited };
    if (child.exitCode !== null || Date.now() > until) {
      child.kill('SIGKILL');
      throw new Error(`the child service did not start: ${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Reads the database between apps: directly on PostgreSQL, by opening the embedded data directory on PGlite. */
async function inspect<T>(db: { url?: string; dataDir: string }, sql: string, params: unknown[] = []): Promise<T[]> {
  if (db.url) {
    const client = new Client({ connectionString: db.url });
    await client.connect();
    try {
      return (await client.query(sql, params)).rows as T[];
    } finally {
      await client.end();
    }
  }
  const pg = await PGlite.create({ dataDir: db.dataDir });
  try {
    return (await pg.query<T>(sql, params)).rows;
  } finally {
    await pg.close();
  }
}

/**
 * Partial results match the chunk ledger exactly: every prospect of a done chunk has its results, no
 * prospect of an undone chunk has any, and no (row, district) appears twice.
 */
async function expectLedgerConsistent(db: { url?: string; dataDir: string }, id: string, run: number): Promise<{ done: number; total: number }> {
  const [r] = await inspect<{ done: number; total: number; results: number; distinct: number; outside: number; missing: number }>(
    db,
    `SELECT (SELECT count(*)::int FROM screening_chunk WHERE screening_id = $1 AND run = $2 AND done_at IS NOT NULL) AS done,
            (SELECT count(*)::int FROM screening_chunk WHERE screening_id = $1 AND run = $2) AS total,
            (SELECT count(*)::int FROM screening_result WHERE screening_id = $1 AND run = $2) AS results,
            (SELECT count(DISTINCT (row_no, district))::int FROM screening_result WHERE screening_id = $1 AND run = $2) AS distinct,
            (SELECT count(*)::int FROM screening_result r WHERE r.screening_id = $1 AND r.run = $2 AND NOT EXISTS (
               SELECT 1 FROM screening_chunk c WHERE c.screening_id = $1 AND c.run = $2 AND c.done_at IS NOT NULL AND r.row_no BETWEEN c.first_row AND c.last_row)) AS outside,
            (SELECT count(*)::int FROM screening_prospect p JOIN screening_chunk c ON c.screening_id = p.screening_id AND c.run = $2 AND c.done_at IS NOT NULL AND p.row_no BETWEEN c.first_row AND c.last_row
              WHERE p.screening_id = $1 AND p.profile IS NOT NULL AND NOT EXISTS (SELECT 1 FROM screening_result r WHERE r.screening_id = $1 AND r.run = $2 AND r.row_no = p.row_no)) AS missing`,
    [id, run],
  );
  expect(r.results).toBe(r.distinct);
  expect(r.outside).toBe(0);
  expect(r.missing).toBe(0);
  return { done: r.done, total: r.total };
}

/** A catalog with one measure removed (lost) and one rule loosened to the district alone (gained), as new rules would. */
function changedCatalog(profile: CompanyProfile): { changed: Catalog; lost: string; gained: string } {
  const matched = matchIds(ruleset, profile, ['jingan']);
  const lost = matched[0];
  const gainedRule = catalog.rules.find((r) => {
    const all = (r.conditions as { all?: { fact?: string }[] }).all;
    return (
      ruleset.measure(r.name).district === 'jingan' && ruleset.measure(r.name).kind === 'measure' && !matched.includes(r.name) && all?.[0]?.fact === 'location'
    );
  })!;
  const location = (gainedRule.conditions as { all: unknown[] }).all[0];
  const rules = catalog.rules
    .filter((r) => r.name !== lost)
    .map((r) => (r.name === gainedRule.name ? { ...r, conditions: { name: 'eligibility', all: [location] } } : r)) as Catalog['rules'];
  return {
    changed: { ...catalog, version: `${catalog.version}-v2`, rules, measures: catalog.measures.filter((m) => m.id !== lost) },
    lost,
    gained: gainedRule.name,
  };
}

describe.each(backends())('durable screenings on $name', (backend: Backend) => {
  const db: { url?: string; dataDir: string } = { dataDir: '' };
  let app: INestApplication | undefined;
  let officer: { id: string; key: string };
  const http = (): ReturnType<typeof request> => request(app!.getHttpServer());
  const boot = async (overrides: Record<string, unknown> = {}, changed?: Catalog): Promise<INestApplication> => {
    app = await bootApp({ databaseUrl: db.url, dataDir: db.url ? undefined : db.dataDir, overrides, catalog: changed });
    return app;
  };
  const close = async (): Promise<void> => {
    await app?.close();
    app = undefined;
  };

  beforeAll(async () => {
    db.dataDir = mkdtempSync(join(tmpdir(), 'screening-durability-'));
    db.url = await backend.create();
    await boot(SLOW);
    officer = await createOfficer(app!, '赵敏');
  });

  afterAll(async () => {
    await close();
    await backend.drop(db.url);
    rmSync(db.dataDir, { recursive: true, force: true });
  });

  test('a graceful stop in the middle of a run pauses it between chunks; the next start resumes it; every row exactly once', async () => {
    const { csv, good } = prospects(240, '平稳');
    const res = await upload(app!, officer.key, csv, 'graceful.csv', { asOf: AS_OF });
    expect(res.status).toBe(202);
    const id = (res.body as ScreeningBody).id;
    await waitFor(app!, officer.key, id, (s) => s.rowsScreened >= 40);
    await close(); // what SIGTERM does: Nest's shutdown hooks stop the runner after the chunk in flight

    const [state] = await inspect<{ state: string; run_state: string }>(
      db,
      'SELECT s.state, r.state AS run_state FROM screening s JOIN screening_run r ON r.screening_id = s.id AND r.run = s.current_run WHERE s.id = $1',
      [id],
    );
    // In-process: paused until the next start. pg-boss: still running — its continuation job waits in the queue for any instance.
    expect(state).toEqual(backend.name === 'pglite' ? { state: 'paused', run_state: 'paused' } : { state: 'running', run_state: 'running' });
    const partial = await expectLedgerConsistent(db, id, 1);
    expect(partial.done).toBeGreaterThan(0);
    expect(partial.done).toBeLessThan(partial.total);

    await boot({ SCREENING_CHUNK_ROWS: 5 });
    const done = await waitFor(app!, officer.key, id);
    expect(done).toMatchObject({ state: 'completed', rowsTotal: 240, rowsScreened: good.length, rowsDone: 240 });
    expect(done.runs[0]).toMatchObject({ state: 'completed', chunksDone: partial.total, chunksTotal: partial.total, rowsDone: good.length });
    await expectLedgerConsistent(db, id, 1);
    expect(await exportedResults(http, officer.key, id)).toEqual(expectedResults(good));
  });

  test('a crash (SIGKILL of the service process mid-run) loses no row and doubles none after the restart', async () => {
    await close();
    const child = await startChild(db, { SCREENING_CHUNK_ROWS: '5', SCREENING_THROTTLE_MS: '25', SCREENING_STALE_SECONDS: '5' });
    let id: string;
    let good: { row: number; profile: CompanyProfile }[];
    try {
      const file = prospects(240, '崩溃');
      good = file.good;
      const childHttp = (): ReturnType<typeof request> => request(child.url);
      const res = await childHttp().post('/api/v1/screenings').set(bearer(officer.key)).field('asOf', AS_OF).attach('file', Buffer.from(file.csv), 'crash.csv');
      expect(res.status).toBe(202);
      id = (res.body as ScreeningBody).id;
      for (;;) {
        const s = (await childHttp().get(`/api/v1/screenings/${id}`).set(bearer(officer.key))).body as ScreeningBody;
        if (s.rowsScreened >= 40) break;
        await new Promise((r) => setTimeout(r, 30));
      }
    } finally {
      child.process.kill('SIGKILL');
      await child.exited;
    }
    const [state] = await inspect<{ state: string }>(db, 'SELECT state FROM screening WHERE id = $1', [id!]);
    expect(state.state).toBe('running'); // nobody marked it: the process died
    const partial = await expectLedgerConsistent(db, id!, 1);
    expect(partial.done).toBeGreaterThan(0);
    expect(partial.done).toBeLessThan(partial.total);

    await boot({ SCREENING_CHUNK_ROWS: 5 });
    const done = await waitFor(app!, officer.key, id!);
    expect(done).toMatchObject({ state: 'completed', rowsScreened: good!.length });
    await expectLedgerConsistent(db, id!, 1);
    expect(await exportedResults(http, officer.key, id!)).toEqual(expectedResults(good!));
  });

  test('a chunk whose transaction fails after writing its results leaves nothing behind; the retry writes them once', async () => {
    await close();
    await boot({ SCREENING_CHUNK_ROWS: 5 });
    const ds = app!.get(DataSource);
    // Fails the first attempt to mark chunk 3 done — after that chunk's results were inserted in the same
    // transaction. A sequence counts the attempts (nextval survives the rollback).
    await ds.query(`CREATE SEQUENCE test_fail_attempts`);
    await ds.query(`CREATE OR REPLACE FUNCTION test_fail_chunk() RETURNS trigger AS $$
      BEGIN
        IF NEW.chunk = 3 AND NEW.done_at IS NOT NULL AND nextval('test_fail_attempts') = 1 THEN
          RAISE EXCEPTION 'simulated failure after the results of chunk 3 were written';
        END IF;
        RETURN NEW;
      END $$ LANGUAGE plpgsql`);
    await ds.query(`CREATE TRIGGER test_fail_chunk BEFORE UPDATE ON screening_chunk FOR EACH ROW EXECUTE FUNCTION test_fail_chunk()`);
    try {
      const { csv, good } = prospects(40, '失败');
      const res = await upload(app!, officer.key, csv, 'fail-once.csv', { asOf: AS_OF });
      const done = await waitFor(app!, officer.key, (res.body as ScreeningBody).id);
      expect(done.state).toBe('completed');
      const [{ attempts }] = await ds.query<{ attempts: number }[]>('SELECT last_value::int AS attempts FROM test_fail_attempts');
      expect(attempts).toBe(2); // it did fail once, and the second attempt went through
      await expectLedgerConsistent(db, done.id, 1);
      expect(await exportedResults(http, officer.key, done.id)).toEqual(expectedResults(good));
    } finally {
      await ds.query('DROP TRIGGER IF EXISTS test_fail_chunk ON screening_chunk');
      await ds.query('DROP FUNCTION IF EXISTS test_fail_chunk()');
      await ds.query('DROP SEQUENCE IF EXISTS test_fail_attempts');
    }
  });

  test('DELETE cancels a running screening between chunks (state cancelled, no further rows), then removes it', async () => {
    await close();
    await boot(SLOW);
    const { csv } = prospects(240, '取消');
    const res = await upload(app!, officer.key, csv, 'cancel.csv');
    const id = (res.body as ScreeningBody).id;
    await waitFor(app!, officer.key, id, (s) => s.rowsScreened > 0);
    expectProblem(await http().post(`/api/v1/screenings/${id}/rerun`).set(bearer(officer.key)), 409); // not while it runs
    const cancel = await http().delete(`/api/v1/screenings/${id}`).set(bearer(officer.key));
    expect(cancel.status).toBe(200);
    expect(cancel.body).toMatchObject({ id, state: 'cancelled' });
    await new Promise((r) => setTimeout(r, 300)); // the chunk in flight, if any, commits
    const settled = await getScreening(app!, officer.key, id);
    await new Promise((r) => setTimeout(r, 300));
    const later = await getScreening(app!, officer.key, id);
    expect(later).toMatchObject({ state: 'cancelled', rowsScreened: settled.rowsScreened });
    expect(later.rowsScreened).toBeLessThan(later.rowsTotal);
    expect(later.runs[0].state).toBe('cancelled');
    // A cancelled screening is finished: the next DELETE removes it with its prospects and results.
    expect((await http().delete(`/api/v1/screenings/${id}`).set(bearer(officer.key))).status).toBe(204);
    expectProblem(await http().get(`/api/v1/screenings/${id}`).set(bearer(officer.key)), 404);
    const [left] = await app!
      .get(DataSource)
      .query<{ n: number }[]>(
        'SELECT (SELECT count(*)::int FROM screening_result WHERE screening_id = $1) + (SELECT count(*)::int FROM screening_prospect WHERE screening_id = $1) + (SELECT count(*)::int FROM screening_chunk WHERE screening_id = $1) AS n',
        [id],
      );
    expect(left.n).toBe(0);
  });

  test('a re-run after a ruleset change stores a new run; changes list per prospect the measures gained and lost', async () => {
    await close();
    await boot({ SCREENING_CHUNK_ROWS: 5 });
    const base: CompanyProfile = {
      location: { district: 'jingan' },
      sectors: ['professional-services/testing-certification'],
      roles: ['professional-service-institution'],
      plans: ['international-standards'],
      qualifications: ['high-tech-enterprise'],
    };
    const profiles: CompanyProfile[] = [
      { ...base, name: '甲' },
      { name: '乙', location: { district: 'jingan' }, sectors: ['digital/software'] },
      {
        name: '丙',
        location: { district: 'other-shanghai' },
        sectors: ['professional-services/testing-certification'],
        qualifications: ['high-tech-enterprise'],
      },
      { name: '丁', location: { district: 'xuhui' }, sectors: ['ai'] },
    ];
    const ndjson = profiles.map((p) => JSON.stringify(p)).join('\n');
    const res = await upload(app!, officer.key, ndjson, 'rerun.ndjson', { asOf: AS_OF });
    const id = (res.body as ScreeningBody).id;
    const first = await waitFor(app!, officer.key, id);
    expect(first.runs.map((r) => r.rulesetVersion)).toEqual([catalog.version]);
    await close();

    const { changed, lost, gained } = changedCatalog(base);
    const changedRuleset = new Ruleset(changed);
    await boot({ SCREENING_CHUNK_ROWS: 5 }, changed);
    const rerun = await http().post(`/api/v1/screenings/${id}/rerun`).set(bearer(officer.key));
    expect(rerun.status).toBe(202);
    expect(rerun.body).toMatchObject({ id, currentRun: 2 });
    const second = await waitFor(app!, officer.key, id);
    expect(second.runs.map((r) => [r.run, r.state, r.rulesetVersion])).toEqual([
      [1, 'completed', catalog.version],
      [2, 'completed', changed.version],
    ]);

    const changes = await http().get(`/api/v1/screenings/${id}/changes`).set(bearer(officer.key));
    expect(changes.status).toBe(200);
    const want = profiles.flatMap((profile, i) =>
      [...defaultDistricts(profile)].sort().flatMap((d) => {
        const before = matchIds(ruleset, profile, [d]);
        const after = matchIds(changedRuleset, profile, [d]);
        const g = after.filter((x) => !before.includes(x)).sort();
        const l = before.filter((x) => !after.includes(x)).sort();
        return g.length || l.length ? [{ row: i + 1, name: profile.name, district: d, gained: g, lost: l }] : [];
      }),
    );
    expect(changes.body).toMatchObject({
      fromRun: 1,
      toRun: 2,
      fromRulesetVersion: catalog.version,
      toRulesetVersion: changed.version,
      total: want.length,
      items: want,
    });
    // The measure removed from the rules is lost by whoever had it; the loosened one gained by every prospect evaluated in Jing'an.
    const items = (changes.body as { items: { row: number; district: string; gained: string[]; lost: string[] }[] }).items;
    expect(items.find((i) => i.row === 1)).toMatchObject({ district: 'jingan', gained: [gained], lost: [lost] });
    expect(items.filter((i) => i.district === 'jingan').every((i) => i.gained.includes(gained))).toBe(true);
    // Both runs stay readable.
    const runOne = await http().get(`/api/v1/screenings/${id}/results`).query({ run: 1 }).set(bearer(officer.key));
    expect((runOne.body as { rulesetVersion: string }).rulesetVersion).toBe(catalog.version);
    const explicit = await http().get(`/api/v1/screenings/${id}/changes`).query({ from: 1, to: 2, district: 'jingan' }).set(bearer(officer.key));
    expect((explicit.body as { items: unknown[] }).items).toEqual(want.filter((w) => w.district === 'jingan'));
    await close();
    await boot({ SCREENING_CHUNK_ROWS: 5 }); // back on the real catalog for what follows
  });

  if (backend.name === 'postgres') {
    test('several instances share one run through pg-boss: chunks split between them, every row once', async () => {
      await close();
      const uploader = await boot({ SCREENING_WORKERS: 0, SCREENING_JOBS_PER_RUN: 2, SCREENING_CHUNK_ROWS: 5 }); // chunks are cut at upload
      // Each worker instance polls pg-boss every second: chunks are slowed so that both are in time to take part.
      const overrides = { SCREENING_CHUNK_ROWS: 5, SCREENING_THROTTLE_MS: 50, SCREENING_WORKERS: 1 };
      const workers = [await bootApp({ databaseUrl: db.url, overrides }), await bootApp({ databaseUrl: db.url, overrides })];
      try {
        const counts = workers.map((w) => {
          const processor = w.get(ScreeningProcessor);
          const spy = jest.spyOn(processor as unknown as { processChunk: (...a: unknown[]) => Promise<string> }, 'processChunk');
          return spy;
        });
        const { csv, good } = prospects(300, '共享');
        const res = await upload(uploader, officer.key, csv, 'shared.csv', { asOf: AS_OF });
        const done = await waitFor(uploader, officer.key, (res.body as ScreeningBody).id);
        expect(done.state).toBe('completed');
        const processed = await Promise.all(
          counts.map(async (spy) => (await Promise.all(spy.mock.results.map((r) => r.value as Promise<string>))).filter((v) => v === 'processed').length),
        );
        expect(processed[0]).toBeGreaterThan(0);
        expect(processed[1]).toBeGreaterThan(0);
        expect(processed[0] + processed[1]).toBe(done.runs[0].chunksTotal);
        await expectLedgerConsistent(db, done.id, 1);
        expect(await exportedResults(http, officer.key, done.id)).toEqual(expectedResults(good));
      } finally {
        for (const w of workers) await w.close();
      }
    });
  }
});
