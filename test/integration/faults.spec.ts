import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { catalogFromContent, loadCatalog, loadCatalogContent } from '@matcher/catalog';
import { createDataSource, dataSourceOptions, MIGRATIONS, openDatabase, RulesetRepository, seedCatalog } from '@matcher/persistence';
import { aTestingLab } from '../factories/profile.factory';
import { backends, type Backend } from '../support/backends';
import { freePort } from '../support/scratch';
import { TcpProxy } from '../support/tcp-proxy';
import { createTestApp, type TestApp } from '../support/test-app';

const KEY = 'sigterm-test-admin-key-0123456789';
const PROFILE = aTestingLab();
const postgres = backends().find((b) => b.name === 'postgres');
const onPostgres = postgres ? describe : describe.skip;

const waitFor = async (check: () => Promise<boolean>, ms = 20_000): Promise<void> => {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('condition not reached in time');
};

onPostgres('PostgreSQL stops while the service runs', () => {
  let t: TestApp;
  let proxy: TcpProxy;
  let direct: DataSource;
  let url: string;

  beforeAll(async () => {
    url = (await postgres!.create())!;
    const target = new URL(url);
    proxy = new TcpProxy(target.hostname, Number(target.port || 5432));
    await proxy.start();
    const viaProxy = new URL(url);
    viaProxy.hostname = '127.0.0.1';
    viaProxy.port = String(proxy.port);
    const passthrough: Backend = { name: 'postgres', create: () => Promise.resolve(viaProxy.toString()), drop: () => Promise.resolve() };
    t = await createTestApp(passthrough, { AUDIT_QUEUE_LIMIT: 100 });
    direct = createDataSource(url);
    await direct.initialize();
  }, 60_000);

  afterAll(async () => {
    await t?.close();
    await direct?.destroy();
    await proxy?.cut().catch(() => undefined);
    await postgres!.drop(url);
  }, 60_000);

  it('reports the outage, keeps matching from memory, queues audit records and writes them when the database returns', async () => {
    const http = t.app.getHttpServer();
    await request(http).get('/api/v1/health/ready').expect(200);
    const before = Number((await direct.query('SELECT count(*) AS n FROM evaluation'))[0].n);

    await proxy.cut();
    const ready = await request(http).get('/api/v1/health/ready');
    expect(ready.status).toBe(503);
    expect(ready.body).toMatchObject({ status: 'not-ready', database: 'down' });

    for (let i = 0; i < 30; i++) {
      const res = await request(http).post('/api/v1/match').send({ profile: PROFILE, asOf: '2025-06-01' }).expect(200);
      expect(res.body.matches.map((m: { measureId: string }) => m.measureId)).toContain('jingan-2024-professional-services-quality');
    }
    const down = await request(http).get('/api/v1/health').expect(200);
    expect(down.body.database).toBe('down');
    expect(down.body.audit.queued).toBeGreaterThanOrEqual(30);

    await proxy.restore();
    await waitFor(async () => (await request(http).get('/api/v1/health')).body.audit.queued === 0);
    const after = Number((await direct.query('SELECT count(*) AS n FROM evaluation'))[0].n);
    expect(after - before).toBe(30);
    await request(http).get('/api/v1/health/ready').expect(200);
  }, 60_000);

  it('counts and reports audit records dropped when the queue overflows, never silently', async () => {
    const http = t.app.getHttpServer();
    await proxy.cut();
    for (let i = 0; i < 130; i++) await request(http).post('/api/v1/match').send({ profile: PROFILE, asOf: '2025-06-01' }).expect(200);
    const health = (await request(http).get('/api/v1/health').expect(200)).body;
    expect(health.audit.queued).toBe(100);
    expect(health.audit.dropped).toBe(30);
    await proxy.restore();
    await waitFor(async () => (await request(http).get('/api/v1/health')).body.audit.queued === 0);
  }, 60_000);
});

onPostgres('SIGTERM', () => {
  let url: string;
  let child: ChildProcess | undefined;

  beforeAll(async () => {
    url = (await postgres!.create())!;
  });
  afterAll(async () => {
    child?.kill('SIGKILL');
    await postgres!.drop(url);
  });

  it('finishes in-flight requests, flushes every audit record and exits cleanly', async () => {
    const port = await freePort();
    child = spawn(process.execPath, ['-r', '@swc-node/register', join(__dirname, '../../apps/api/src/main.ts')], {
      cwd: join(__dirname, '../..'),
      env: {
        ...process.env,
        NODE_OPTIONS: '',
        DATABASE_URL: url,
        PORT: String(port),
        HOST: '127.0.0.1',
        LOG_LEVEL: 'warn',
        AUDIT_FLUSH_MS: '60000',
        RATE_LIMIT_PER_MINUTE: '0',
        ADMIN_API_KEY: KEY,
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    const base = `http://127.0.0.1:${port}`;
    await waitFor(async () => (await fetch(`${base}/api/v1/health`).catch(() => null))?.ok === true, 90_000);

    // The audit flush interval is a minute: everything below is still queued when SIGTERM arrives.
    for (let i = 0; i < 20; i++) {
      const res = await fetch(`${base}/api/v1/match`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ profile: PROFILE, asOf: '2025-06-01' }),
      });
      expect(res.status).toBe(200);
    }
    // A request truly in flight: a streamed batch that has answered its first line when SIGTERM arrives.
    const lines: string[] = [];
    const batch = new Promise<number>((resolve, reject) => {
      const req = httpRequest(
        `${base}/api/v1/match/batch?asOf=2025-06-01`,
        { method: 'POST', agent: false, headers: { 'content-type': 'application/x-ndjson', authorization: `Bearer ${KEY}` } },
        (res) => {
          let buffer = '';
          res.on('data', (chunk: Buffer) => {
            buffer += chunk.toString();
            const parts = buffer.split('\n');
            buffer = parts.pop() ?? '';
            lines.push(...parts);
            if (lines.length >= 1 && !child!.killed) {
              child!.kill('SIGTERM');
              for (let i = 1; i < 50; i++) req.write(`${JSON.stringify(PROFILE)}\n`);
              req.end();
            }
          });
          res.on('end', () => resolve(res.statusCode ?? 0));
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.write(`${JSON.stringify(PROFILE)}\n`);
    });
    expect(await batch).toBe(200);
    expect(lines.filter(Boolean)).toHaveLength(50);
    const [code] = (await once(child, 'exit')) as [number | null];
    expect({ code, stderr: code === 0 ? '' : stderr }).toEqual({ code: 0, stderr: '' });

    const ds = createDataSource(url);
    await ds.initialize();
    try {
      const rows: { kind: string; n: string }[] = await ds.query('SELECT kind, count(*) AS n FROM evaluation GROUP BY kind ORDER BY kind');
      expect(rows.map((r) => [r.kind, Number(r.n)])).toEqual([
        ['batch', 1],
        ['match', 20],
      ]);
    } finally {
      await ds.destroy();
    }
  }, 150_000);
});

describe.each(backends())('migrations on $name', (backend) => {
  it('upgrade a database of the previous release (first migration only, seeded) to the current schema, keeping its data', async () => {
    const url = await backend.create();
    // The embedded backend keeps its files in a directory so the "previous release" can be reopened.
    const dataDir = url ? 'memory://' : join(tmpdir(), `matcher-prev-${process.pid}-${Date.now()}`);
    try {
      const previous = await openDatabaseWith(url, dataDir, MIGRATIONS.slice(0, 1));
      await seedCatalog(previous.dataSource, loadCatalog());
      const measures = Number((await previous.dataSource.query('SELECT count(*) AS n FROM measure'))[0].n);
      await previous.close();

      const current = await openDatabase({ databaseUrl: url, dataDir });
      try {
        const applied: { name: string }[] = await current.dataSource.query('SELECT name FROM migrations ORDER BY id');
        expect(applied.map((m) => m.name)).toEqual(MIGRATIONS.map((m) => new m().name));
        expect(Number((await current.dataSource.query('SELECT count(*) AS n FROM measure'))[0].n)).toBe(measures);
        const again = await seedCatalog(current.dataSource, loadCatalog());
        expect(again.seeded).toBe(false);

        // The shipped rules become the first ruleset version, once: a restart imports nothing again.
        const content = loadCatalogContent();
        const version = catalogFromContent(content).version;
        const rulesets = new RulesetRepository(current.dataSource, false);
        expect(await rulesets.importBaseline(content, version)).toEqual({ imported: true, live: true });
        expect(await rulesets.importBaseline(content, version)).toEqual({ imported: false, live: true });
        expect(await rulesets.liveVersion()).toBe(version);
        const versions = await rulesets.versions();
        expect(versions.map((v) => [v.version, v.origin, v.live, v.measureCount])).toEqual([[version, 'baseline', true, measures]]);
        expect((await rulesets.activations()).map((a) => [a.action, a.version])).toEqual([['baseline', version]]);
        expect(Number((await current.dataSource.query('SELECT count(*) AS n FROM measure'))[0].n)).toBe(measures);
      } finally {
        await current.close();
      }
    } finally {
      await backend.drop(url);
      if (!url) rmSync(dataDir, { recursive: true, force: true });
    }
  }, 90_000);
});

/** Opens the database with only some migrations — what an earlier release would have run. */
async function openDatabaseWith(url: string | undefined, dataDir: string, migrations: typeof MIGRATIONS) {
  const { startEmbeddedPostgres } = await import('@matcher/persistence');
  const embedded = url ? undefined : await startEmbeddedPostgres(dataDir);
  const ds = new DataSource({ ...dataSourceOptions(url ?? embedded!.url), migrations });
  await ds.initialize();
  await ds.runMigrations();
  return {
    dataSource: ds,
    async close() {
      await ds.destroy();
      await embedded?.stop();
    },
  };
}
