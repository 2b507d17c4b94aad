/**
 * npm run bench — the engine and the API measured in one run on the real catalog (issue 5).
 *
 * Env: BENCH_HTTP_SECONDS (default 20), BENCH_DIFF_PROFILES (default 20000), BENCH_SKIP_HTTP=1,
 *      BENCH_PROFILE=0 (no CPU profiles), BENCH_PROFILE_DIR=<dir> (also write the raw .cpuprofile files).
 * Prints machine info, a table, where the time goes in each measured path (a CPU profile taken in a separate pass
 * after the figure, so the profiler does not slow the figure), and as its last line:
 *   bench: compiled is <ratio>x json-rules-engine; match-only <n> profiles/s; explained <n> profiles/s; http <n> req/s p99 <n> ms; response median <n> KiB p90 <n> KiB
 */
import 'reflect-metadata';
import { availableParallelism, cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { fork } from 'node:child_process';
import { brotliCompressSync, constants as zlibConstants } from 'node:zlib';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { NestFactory } from '@nestjs/core';
import { DISTRICTS, leavesOf, loadCatalog, type District } from '@matcher/catalog';
import { createReferenceEngine, matchIds, matchProfile, profileIn, Ruleset, TRUE } from '@matcher/engine';
import { oracleOf } from '@matcher/engine/testing';
import { AppModule } from '../apps/api/src/app.module';
import { COMPRESSION, configureApp } from '../apps/api/src/app.setup';
import { AuditService } from '../apps/api/src/audit/audit.service';
import { BatchService } from '../apps/api/src/batch/batch.service';
import { formatSummary, profiled, summarise } from './bench/cpu-profile';
import { differential } from './bench/differential';
import { answerDigest, recordedDigest } from './bench/answer-digest';
import { coverage, generateProfiles, generateRequestBodies } from './bench/profiles';

const SEED = 20250601;
const AS_OF = '2025-06-01';
const HTTP_SECONDS = Number(process.env.BENCH_HTTP_SECONDS ?? 20);
const DIFF_PROFILES = Number(process.env.BENCH_DIFF_PROFILES ?? 20_000);
const BATCH_PROFILES = 100_000;
const TIMING_SET = 20_000;
const PROFILE = process.env.BENCH_PROFILE !== '0';
/** Where the time goes, per measured path: printed after the table. */
const profileLines: string[] = [];

const now = (): bigint => process.hrtime.bigint();
const seconds = (from: bigint): number => Number(now() - from) / 1e9;
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (n: number, digits = 0): string => n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const log = (s: string): void => void process.stderr.write(`${s}\n`);

let sink = 0; // results feed this so no work is optimised away

/** Warms up for `warmMs`, then times `rounds` rounds of `items` calls; returns the median items/s. */
function rate(items: number, step: (i: number) => number, rounds = 5, warmMs = 1500): number {
  let i = 0;
  const warm = now();
  while (seconds(warm) * 1000 < warmMs) for (let k = 0; k < 1000; k++) sink += step(i++);
  const samples: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const t = now();
    for (let k = 0; k < items; k++) sink += step(i++);
    samples.push(items / seconds(t));
  }
  return median(samples);
}

async function rateAsync(items: number, step: (i: number) => Promise<number>, rounds = 3, warmMs = 2000): Promise<number> {
  let i = 0;
  const warm = now();
  while (seconds(warm) * 1000 < warmMs) sink += await step(i++);
  const samples: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const t = now();
    for (let k = 0; k < items; k++) sink += await step(i++);
    samples.push(items / seconds(t));
  }
  return median(samples);
}

interface HttpResult {
  seconds: number;
  requests: number;
  reqPerSec: number;
  p50: number;
  p99: number;
  max: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  bytesPerResponse: number;
  statusCodes: Record<string, { count: number }>;
}

/** The part of autocannon's result the load worker sends back. */
interface LoadResult {
  duration: number;
  requests: { total: number };
  latency: { p50: number; p99: number; max: number };
  non2xx: number;
  errors: number;
  timeouts: number;
  throughput: { total: number };
  statusCodeStats?: Record<string, { count: number }>;
}

function load(url: string, connections: number, duration: number, bodies: string[]): Promise<HttpResult> {
  return new Promise((resolve, reject) => {
    const child = fork(join(__dirname, 'bench', 'load-worker.cjs'), [], { execArgv: [], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    child.once('error', reject);
    child.once('exit', (code) => code !== 0 && reject(new Error(`load generator exited with ${code}`)));
    child.once('message', (m: { error?: string; result?: LoadResult }) => {
      if (m.error || !m.result) return reject(new Error(m.error));
      const r = m.result;
      resolve({
        seconds: r.duration,
        requests: r.requests.total,
        reqPerSec: r.requests.total / r.duration,
        p50: r.latency.p50,
        p99: r.latency.p99,
        max: r.latency.max,
        non2xx: r.non2xx,
        errors: r.errors,
        timeouts: r.timeouts,
        bytesPerResponse: r.throughput.total / Math.max(1, r.requests.total),
        statusCodes: r.statusCodeStats ?? {},
      });
    });
    child.send({ url, connections, duration, bodies });
  });
}

async function http(
  bodies: Record<string, unknown>[],
): Promise<{ result: HttpResult; sizes: number[]; compressed: number[]; audit: ReturnType<AuditService['stats']> }> {
  const app = await NestFactory.create(
    AppModule.forRoot({ DATABASE_URL: undefined, DATA_DIR: 'memory://', LOG_LEVEL: 'silent', HOST: '127.0.0.1', PORT: 0, RATE_LIMIT_PER_MINUTE: 0 }),
    {
      bodyParser: false,
      logger: ['error'],
    },
  );
  configureApp(app);
  await app.listen(0, '127.0.0.1');
  try {
    const { port } = (app.getHttpServer() as Server).address() as AddressInfo;
    const url = `http://127.0.0.1:${port}/api/v1/match`;
    const payloads = bodies.map((b) => JSON.stringify(b));
    // Every body once: a correctness check (200) and the response sizes.
    const sizes: number[] = [];
    const compressed: number[] = [];
    for (const body of payloads) {
      const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      const text = await res.text();
      if (res.status !== 200) throw new Error(`POST /api/v1/match answered ${res.status}: ${text.slice(0, 500)}`);
      sizes.push(Buffer.byteLength(text));
      compressed.push(brotliCompressSync(text, { params: { [zlibConstants.BROTLI_PARAM_QUALITY]: COMPRESSION.brotliQuality } }).length);
    }
    log(`http: warm-up ${Math.min(5, HTTP_SECONDS)} s…`);
    await load(url, 32, Math.min(5, HTTP_SECONDS), payloads);
    await app.get(AuditService).flush();
    log(`http: ${HTTP_SECONDS} s at concurrency 32…`);
    const audit0 = app.get(AuditService).stats();
    const result = await load(url, 32, HTTP_SECONDS, payloads);
    await app.get(AuditService).flush();
    const audit1 = app.get(AuditService).stats();
    if (PROFILE) {
      const seconds = Math.min(5, HTTP_SECONDS);
      log(`http: profiling ${seconds} s more…`);
      const { value, profile } = await profiled('http-match', () => load(url, 32, seconds, payloads));
      await app.get(AuditService).flush();
      profileLines.push(
        ...formatSummary(`(e) POST /api/v1/match, in-process server, c=32, ${fmt(value.reqPerSec)} req/s while profiled`, summarise(profile, 15), 14),
      );
    }
    return { result, sizes, compressed, audit: { ...audit1, written: audit1.written - audit0.written, dropped: audit1.dropped - audit0.dropped } };
  } finally {
    await app.close();
  }
}

async function main(): Promise<void> {
  const started = new Date();
  const cpu = cpus()[0]?.model ?? 'unknown';
  const header = [
    `date: ${started.toISOString()}`,
    `machine: ${cpu}, ${availableParallelism()} cores, ${fmt(totalmem() / 2 ** 30, 1)} GiB, ${process.platform}/${process.arch}`,
    `node: ${process.version}, V8 ${process.versions.v8}`,
    `load average at start: ${loadavg()
      .map((x) => x.toFixed(2))
      .join(' ')} (1/5/15 min; other processes on the machine skew every figure)`,
  ];

  const catalog = loadCatalog();
  const ruleset = new Ruleset(catalog);
  const engine = createReferenceEngine(catalog.rules);
  const leaves = catalog.rules.reduce((n, r) => n + leavesOf(r.conditions).length, 0);
  header.push(
    `catalog: ${catalog.version}, ${catalog.rules.length} rules, ${leaves} leaf conditions (${DISTRICTS.map((d) => `${d} ${ruleset.byDistrict.get(d)?.length}`).join(', ')})`,
  );
  for (const line of header) log(line);

  const profiles = generateProfiles(Math.max(BATCH_PROFILES, DIFF_PROFILES), SEED);
  const cov = coverage(profiles.slice(0, TIMING_SET));
  if (cov.missingCodes.length) throw new Error(`profile set misses codes: ${cov.missingCodes.join(', ')}`);
  const timing = profiles.slice(0, TIMING_SET);
  const unknownDistrict = timing.filter((p) => !(DISTRICTS as readonly string[]).includes(p.location.district)).length;
  header.push(
    `profiles: ${fmt(profiles.length)} generated (seed ${SEED}); timing set ${fmt(TIMING_SET)} covers ${cov.covered}/${cov.total} codes; ${fmt((100 * unknownDistrict) / TIMING_SET, 1)}% outside the three districts`,
  );

  // The facts both evaluators receive for the like-with-like ratio: the profile in its own district
  // (other-shanghai / outside-shanghai: relocated into xuhui, jingan, qingpu in turn), extensions merged.
  const facts = timing.map((p, i) =>
    profileIn(p, (DISTRICTS as readonly string[]).includes(p.location.district) ? (p.location.district as District) : DISTRICTS[i % 3]),
  );
  const N = timing.length;

  log('(a) json-rules-engine…');
  const jre = await rateAsync(200, async (i) => (await engine.run(facts[i % N])).results.length, 5);

  log('(b) compiled…');
  const rules = ruleset.rules;
  // Pass/fail of all rules for the same facts objects as (a), through the district programs the service uses (no index).
  const passingOut: string[] = [];
  const compiledAll = rate(N, (i) => {
    passingOut.length = 0;
    return ruleset.passingIds(facts[i % N], passingOut).length;
  });
  // The same pass/fail, visiting only the rules the index says can hold (what matchIds does per district).
  const indexedAll = rate(N, (i) => {
    passingOut.length = 0;
    for (const d of DISTRICTS) ruleset.matchingIds(d, facts[i % N], passingOut);
    return passingOut.length;
  });
  // The same through each rule's own compiled function (CompiledRule.match), for comparison.
  const oracles = rules.map(oracleOf);
  const ruleFunctions = rate(N, (i) => {
    const f = facts[i % N];
    let n = 0;
    for (let k = 0; k < rules.length; k++) if (oracles[k].match(f) === TRUE) n++;
    return n;
  });
  const matchOnly = rate(N, (i) => matchIds(ruleset, timing[i % N]).length);

  log('(c) explained…');
  const explained = rate(N / 4, (i) => {
    const o = matchProfile(ruleset, timing[i % N], { asOf: AS_OF });
    return o.matches.length + o.nearMisses.length + o.questions.length;
  });

  if (PROFILE) {
    const matchProfileRun = await profiled('match-only', () => {
      for (let k = 0; k < N * 2; k++) sink += matchIds(ruleset, timing[k % N]).length;
    });
    profileLines.push(...formatSummary(`(b) compiled match-only, ${fmt(N * 2)} profiles`, summarise(matchProfileRun.profile)));
    const explainedRun = await profiled('explained', () => {
      for (let k = 0; k < N / 2; k++) sink += matchProfile(ruleset, timing[k % N], { asOf: AS_OF }).matches.length;
    });
    profileLines.push(...formatSummary(`(c) compiled explained, ${fmt(N / 2)} profiles`, summarise(explainedRun.profile)));
  }

  // The explained answers byte for byte against the recorded digest (npm run bench:digest records a deliberate change).
  const recorded = recordedDigest();
  const digest = answerDigest(ruleset, generateProfiles(recorded.profiles, recorded.seed));
  const sameAnswers = digest === recorded.digest && catalog.version === recorded.catalogVersion;

  log('(d) batch 100,000…');
  const batch = profiles.slice(0, BATCH_PROFILES);
  let t = now();
  let batchMatches = 0;
  for (const p of batch) batchMatches += matchIds(ruleset, p).length;
  const batchIdsSeconds = seconds(t);
  // POST /api/v1/match/batch's per-profile path: validation, matchProfile, compact results.
  const batchService = new BatchService({ ruleset } as never, undefined as never, undefined as never);
  t = now();
  let batchExplained = 0;
  for (let i = 0; i < batch.length; i++) {
    const r = batchService.evaluate(batch[i], i, { asOf: AS_OF });
    if ('matches' in r) batchExplained += r.matches.length + r.nearMisses.length;
  }
  const batchExplainedSeconds = seconds(t);

  const threads = Math.max(1, availableParallelism());
  log(`differential: ${fmt(DIFF_PROFILES)} profiles × ${rules.length} rules on ${threads} worker threads…`);
  t = now();
  const diff = await differential(profiles.slice(0, DIFF_PROFILES), threads);
  const diffSeconds = seconds(t);
  for (const e of diff.examples) log(`DIFFERENCE rule ${e.rule}: ${e.detail}\n  facts ${JSON.stringify(e.profile)}`);
  const differences = diff.ruleDiffs + diff.programDiffs + diff.indexDiffs;

  let httpOut: Awaited<ReturnType<typeof http>> | undefined;
  const bodies = generateRequestBodies(256, SEED + 1);
  if (process.env.BENCH_SKIP_HTTP !== '1') httpOut = await http(bodies);

  const rows: [string, string, string][] = [
    [
      '(a) json-rules-engine',
      `${fmt(jre, 1)} profiles/s`,
      `one Engine (createReferenceEngine) reused; await engine.run(facts) per profile, all ${rules.length} rules`,
    ],
    [
      '(b) compiled, same work as (a)',
      `${fmt(compiledAll)} profiles/s`,
      `Ruleset.passingIds(facts): pass/fail of all ${rules.length} rules (district programs, no index; an all stops at a FALSE direct leaf), same facts objects as (a)`,
    ],
    ['    ratio (b) / (a)', `${fmt(compiledAll / jre)}x`, 'like with like: same rules, same profiles and facts, pass/fail only, one core'],
    [
      '    indexed',
      `${fmt(indexedAll)} profiles/s`,
      `the same pass/fail of all ${rules.length} rules through the fact/code index (Ruleset.matchingIds per district): ${fmt(indexedAll / jre)}x`,
    ],
    [
      '    per-rule functions',
      `${fmt(ruleFunctions)} profiles/s`,
      `oracleOf(rule).match(facts) === TRUE for each of the ${rules.length} rules (the closure oracle of @matcher/engine/testing), same facts: ${fmt(ruleFunctions / jre)}x`,
    ],
    [
      '(b) compiled match-only',
      `${fmt(matchOnly)} profiles/s`,
      "matchIds(ruleset, profile): the profile's default districts (own, else all three), indexed by fact and code",
    ],
    ['(c) compiled explained', `${fmt(explained)} profiles/s`, 'matchProfile: matches with explanations + near misses + questions, default districts'],
    [
      '    answers byte for byte',
      sameAnswers ? 'unchanged' : 'CHANGED',
      `SHA-256 of the JSON of ${fmt(recorded.profiles)} profiles × 3 dates: ${digest.slice(0, 16)}…, recorded ${recorded.digest.slice(0, 16)}… on catalog ${recorded.catalogVersion}`,
    ],
    [
      '(d) batch 100,000 match-only',
      `${fmt(batchIdsSeconds * 1000)} ms`,
      `the matchIds loop (screening path), ${fmt(BATCH_PROFILES)} distinct profiles: ${fmt(BATCH_PROFILES / batchIdsSeconds)}/s, ${fmt(batchMatches)} matches`,
    ],
    [
      '(d) batch 100,000 explained',
      `${fmt(batchExplainedSeconds * 1000)} ms`,
      `BatchService.evaluate (POST /match/batch per profile: validate + matchProfile + compact): ${fmt(BATCH_PROFILES / batchExplainedSeconds)}/s, ${fmt(batchExplained)} matches + near misses`,
    ],
    [
      'differential check',
      `${fmt(diff.pairs)} pairs, ${differences} differences`,
      `${fmt(diff.profiles)} profiles × ${rules.length} rules vs json-rules-engine, as if in xuhui/jingan/qingpu in turn: rule functions ${diff.ruleDiffs}, programs ${diff.programDiffs}, index ${diff.indexDiffs} (pass/fail and every leaf; ${fmt(diffSeconds)} s on ${threads} threads)`,
    ],
  ];
  if (httpOut) {
    const h = httpOut.result;
    const sorted = [...httpOut.sizes].sort((a, b) => a - b);
    rows.push(
      [
        '(e) http POST /api/v1/match',
        `${fmt(h.reqPerSec)} req/s`,
        `autocannon, 32 connections, ${h.seconds} s, ${bodies.length} rotating bodies; ${fmt(h.requests)} requests; audit on (${fmt(httpOut.audit.written)} evaluations written, ${httpOut.audit.dropped} dropped)`,
      ],
      ['    latency', `p50 ${h.p50} ms, p99 ${h.p99} ms`, `max ${h.max} ms`],
      [
        '    non-2xx / errors / timeouts',
        `${h.non2xx} / ${h.errors} / ${h.timeouts}`,
        `must be 0; status codes ${Object.entries(h.statusCodes)
          .map(([c, v]) => `${c}: ${v.count}`)
          .join(', ')}`,
      ],
      [
        '    response size',
        `${fmt(median(httpOut.sizes) / 1024, 1)} KiB median`,
        `p90 ${fmt(sorted[Math.floor(sorted.length * 0.9)] / 1024, 1)} KiB, max ${fmt(sorted[sorted.length - 1] / 1024, 1)} KiB before compression; br (quality ${COMPRESSION.brotliQuality}, as served to a client that accepts it) median ${fmt(median(httpOut.compressed) / 1024, 1)} KiB (the real app in-process on PGlite: DATA_DIR memory://, LOG_LEVEL silent, RATE_LIMIT_PER_MINUTE 0 — one client address would hit the per-client limit)`,
      ],
    );
  }

  const w0 = Math.max(...rows.map((r) => r[0].length));
  const w1 = Math.max(...rows.map((r) => r[1].length));
  const out = [...header, '', `| ${'measurement'.padEnd(w0)} | ${'result'.padEnd(w1)} | detail`, `|${'-'.repeat(w0 + 2)}|${'-'.repeat(w1 + 2)}|--------`];
  for (const [a, b, c] of rows) out.push(`| ${a.padEnd(w0)} | ${b.padEnd(w1)} | ${c}`);
  out.push(
    `(checksum ${sink}; load average at end: ${loadavg()
      .map((x) => x.toFixed(2))
      .join(' ')})`,
    '',
  );
  if (profileLines.length) out.push(...profileLines, '');
  const int = (n: number): string => String(Math.round(n));
  const sizes = httpOut ? [...httpOut.sizes].sort((a, b) => a - b) : [];
  const http1 = httpOut
    ? `http ${int(httpOut.result.reqPerSec)} req/s p99 ${httpOut.result.p99} ms; response median ${fmt(median(sizes) / 1024, 1)} KiB p90 ${fmt(sizes[Math.floor(sizes.length * 0.9)] / 1024, 1)} KiB`
    : 'http skipped req/s p99 skipped ms';
  out.push(
    `bench: compiled is ${int(compiledAll / jre)}x json-rules-engine; match-only ${int(matchOnly)} profiles/s; explained ${int(explained)} profiles/s; ${http1}`,
  );
  process.stdout.write(`${out.join('\n')}\n`);
  if (differences > 0 || (httpOut && httpOut.result.non2xx + httpOut.result.errors > 0)) process.exitCode = 1;
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
