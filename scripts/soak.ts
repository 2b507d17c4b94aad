/**
 * `npm run soak` (outside CI): the service as its own process, autocannon on POST /api/v1/match at 64
 * connections for SOAK_SECONDS (default 60) while a screening job runs. Prints one summary line; exits 1 on
 * any error or when resident memory after the run exceeds the warmed-up figure by more than 10%.
 * Database: DATABASE_URL, else a fresh database on TEST_DATABASE_URL's server, else the embedded PGlite.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { createScratchDatabase, dropScratchDatabase, freePort } from '../test/support/scratch';

const SECONDS = Number(process.env.SOAK_SECONDS ?? 60);
const ROWS = Number(process.env.SOAK_SCREENING_ROWS ?? 20_000);
const KEY = 'soak-admin-key-0123456789abcdefgh';
const root = join(__dirname, '..');

async function database(): Promise<{ env: Record<string, string>; describe: string; drop: () => Promise<void> }> {
  if (process.env.DATABASE_URL)
    return { env: { DATABASE_URL: process.env.DATABASE_URL }, describe: 'PostgreSQL (DATABASE_URL)', drop: () => Promise.resolve() };
  const admin = process.env.TEST_DATABASE_URL;
  if (admin) {
    const url = await createScratchDatabase(admin, 'matcher_soak');
    return { env: { DATABASE_URL: url }, describe: `PostgreSQL (${new URL(url).pathname.slice(1)})`, drop: () => dropScratchDatabase(admin, url) };
  }
  const dir = mkdtempSync(join(tmpdir(), 'matcher-soak-'));
  return {
    env: { DATA_DIR: dir },
    describe: 'embedded PGlite',
    drop: () => new Promise<void>((resolve) => (rmSync(dir, { recursive: true, force: true }), resolve())),
  };
}

const rssMb = (pid: number): number => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;

function prospectsCsv(rows: number): string {
  const districts = ['静安区', '徐汇区', '青浦区', '上海市外'];
  const sectors = ['人工智能', '生命健康/生物医药', '金融科技', '检验检测认证', '软件开发'];
  const lines = ['企业名称,统一社会信用代码,所在区,行业,资质,发展计划'];
  for (let i = 0; i < rows; i++) lines.push(`浸泡测试企业${i},,${districts[i % 4]},${sectors[i % 5]},${i % 3 ? '高新技术企业' : ''},新落户/迁入`);
  return `${lines.join('\n')}\n`;
}

function bodies(): string[] {
  const sets = [
    {
      location: { district: 'jingan' },
      sectors: ['professional-services/testing-certification'],
      roles: ['professional-service-institution'],
      plans: ['international-standards'],
    },
    { location: { district: 'xuhui' }, sectors: ['life-health/innovative-drugs'], qualifications: ['high-tech-enterprise'] },
    { location: { district: 'outside-shanghai' }, sectors: ['ai/robotics'], plans: ['relocate-in'] },
    { location: { district: 'qingpu', area: 'qingpu/west-hongqiao' }, sectors: ['beidou-aviation/beidou'], headquarters: ['yrd-manufacturing'] },
  ];
  return sets.map((profile) => JSON.stringify({ profile, asOf: '2025-06-01' }));
}

async function main(): Promise<void> {
  const db = await database();
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, ['-r', '@swc-node/register', join(root, 'apps/api/src/main.ts')], {
    cwd: root,
    env: { ...process.env, ...db.env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', ADMIN_API_KEY: KEY, RATE_LIMIT_PER_MINUTE: '0' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const stop = async (): Promise<void> => {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    await db.drop();
  };
  try {
    for (let i = 0; i < 300; i++) {
      if ((await fetch(`${base}/api/v1/health`).catch(() => null))?.ok) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    const load = (seconds: number) =>
      autocannon({
        url: `${base}/api/v1/match`,
        connections: 64,
        duration: seconds,
        requests: bodies().map((body) => ({ method: 'POST' as const, path: '/api/v1/match', headers: { 'content-type': 'application/json' }, body })),
      });
    await load(5); // warm-up: JIT, pools, caches
    const before = rssMb(child.pid!);

    const form = new FormData();
    form.append('file', new Blob([prospectsCsv(ROWS)], { type: 'text/csv' }), 'prospects.csv');
    form.append('name', 'soak');
    const upload = await fetch(`${base}/api/v1/screenings`, { method: 'POST', headers: { authorization: `Bearer ${KEY}` }, body: form });
    if (upload.status !== 202) throw new Error(`screening upload answered ${upload.status}: ${await upload.text()}`);
    const { id } = (await upload.json()) as { id: string };

    const result = await load(SECONDS);
    let screening = { state: 'unknown', rowsDone: 0, rowsTotal: ROWS };
    for (let i = 0; i < 600; i++) {
      screening = (await (await fetch(`${base}/api/v1/screenings/${id}`, { headers: { authorization: `Bearer ${KEY}` } })).json()) as typeof screening;
      if (['completed', 'failed', 'cancelled'].includes(screening.state)) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    await new Promise((r) => setTimeout(r, 3000));
    const after = rssMb(child.pid!);
    const errors = result.errors + result.timeouts + result.non2xx;
    const growth = (100 * (after - before)) / before;
    const ok = errors === 0 && growth <= 10 && screening.state === 'completed';
    console.log(
      `soak: ${result.requests.total} requests in ${SECONDS} s on ${db.describe} (${Math.round(result.requests.average)} req/s), ${errors} errors (${result.errors} socket, ${result.timeouts} timeouts, ${result['4xx']} 4xx, ${result['5xx']} 5xx), p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms; ` +
        `rss ${before.toFixed(0)} MB before, ${after.toFixed(0)} MB after (${growth >= 0 ? '+' : ''}${growth.toFixed(1)}%); screening ${screening.state} ${screening.rowsDone}/${screening.rowsTotal} rows — ${ok ? 'OK' : 'FAILED'}`,
    );
    if (!ok) process.exitCode = 1;
  } finally {
    await stop();
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
