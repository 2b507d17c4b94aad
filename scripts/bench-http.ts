/**
 * npm run bench:http — set-ups of the HTTP layer measured side by side in one process, so their ratios hold on a
 * shared, noisy machine where absolute figures do not. Each candidate is the real app (in-process, PGlite
 * memory://, audit on) on its own port; rounds alternate between them (order rotated), and each round's figure is
 * divided by the baseline's in the same round. Also: the compression candidates on the real answers (CPU per
 * answer and bytes, in-process), and a CPU profile of each set-up under load (layer shares, top functions).
 *
 * Env: BENCH_HTTP_SECONDS (per candidate per round, default 5), BENCH_HTTP_ROUNDS (default 3),
 *      BENCH_HTTP_CLIENTS (identity,br — what the client accepts), BENCH_HTTP_CANDIDATES (indexes, e.g. 0,3; the first
 *      given is the baseline), BENCH_PROFILE=0, BENCH_LOG_LEVEL (default silent).
 */
import 'reflect-metadata';
import { fork } from 'node:child_process';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import zlib from 'node:zlib';
import { NestFactory } from '@nestjs/core';
import type { INestApplication } from '@nestjs/common';
import { AppModule } from '../apps/api/src/app.module';
import { configureApp, COMPRESSION, type HttpSetup } from '../apps/api/src/app.setup';
import { AuditService } from '../apps/api/src/audit/audit.service';
import { formatSummary, profiled, summarise } from './bench/cpu-profile';
import { generateRequestBodies } from './bench/profiles';

const SECONDS = Number(process.env.BENCH_HTTP_SECONDS ?? 5);
const ROUNDS = Number(process.env.BENCH_HTTP_ROUNDS ?? 3);
const CLIENTS = (process.env.BENCH_HTTP_CLIENTS ?? 'identity,br').split(',').map((c) => c.trim()) as ClientKind[];
const PROFILE = process.env.BENCH_PROFILE !== '0';
const CONNECTIONS = 32;
const SEED = 20250601;

type ClientKind = 'identity' | 'br' | 'gzip';
/** What each kind of client sends: a browser accepts br; integrations often accept nothing. */
const ACCEPT: Record<ClientKind, Record<string, string>> = {
  identity: {},
  br: { 'accept-encoding': 'gzip, deflate, br, zstd', cookie: '_ga=GA1.1.1234567890.1733300000; theme=light; lang=zh' },
  gzip: { 'accept-encoding': 'gzip', cookie: '_ga=GA1.1.1234567890.1733300000; theme=light; lang=zh' },
};

function describe(c: { brotliQuality: number; gzipLevel: number; threshold: number }): string {
  return `cookies where read, br q${c.brotliQuality}, gzip ${c.gzipLevel}, ≥${c.threshold} B`;
}

interface Candidate {
  name: string;
  setup: HttpSetup;
}

/** The set-up before this bench chose (cookies parsed on every request, br quality 4, gzip 6, 1 KiB threshold) first: the baseline. */
const CANDIDATES: Candidate[] = [
  {
    name: 'before: cookies everywhere, br q4, gzip 6, ≥1 KiB',
    setup: { cookiesOnEveryRequest: true, compression: { brotliQuality: 4, gzipLevel: 6, threshold: 1024 } },
  },
  { name: 'cookies where read, br q4, gzip 6, ≥1 KiB', setup: { compression: { brotliQuality: 4, gzipLevel: 6, threshold: 1024 } } },
  { name: 'cookies where read, br q3, gzip 3, ≥1400 B', setup: { compression: { brotliQuality: 3, gzipLevel: 3, threshold: 1400 } } },
  { name: `now: ${describe(COMPRESSION)}`, setup: {} },
].filter((_, i) => !process.env.BENCH_HTTP_CANDIDATES || process.env.BENCH_HTTP_CANDIDATES.split(',').map(Number).includes(i));

const log = (s: string): void => void process.stderr.write(`${s}\n`);
const load1 = (): string =>
  loadavg()
    .map((x) => x.toFixed(2))
    .join(' ');
const fmt = (n: number, d = 0): string => n.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d });
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

interface LoadResult {
  duration: number;
  requests: { total: number };
  latency: { p50: number; p99: number };
  non2xx: number;
  errors: number;
  throughput: { total: number };
}

function load(url: string, duration: number, bodies: string[] | undefined, headers: Record<string, string>, method = 'POST'): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const child = fork(join(__dirname, 'bench', 'load-worker.cjs'), [], { execArgv: [], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    child.once('error', reject);
    child.once('exit', (code) => code !== 0 && reject(new Error(`load generator exited with ${code}`)));
    child.once('message', (m: { error?: string; result?: LoadResult }) => (m.error || !m.result ? reject(new Error(m.error)) : resolve(m.result)));
    child.send({ url, connections: CONNECTIONS, duration, bodies, headers, method });
  });
}

async function start(setup: HttpSetup): Promise<{ app: INestApplication; base: string }> {
  const app = await NestFactory.create(
    AppModule.forRoot({
      DATABASE_URL: undefined,
      DATA_DIR: 'memory://',
      LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'silent',
      HOST: '127.0.0.1',
      PORT: 0,
      RATE_LIMIT_PER_MINUTE: 0,
    }),
    { bodyParser: false, logger: ['error'] },
  );
  configureApp(app, setup);
  await app.listen(0, '127.0.0.1');
  const { port } = (app.getHttpServer() as Server).address() as AddressInfo;
  return { app, base: `http://127.0.0.1:${port}/api/v1` };
}

/** CPU per answer and bytes for each compression candidate, on the real answers (one process, same inputs). */
function compressionCandidates(answers: Buffer[]): string[] {
  const candidates: [string, (b: Buffer) => Buffer][] = [
    ...[1, 2, 3, 4, 5].map((q): [string, (b: Buffer) => Buffer] => [
      `br q${q}`,
      (b) => zlib.brotliCompressSync(b, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: q, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: b.length } }),
    ]),
    ...[1, 3, 6].map((l): [string, (b: Buffer) => Buffer] => [`gzip ${l}`, (b) => zlib.gzipSync(b, { level: l })]),
  ];
  const passes = 5;
  const out = [
    `compression of the ${answers.length} answers (median ${fmt(median(answers.map((a) => a.length)) / 1024, 1)} KiB), in-process, ${passes} passes, candidates rotated each pass (median µs; ratio to br q4 within each pass), load ${load1()}:`,
  ];
  const us = new Map<string, number[]>();
  const ratio = new Map<string, number[]>();
  const bytes = new Map<string, number>();
  const json = answers.reduce((n, a) => n + a.length, 0);
  for (let pass = 0; pass < passes; pass++) {
    const times = new Map<string, number>();
    for (let k = 0; k < candidates.length; k++) {
      const [name, f] = candidates[(k + pass) % candidates.length];
      const t = process.hrtime.bigint();
      let n = 0;
      for (const a of answers) n += f(a).length;
      times.set(name, Number(process.hrtime.bigint() - t) / 1000 / answers.length);
      bytes.set(name, n);
    }
    for (const [name, v] of times) {
      us.set(name, [...(us.get(name) ?? []), v]);
      ratio.set(name, [...(ratio.get(name) ?? []), v / times.get('br q4')!]);
    }
  }
  for (const [name] of candidates)
    out.push(
      `  ${name.padEnd(8)} ${fmt(median(us.get(name)!)).padStart(6)} µs per answer (×${median(ratio.get(name)!).toFixed(2)} of br q4), ${fmt(bytes.get(name)! / answers.length / 1024, 2)} KiB mean (${fmt((100 * bytes.get(name)!) / json, 1)}% of the JSON)`,
    );
  // Small bodies: each sync call builds its own encoder, as the middleware's stream per response does, so the fixed cost shows.
  out.push('  small bodies (µs per response, bytes out):');
  const problem = JSON.stringify({
    type: 'about:blank#invalid-request',
    title: '请求无效',
    status: 400,
    detail: '企业信息无效，请查看各字段的错误。',
    errors: [{ path: 'profile.location.district', message: '必填' }],
  });
  for (const size of [256, 512, 1024, 1400, 2048, 4096]) {
    const body = Buffer.from(problem.repeat(Math.ceil(size / problem.length))).subarray(0, size);
    const row: string[] = [];
    for (const [name, f] of candidates) {
      if (!['br q1', 'br q4', 'gzip 1', 'gzip 6'].includes(name)) continue;
      const n = 2000;
      let bytes = 0;
      const t = process.hrtime.bigint();
      for (let i = 0; i < n; i++) bytes += f(body).length;
      row.push(`${name} ${fmt(Number(process.hrtime.bigint() - t) / 1000 / n)} µs → ${fmt(bytes / n)} B`);
    }
    out.push(`    ${String(size).padStart(5)} B: ${row.join('; ')}`);
  }
  return out;
}

async function main(): Promise<void> {
  log(`date ${new Date().toISOString()}, node ${process.version}, load average at start ${load1()}`);
  const bodies = generateRequestBodies(256, SEED + 1).map((b) => JSON.stringify(b));
  const apps: { candidate: Candidate; app: INestApplication; base: string }[] = [];
  const lines: string[] = [];
  try {
    for (const candidate of CANDIDATES) apps.push({ candidate, ...(await start(candidate.setup)) });
    // Every body once per candidate: 200, and byte-identical answers across set-ups (evaluationId aside).
    const answers: Buffer[] = [];
    for (const [k, { base, candidate }] of apps.entries()) {
      for (const [i, body] of bodies.entries()) {
        const res = await fetch(`${base}/match`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
        const text = await res.text();
        if (res.status !== 200) throw new Error(`${candidate.name}: POST /match answered ${res.status}: ${text.slice(0, 300)}`);
        const same = Buffer.from(text.replace(/"evaluationId":"[^"]+"/, '"evaluationId":""'));
        if (k === 0) answers.push(same);
        else if (!same.equals(answers[i])) throw new Error(`${candidate.name}: the answer to body ${i} differs from the baseline's`);
      }
    }
    lines.push(...compressionCandidates(answers), '');

    const warm = Math.min(3, SECONDS);
    for (const { base } of apps) for (const client of CLIENTS) await load(`${base}/match`, warm, bodies, ACCEPT[client]);

    const results = new Map<string, { rps: number[]; ratio: number[]; p50: number[]; p99: number[]; bytes: number[]; health?: number[] }>();
    const key = (c: number, client: string): string => `${client}|${c}`;
    for (let round = 0; round < ROUNDS; round++) {
      for (const client of CLIENTS) {
        const order = apps.map((_, i) => (i + round) % apps.length);
        const rps = new Map<number, number>();
        for (const c of order) {
          const { base, candidate, app } = apps[c];
          log(`round ${round + 1}/${ROUNDS}, client ${client}: ${candidate.name}… (load ${load1()})`);
          const r = await load(`${base}/match`, SECONDS, bodies, ACCEPT[client]);
          await app.get(AuditService).flush();
          if (r.non2xx || r.errors) throw new Error(`${candidate.name}: ${r.non2xx} non-2xx, ${r.errors} errors`);
          const e = results.get(key(c, client)) ?? { rps: [], ratio: [], p50: [], p99: [], bytes: [] };
          e.rps.push(r.requests.total / r.duration);
          e.p50.push(r.latency.p50);
          e.p99.push(r.latency.p99);
          e.bytes.push(r.throughput.total / Math.max(1, r.requests.total));
          results.set(key(c, client), e);
          rps.set(c, r.requests.total / r.duration);
        }
        for (const c of order) results.get(key(c, client))!.ratio.push(rps.get(c)! / rps.get(0)!);
      }
    }
    // GET /health on the last set-up: the ceiling of the HTTP layer, for the /match ÷ /health ratio.
    const last = apps[apps.length - 1];
    const health: number[] = [];
    const matchRps: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const h = await load(`${last.base}/health`, SECONDS, undefined, ACCEPT.br, 'GET');
      health.push(h.requests.total / h.duration);
      const m = await load(`${last.base}/match`, SECONDS, bodies, ACCEPT.br);
      await last.app.get(AuditService).flush();
      matchRps.push(m.requests.total / m.duration);
    }

    lines.push(
      `POST /api/v1/match, ${CONNECTIONS} connections, ${SECONDS} s per candidate per round, ${ROUNDS} rounds (medians; ratio = candidate ÷ baseline in the same round):`,
    );
    for (const client of CLIENTS) {
      lines.push(
        `  client accepts ${client === 'identity' ? 'no encoding' : ACCEPT[client]['accept-encoding']}${ACCEPT[client].cookie ? ' and sends cookies' : ''}:`,
      );
      for (const [c, { candidate }] of apps.entries()) {
        const e = results.get(key(c, client))!;
        lines.push(
          `    ${candidate.name.padEnd(48)} ${fmt(median(e.rps)).padStart(6)} req/s  ×${median(e.ratio).toFixed(3)} (rounds ${e.ratio.map((x) => x.toFixed(2)).join(' ')})  p50 ${median(e.p50)} ms  p99 ${median(e.p99)} ms  ${fmt(median(e.bytes) / 1024, 1)} KiB/response`,
        );
      }
    }
    lines.push(
      `  GET /health vs POST /match on "${last.candidate.name}", br client, alternating: /health ${fmt(median(health))} req/s, /match ${fmt(median(matchRps))} req/s, ratio ${(median(matchRps) / median(health)).toFixed(2)}`,
    );

    if (PROFILE) {
      for (const { candidate, base, app } of [apps[0], apps[apps.length - 1]]) {
        const client: ClientKind = CLIENTS.includes('br') ? 'br' : CLIENTS[0];
        const { value, profile } = await profiled(`http-${candidate.name}`, () => load(`${base}/match`, SECONDS, bodies, ACCEPT[client]));
        await app.get(AuditService).flush();
        lines.push(
          '',
          ...formatSummary(
            `${candidate.name}, client ${client}, ${fmt(value.requests.total / value.duration)} req/s while profiled`,
            summarise(profile, 20),
            16,
          ),
        );
      }
    }
  } finally {
    for (const { app } of apps) await app.close();
  }
  lines.push('', `load average at end ${load1()}; compression in use: ${JSON.stringify(COMPRESSION)}`);
  process.stdout.write(`${lines.join('\n')}\n`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
