/**
 * npm run bench:screening — a generated CSV of prospects (Chinese headers, labels and codes mixed, ~1% bad
 * rows) screened end to end on PostgreSQL through the HTTP API of an in-process app: upload (multipart,
 * streamed to disk) → parse → match → store → export CSV (streamed). Not a test: it prints the figures.
 *
 * The export is timed as a client that asks for no compression (Accept-Encoding: identity), then once more asking
 * for gzip (printed beside it, not in the total).
 *
 * Env: TEST_DATABASE_URL or DATABASE_URL — a PostgreSQL server; a fresh database is created and dropped.
 *      BENCH_ROWS (default 100000), SCREENING_* settings pass through (e.g. SCREENING_CHUNK_ROWS=2000).
 *      BENCH_GZIP=0: no second export asking for gzip.
 *      BENCH_PROFILE=0: no CPU profiles (by default each phase runs under the sampling profiler, a few per cent
 *      slower, and where its time went is printed beside its figure); BENCH_PROFILE_DIR=<dir> keeps the raw profiles.
 * Last line: bench:screening: <rows> rows in <s> s (<rows/s> rows/s), peak RSS <MB> MB
 */
import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { createWriteStream, openAsBlob, rmSync, statSync } from 'node:fs';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { NestFactory } from '@nestjs/core';
import { createScratchDatabase, dropScratchDatabase } from '../test/support/scratch';
import { prng } from './bench/profiles';
import { formatSummary, profiled, summarise } from './bench/cpu-profile';
import { codeLabel, PROFILE_FIELDS, usccCheckCharacter } from '@matcher/catalog';
import { AppModule } from '../apps/api/src/app.module';
import { configureApp } from '../apps/api/src/app.setup';

const ROWS = Number(process.env.BENCH_ROWS ?? 100_000);
const ADMIN_KEY = `bench-admin-${randomBytes(12).toString('hex')}`;
const log = (s: string): void => void process.stderr.write(`${s}\n`);
const PROFILE = process.env.BENCH_PROFILE !== '0';
/** Runs a phase under the profiler (unless BENCH_PROFILE=0) and keeps its summary for the report. */
const profileLines: string[] = [];
async function phase<T>(name: string, fn: () => Promise<T>): Promise<T> {
  if (!PROFILE) return fn();
  const { value, profile } = await profiled(`screening-${name}`, fn);
  profileLines.push(...formatSummary(name, summarise(profile, 10)));
  return value;
}
const mb = (bytes: number): string => `${Math.round(bytes / 1024 / 1024)} MB`;

const codesOf = (key: string): string[] => (PROFILE_FIELDS.find((f) => f.key === key)?.codes ?? []).map((c) => c.code);

/** Writes the CSV (streamed) and returns its path. */
async function generateCsv(rows: number): Promise<string> {
  const path = join(tmpdir(), `bench-screening-${process.pid}.csv`);
  const out = createWriteStream(path);
  const random = prng(20250601);
  const pick = <T>(xs: T[]): T => xs[Math.floor(random() * xs.length)];
  const some = (xs: string[], max: number): string[] => [...new Set(Array.from({ length: Math.floor(random() * (max + 1)) }, () => pick(xs)))];
  const cell = (key: string, code: string): string => (random() < 0.5 ? code : (codeLabel(key, code)?.zh ?? code));
  const quote = (s: string): string => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  const districts = ['静安区', '徐汇区', '青浦区', 'jingan', 'xuhui', 'qingpu', '浦东新区', '黄浦区', 'outside-shanghai'];
  const sectors = codesOf('sectors');
  const [qualifications, roles, plans, talent, sizes] = ['qualifications', 'roles', 'plans', 'talent', 'size'].map(codesOf);
  out.write('\uFEFF企业名称,统一社会信用代码,所在区,行业,资质,主体类型,发展计划,人才,企业规模,员工人数,年营业收入（万元）,研发费用占比,成立年份\r\n');
  for (let i = 0; i < rows; i++) {
    const body = `91310${String(100000000 + i).slice(1)}MA${String(i % 100000).padStart(5, '0')}`.slice(0, 17);
    const uscc = random() < 0.6 ? `${body}${usccCheckCharacter(body)}` : '';
    const district = random() < 0.01 ? '火星区' : pick(districts); // ~1% rows fail
    const line = [
      `测试企业${i}有限公司`,
      uscc,
      district,
      some(sectors, 3)
        .map((c) => cell('sectors', c))
        .join('、'),
      some(qualifications, 2)
        .map((c) => cell('qualifications', c))
        .join('、'),
      some(roles, 1)
        .map((c) => cell('roles', c))
        .join('、'),
      some(plans, 3)
        .map((c) => cell('plans', c))
        .join('；'),
      some(talent, 1)
        .map((c) => cell('talent', c))
        .join('、'),
      random() < 0.7 ? cell('size', pick(sizes)) : '',
      String(Math.floor(random() * 2000)),
      String(Math.floor(random() * 100000)),
      random() < 0.5 ? `${Math.floor(random() * 30)}%` : '',
      String(1990 + Math.floor(random() * 35)),
    ];
    if (!out.write(`${line.map(quote).join(',')}\r\n`)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  return path;
}

async function main(): Promise<void> {
  const adminUrl = process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL;
  if (!adminUrl) {
    log('bench:screening needs PostgreSQL: set TEST_DATABASE_URL (or DATABASE_URL), e.g. postgres://postgres@127.0.0.1:5432/postgres');
    process.exit(2);
  }
  const url = await createScratchDatabase(adminUrl, 'matcher_bench');
  const dbName = new URL(url).pathname.slice(1);

  let peak = process.memoryUsage().rss;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  const phases: [string, number, number][] = [];
  let phasePeak = 0;
  const sampleAlso = setInterval(() => (phasePeak = Math.max(phasePeak, process.memoryUsage().rss)), 20);
  const endPhase = (name: string, ms: number): void => {
    if (process.env.BENCH_DEBUG_MEMORY)
      log(
        `  ${name}: heap used ${mb(process.memoryUsage().heapUsed)}, rss ${mb(process.memoryUsage().rss)}, external ${mb(process.memoryUsage().external)}, arrayBuffers ${mb(process.memoryUsage().arrayBuffers)}`,
      );
    phases.push([name, ms, phasePeak]);
    phasePeak = 0;
  };
  const now = (): number => performance.now();
  let csvPath: string | undefined;
  let app: Awaited<ReturnType<typeof NestFactory.create>> | undefined;
  try {
    log(
      `machine: ${cpus().length} × ${cpus()[0]?.model ?? '?'}, ${mb(totalmem())}, Node ${process.version}; database ${dbName}; load average ${loadavg()
        .map((x) => x.toFixed(2))
        .join(' ')}`,
    );
    let t = now();
    csvPath = await generateCsv(ROWS);
    log(`generated ${ROWS} rows (${mb(statSync(csvPath).size)}) in ${((now() - t) / 1000).toFixed(1)} s — not counted`);

    app = await NestFactory.create(AppModule.forRoot({ DATABASE_URL: url, ADMIN_API_KEY: ADMIN_KEY, LOG_LEVEL: 'warn', AUDIT_FLUSH_MS: 500 }), {
      bodyParser: false,
      logger: ['error', 'warn'],
    });
    configureApp(app);
    await app.listen(0, '127.0.0.1');
    const base = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}/api/v1`;
    const auth = { Authorization: `Bearer ${ADMIN_KEY}` };
    peak = process.memoryUsage().rss;
    const baseline = peak;

    phasePeak = 0;
    const started = now();
    t = now();
    const form = new FormData();
    form.append('file', await openAsBlob(csvPath, { type: 'text/csv' }), 'bench.csv');
    form.append('asOf', '2025-06-01');
    const screening = await phase('upload', async () => {
      const uploaded = await fetch(`${base}/screenings`, { method: 'POST', headers: auth, body: form });
      if (uploaded.status !== 202) throw new Error(`upload: ${uploaded.status} ${(await uploaded.text()).slice(0, 500)}`);
      return (await uploaded.json()) as { id: string; rowsTotal: number; rowsFailed: number };
    });
    endPhase('upload + parse + store prospects (202)', now() - t);

    t = now();
    let state = '';
    let detail: { state: string; rowsScreened: number; runs: { resultsStored: number; chunksTotal: number }[] } | undefined;
    await phase('match and store', async () => {
      while (state !== 'completed') {
        await new Promise((r) => setTimeout(r, 100));
        detail = (await (await fetch(`${base}/screenings/${screening.id}`, { headers: auth })).json()) as typeof detail;
        state = detail!.state;
        if (['failed', 'cancelled'].includes(state)) throw new Error(`screening ${state}`);
      }
    });
    endPhase(`match + store results (${detail!.runs[0].chunksTotal} chunks)`, now() - t);

    /**
     * Downloads the CSV export, counting its bytes and lines. fetch asks for gzip unless told otherwise, and the
     * server compresses only when asked: the main figure asks for none (a client that wants the file as is),
     * the second asks for gzip (what a browser gets) and is printed beside it, not counted in the total.
     */
    const download = async (encoding: 'identity' | 'gzip'): Promise<{ bytes: number; lines: number; sent: string }> => {
      let bytes = 0;
      let lines = 0;
      const exported = await fetch(`${base}/screenings/${screening.id}/results.csv`, { headers: { ...auth, 'Accept-Encoding': encoding } });
      if (exported.status !== 200) throw new Error(`export: ${exported.status} ${(await exported.text()).slice(0, 500)}`);
      for await (const chunk of exported.body as unknown as AsyncIterable<Uint8Array>) {
        bytes += chunk.length;
        const buffer = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length);
        for (let i = buffer.indexOf(10); i !== -1; i = buffer.indexOf(10, i + 1)) lines += 1;
      }
      return { bytes, lines, sent: exported.headers.get('content-encoding') ?? 'identity' };
    };
    t = now();
    const plain = await phase('export', () => download('identity'));
    endPhase(`export results.csv (${plain.lines - 1} rows, ${mb(plain.bytes)}, sent ${plain.sent})`, now() - t);
    const total = (now() - started) / 1000;

    if (process.env.BENCH_GZIP !== '0') {
      t = now();
      const zipped = await phase('export gzip', () => download('gzip'));
      endPhase(`  the same asking for gzip (sent ${zipped.sent}; not in the total)`, now() - t);
    }

    const width = Math.max(...phases.map(([p]) => p.length));
    log('');
    log(
      `rows: ${screening.rowsTotal} (${screening.rowsFailed} failed validation, ${detail!.rowsScreened} screened), result rows (prospect × district): ${detail!.runs[0].resultsStored}`,
    );
    for (const [phase, ms, rss] of phases.slice(0, 3)) log(`  ${phase.padEnd(width)}  ${(ms / 1000).toFixed(2).padStart(7)} s   peak RSS ${mb(rss)}`);
    log(`  ${'total'.padEnd(width)}  ${total.toFixed(2).padStart(7)} s`);
    for (const [phase, ms, rss] of phases.slice(3)) log(`  ${phase.padEnd(width)}  ${(ms / 1000).toFixed(2).padStart(7)} s   peak RSS ${mb(rss)}`);
    log(
      `peak RSS ${mb(peak)} (after start-up ${mb(baseline)}); targets: 100,000 rows ≤ 10 s, 1,000,000 rows ≤ 90 s and ≤ 1 GB; load average at end ${loadavg()
        .map((x) => x.toFixed(2))
        .join(' ')}`,
    );
    if (profileLines.length) log(['', ...profileLines].join('\n'));
    process.stdout.write(
      `bench:screening: ${ROWS} rows in ${total.toFixed(1)} s (${Math.round(ROWS / total)} rows/s), peak RSS ${Math.round(peak / 1024 / 1024)} MB\n`,
    );
  } finally {
    clearInterval(sampler);
    clearInterval(sampleAlso);
    await app?.close();
    if (csvPath) rmSync(csvPath, { force: true });
    await dropScratchDatabase(adminUrl, url);
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
