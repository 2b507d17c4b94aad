/**
 * npm run bench:cluster — the service on PostgreSQL as one process (WORKERS=1) and as one process per core
 * (WORKERS=0) side by side: both started from apps/api/src/main.ts on one scratch database, then loaded in
 * alternation (POST /api/v1/match, audit on, a browser-like client accepting br), so the ratio holds on a shared
 * machine. The load generator runs on the same machine and takes CPU from the workers.
 *
 * Env: TEST_DATABASE_URL or DATABASE_URL (a PostgreSQL server), BENCH_HTTP_SECONDS (default 10), BENCH_HTTP_ROUNDS (default 3).
 */
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import { createScratchDatabase, dropScratchDatabase } from '../test/support/scratch';
import { generateRequestBodies } from './bench/profiles';

const SECONDS = Number(process.env.BENCH_HTTP_SECONDS ?? 10);
const ROUNDS = Number(process.env.BENCH_HTTP_ROUNDS ?? 3);
const ROOT = join(__dirname, '..');
const log = (s: string): void => void process.stderr.write(`${s}\n`);
const load1 = (): string =>
  loadavg()
    .map((x) => x.toFixed(2))
    .join(' ');
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const HEADERS = { 'accept-encoding': 'gzip, deflate, br, zstd' };

interface LoadResult {
  duration: number;
  requests: { total: number };
  latency: { p50: number; p99: number };
  non2xx: number;
  errors: number;
}

function load(url: string, duration: number, bodies: string[]): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const child = fork(join(__dirname, 'bench', 'load-worker.cjs'), [], { execArgv: [], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    child.once('error', reject);
    child.once('message', (m: { error?: string; result?: LoadResult }) => (m.error || !m.result ? reject(new Error(m.error)) : resolve(m.result)));
    child.send({ url, connections: 32, duration, bodies, headers: HEADERS });
  });
}

async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  return port;
}

async function startService(databaseUrl: string, workers: number): Promise<{ child: ChildProcess; base: string }> {
  const port = await freePort();
  const env = {
    ...process.env,
    DATABASE_URL: databaseUrl,
    WORKERS: String(workers),
    PORT: String(port),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    RATE_LIMIT_PER_MINUTE: '0',
  };
  const child = spawn(process.execPath, ['-r', '@swc-node/register', join(ROOT, 'apps', 'api', 'src', 'main.ts')], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const base = `http://127.0.0.1:${port}/api/v1`;
  const until = Date.now() + 120_000;
  for (;;) {
    const up = await fetch(`${base}/health`).then(
      (r) => r.status === 200,
      () => false,
    );
    if (up) break;
    if (Date.now() > until || child.exitCode !== null) throw new Error(`WORKERS=${workers} did not start`);
    await new Promise((r) => setTimeout(r, 300));
  }
  // With several workers the port answers once the first listens: give the others time to start.
  await new Promise((r) => setTimeout(r, workers > 1 ? 8000 : 1000));
  return { child, base };
}

async function main(): Promise<void> {
  const adminUrl = process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL;
  if (!adminUrl) {
    log('bench:cluster needs PostgreSQL: set TEST_DATABASE_URL (or DATABASE_URL)');
    process.exit(2);
  }
  const url = await createScratchDatabase(adminUrl, 'matcher_bench');
  const cores = availableParallelism();
  const services: { name: string; child: ChildProcess; base: string }[] = [];
  try {
    log(`date ${new Date().toISOString()}, ${cores} cores, load average at start ${load1()}`);
    services.push({ name: 'WORKERS=1', ...(await startService(url, 1)) });
    services.push({ name: `WORKERS=0 (${cores} workers)`, ...(await startService(url, 0)) });
    const bodies = generateRequestBodies(256, 20250602).map((b) => JSON.stringify(b));
    for (const s of services) await load(`${s.base}/match`, 3, bodies);
    const rps = new Map<string, number[]>();
    const p99 = new Map<string, number[]>();
    const ratios: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const order = round % 2 ? [...services].reverse() : services;
      const here = new Map<string, number>();
      for (const s of order) {
        log(`round ${round + 1}/${ROUNDS}: ${s.name} (load ${load1()})`);
        const r = await load(`${s.base}/match`, SECONDS, bodies);
        if (r.non2xx || r.errors) throw new Error(`${s.name}: ${r.non2xx} non-2xx, ${r.errors} errors`);
        here.set(s.name, r.requests.total / r.duration);
        rps.set(s.name, [...(rps.get(s.name) ?? []), r.requests.total / r.duration]);
        p99.set(s.name, [...(p99.get(s.name) ?? []), r.latency.p99]);
      }
      ratios.push(here.get(services[1].name)! / here.get(services[0].name)!);
    }
    const lines = [
      `POST /api/v1/match on PostgreSQL, 32 connections, br client, ${SECONDS} s per set-up per round, ${ROUNDS} rounds alternating (medians):`,
      ...services.map((s) => `  ${s.name.padEnd(24)} ${Math.round(median(rps.get(s.name)!))} req/s, p99 ${median(p99.get(s.name)!)} ms`),
      `  ratio ${services[1].name} ÷ WORKERS=1: ×${median(ratios).toFixed(2)} (rounds ${ratios.map((r) => r.toFixed(2)).join(' ')})`,
      `load average at end ${load1()}`,
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    for (const s of services) {
      s.child.kill('SIGTERM');
      if (s.child.exitCode === null) await once(s.child, 'exit');
    }
    await dropScratchDatabase(adminUrl, url);
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
