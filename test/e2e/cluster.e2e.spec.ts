import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { Client } from 'pg';
import { projectRoot } from '@matcher/catalog';
import { aTestingLab } from '../factories/profile.factory';
import { backends } from '../support/backends';
import { TEST_ADMIN_KEY } from '../support/test-app';

/**
 * The service as `WORKERS=2 npm start` runs it: a primary and two worker processes on one port. A ruleset
 * switch made through the port reaches both workers; the embedded database refuses a second process with a clear message.
 */
const ROOT = projectRoot();
const MAIN = join(ROOT, 'apps', 'api', 'src', 'main.ts');

function start(env: Record<string, string>): ChildProcess {
  const inherited = { ...process.env };
  delete inherited.DATABASE_URL;
  return spawn(process.execPath, ['-r', '@swc-node/register', MAIN], {
    cwd: ROOT,
    env: { ...inherited, NODE_OPTIONS: '', LOG_LEVEL: 'warn', HOST: '127.0.0.1', RATE_LIMIT_PER_MINUTE: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  return port;
}

async function eventually(check: () => Promise<boolean>, ms: number): Promise<void> {
  const until = Date.now() + ms;
  while (!(await check().catch(() => false))) {
    if (Date.now() > until) throw new Error('not reached in time');
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('several processes on one port', () => {
  it('refuses WORKERS=2 on the embedded database, saying why', async () => {
    const child = start({ WORKERS: '2', DATA_DIR: 'memory://', PORT: String(await freePort()) });
    let stderr = '';
    child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
    const [code] = (await once(child, 'exit')) as [number];
    expect(code).toBe(1);
    expect(stderr).toMatch(/WORKERS=2 needs DATABASE_URL: the embedded database \(PGlite\) can be opened by one process only/);
  }, 60_000);

  const postgres = backends().find((b) => b.name === 'postgres');
  (postgres ? it : it.skip)(
    'on PostgreSQL, two workers serve the port and both switch when another version is made live',
    async () => {
      const url = (await postgres!.create())!;
      const port = await freePort();
      const base = `http://127.0.0.1:${port}/api/v1`;
      const child = start({ WORKERS: '2', DATABASE_URL: url, ADMIN_API_KEY: TEST_ADMIN_KEY, PORT: String(port) });
      let output = '';
      child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
      child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
      const versions = async (): Promise<string[]> => {
        const out: string[] = [];
        // Fresh connections, handed to the workers in turn.
        for (let i = 0; i < 12; i++) {
          const res = await fetch(`${base}/match`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', connection: 'close' },
            body: JSON.stringify({ profile: aTestingLab(), asOf: '2026-06-01' }),
          });
          expect(res.status).toBe(200);
          out.push(res.headers.get('x-ruleset-version')!);
        }
        return out;
      };
      try {
        // Both workers up: the primary has two children.
        await eventually(
          () =>
            Promise.resolve(
              spawnSync('pgrep', ['-P', String(child.pid)], { encoding: 'utf8' })
                .stdout.trim()
                .split('\n')
                .filter(Boolean).length === 2,
            ),
          60_000,
        );
        await eventually(async () => (await fetch(`${base}/health`)).status === 200, 60_000);
        const before = new Set(await versions());
        expect(before.size).toBe(1);

        // A second published version (the live one under another name), made live through the port: the worker
        // that takes the request switches at once, the other follows the notification.
        const db = new Client({ connectionString: url });
        await db.connect();
        try {
          await db.query(
            `CREATE TEMP TABLE next_version AS SELECT * FROM ruleset_version WHERE live;
             UPDATE next_version SET id = gen_random_uuid(), version = 'cluster-test-2', live = false;
             INSERT INTO ruleset_version SELECT * FROM next_version;`,
          );
        } finally {
          await db.end();
        }
        const rulesetVersion = 'cluster-test-2';
        const admin = { authorization: `Bearer ${TEST_ADMIN_KEY}` };
        expect((await fetch(`${base}/catalog/versions/${rulesetVersion}/activate`, { method: 'POST', headers: admin })).status).toBe(200);
        await eventually(async () => (await versions()).every((v) => v === rulesetVersion), 15_000);
        expect(new Set(await versions())).toEqual(new Set([rulesetVersion]));
      } finally {
        child.kill('SIGTERM');
        const [code] = (await once(child, 'exit')) as [number];
        await postgres!.drop(url);
        expect({ code, output: code === 0 ? '' : output }).toEqual({ code: 0, output: '' });
      }
    },
    180_000,
  );
});
