/**
 * `npm run soak:hostile` (outside CI): the service as its own process (default limits) while
 * two clients send, for SOAK_SECONDS (default 30), the amplification inputs issue 12 found: 489 KB and 800 KB
 * code lists, JSON with NUL, an XLSX whose 60 KB hold 2 million shared strings, 400 KB of blank CSV lines,
 * 100,000 short CSV rows, rows of 2,000 bad codes, and the match route in capitals. A third client times
 * GET /health every 100 ms. Prints the health latencies and the answers seen; exits 1 when /health took
 * 200 ms or more at p99, or any input got a 5xx. Database: a fresh one on TEST_DATABASE_URL's server, else the
 * embedded PGlite (which runs in the service's own thread, so its large INSERTs hold the event loop too).
 * SOAK_ONLY=<part of an input's name> sends only the inputs it names; SOAK_CPU_PROF=<dir> profiles the service.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { createScratchDatabase, dropScratchDatabase, freePort } from '../test/support/scratch';
import { readZip, worksheetsLast, writeZip } from '../test/support/zip';

const SECONDS = Number(process.env.SOAK_SECONDS ?? 30);
const KEY = 'soak-admin-key-0123456789abcdefgh';
const root = join(__dirname, '..');

/** A real workbook whose sharedStrings.xml is replaced by `count` tiny entries (deflate makes it small). */
async function sharedStringsBomb(count: number): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.addWorksheet('p').addRow(['企业名称', '所在区']);
  const entries = readZip(Buffer.from(await wb.xlsx.writeBuffer()));
  const xml = `<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="${count}" uniqueCount="${count}">${'<si><t>a</t></si>'.repeat(count)}</sst>`;
  entries.set('xl/sharedStrings.xml', Buffer.from(xml));
  return writeZip(worksheetsLast(entries));
}

type Input = { name: string; send: (base: string) => Promise<Response> };

async function inputs(): Promise<Input[]> {
  const json = (path: string, body: string) => (base: string) =>
    fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  const list = (n: number) => JSON.stringify({ profile: { location: { district: 'jingan' }, sectors: Array.from({ length: n }, (_, i) => `a${i}`) } });
  const upload = (name: string, content: Blob) => (base: string) => {
    const form = new FormData();
    form.append('file', content, name);
    return fetch(`${base}/api/v1/screenings`, { method: 'POST', headers: { authorization: `Bearer ${KEY}` }, body: form });
  };
  const bomb = await sharedStringsBomb(2_000_000);
  const bad = Array.from({ length: 2000 }, (_, i) => `bad${i}`).join(',');
  const codes = `企业名称,所在区,行业\n${Array.from({ length: 8 }, (_, i) => `企业${i},静安区,"${bad}"`).join('\n')}\n`;
  return [
    { name: 'sectors 489 KB', send: json('/api/v1/match', list(50_000)) },
    { name: 'sectors 800 KB', send: json('/api/v1/match', list(80_000)) },
    { name: 'NUL in a name', send: json('/api/v1/match', '{"profile":{"name":"poison\\u0000x","location":{"district":"jingan"}}}') },
    { name: '/API/v1/match', send: json('/API/v1/match', JSON.stringify({ profile: { location: { district: 'jingan' } } })) },
    { name: `xlsx bomb ${(bomb.length / 1024).toFixed(0)} KB`, send: upload('bomb.xlsx', new Blob([bomb])) },
    { name: 'csv 400 KB blank lines', send: upload('blank.csv', new Blob([`企业名称,所在区\n${'\n'.repeat(400_000)}甲,静安区\n`])) },
    { name: 'csv 100k short rows', send: upload('short.csv', new Blob([`企业名称,所在区,员工人数\n${'甲,静安区\n'.repeat(100_000)}`])) },
    { name: 'csv 8 rows x 2000 bad codes', send: upload('codes.csv', new Blob([codes])) },
  ];
}

const percentile = (xs: number[], p: number): number => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))] ?? 0;

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'matcher-soak-hostile-'));
  const admin = process.env.TEST_DATABASE_URL;
  const scratch = admin ? await createScratchDatabase(admin, 'matcher_soak_hostile') : undefined;
  const database: Record<string, string> = scratch ? { DATABASE_URL: scratch } : { DATA_DIR: dir };
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  // SOAK_CPU_PROF=<dir> writes the service's CPU profile there at exit (open it in Chrome DevTools): where the time goes.
  const profile = process.env.SOAK_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.SOAK_CPU_PROF}`] : [];
  const child = spawn(process.execPath, [...profile, '-r', '@swc-node/register', join(root, 'apps/api/src/main.ts')], {
    cwd: root,
    env: { ...process.env, ...database, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', ADMIN_API_KEY: KEY, RATE_LIMIT_PER_MINUTE: '0' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  try {
    for (let i = 0; i < 300; i++) {
      if ((await fetch(`${base}/api/v1/health`).catch(() => null))?.ok) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    // SOAK_ONLY=<part of a name> sends just the matching inputs: to find which one holds the event loop.
    const only = process.env.SOAK_ONLY?.toLowerCase();
    const all = (await inputs()).filter((i) => !only || i.name.toLowerCase().includes(only));
    if (!all.length) throw new Error(`SOAK_ONLY=${only} matches no input`);
    const until = Date.now() + SECONDS * 1000;
    const seen = new Map<string, { statuses: Map<number, number>; maxMs: number; maxBytes: number }>();
    const client = async (offset: number): Promise<void> => {
      for (let i = offset; Date.now() < until; i++) {
        const input = all[i % all.length];
        const t0 = performance.now();
        const res = await input.send(base);
        const bytes = (await res.arrayBuffer()).byteLength;
        const s = seen.get(input.name) ?? { statuses: new Map(), maxMs: 0, maxBytes: 0 };
        s.statuses.set(res.status, (s.statuses.get(res.status) ?? 0) + 1);
        s.maxMs = Math.max(s.maxMs, performance.now() - t0);
        s.maxBytes = Math.max(s.maxBytes, bytes);
        seen.set(input.name, s);
      }
    };
    const health: number[] = [];
    const probe = async (): Promise<void> => {
      while (Date.now() < until) {
        const t0 = performance.now();
        await (await fetch(`${base}/api/v1/health`)).arrayBuffer();
        health.push(performance.now() - t0);
        await new Promise((r) => setTimeout(r, 100));
      }
    };
    await Promise.all([client(0), client(4), probe()]);
    let serverErrors = 0;
    for (const [name, s] of seen) {
      const statuses = [...s.statuses].map(([code, n]) => `${n}×${code}`).join(' ');
      serverErrors += [...s.statuses].filter(([code]) => code >= 500).reduce((n, [, c]) => n + c, 0);
      console.log(`  ${name.padEnd(30)} ${statuses.padEnd(14)} slowest ${s.maxMs.toFixed(0)} ms, largest answer ${s.maxBytes} B`);
    }
    const p99 = percentile(health, 99);
    const ok = p99 < 200 && serverErrors === 0;
    console.log(
      `soak:hostile: ${SECONDS} s on ${admin ? 'PostgreSQL' : 'embedded PGlite'}, /health ${health.length} probes: p50 ${percentile(health, 50).toFixed(0)} ms, p99 ${p99.toFixed(0)} ms, max ${Math.max(...health).toFixed(0)} ms; ${serverErrors} 5xx — ${ok ? 'OK' : 'FAILED'}`,
    );
    if (!ok) process.exitCode = 1;
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    rmSync(dir, { recursive: true, force: true });
    if (admin && scratch) await dropScratchDatabase(admin, scratch);
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
