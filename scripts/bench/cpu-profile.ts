/**
 * CPU profiles taken in-process with node:inspector's Profiler, summarised as the functions with the most self time
 * and the share of samples per layer (Express, Nest, zlib, the engine…), so every bench figure can be printed beside
 * where its time went. Sampling every 500 µs costs a few per cent; figures are measured with the profiler off and
 * profiled in a separate pass.
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import type { Profiler } from 'node:inspector';

export type CpuProfile = Profiler.Profile;

const session = new Session();
let connected = false;

/** Runs `fn` under the sampling profiler; BENCH_PROFILE_DIR=<dir> also writes the raw .cpuprofile (DevTools, speedscope). */
export async function profiled<T>(name: string, fn: () => Promise<T> | T, intervalUs = 500): Promise<{ value: T; profile: CpuProfile }> {
  if (!connected) {
    session.connect();
    connected = true;
    await session.post('Profiler.enable');
  }
  await session.post('Profiler.setSamplingInterval', { interval: intervalUs });
  await session.post('Profiler.start');
  let value: T;
  try {
    value = await fn();
  } catch (err) {
    await session.post('Profiler.stop');
    throw err;
  }
  const { profile } = await session.post('Profiler.stop');
  const dir = process.env.BENCH_PROFILE_DIR;
  if (dir) writeFileSync(`${dir}/${name.replace(/[^A-Za-z0-9._-]+/g, '-')}.cpuprofile`, JSON.stringify(profile));
  return { value, profile };
}

/** The layer a frame belongs to, by its script (the leaf frame of a sample: self time). */
export function layerOf(url: string, functionName: string): string {
  if (!url) {
    if (functionName === '(garbage collector)') return 'GC';
    if (functionName === '(idle)') return 'idle';
    if (functionName === '(program)') return 'V8/native (program)';
    return 'native';
  }
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (m) {
    const pkg = m[1];
    if (
      /^(express|router|body-parser|raw-body|finalhandler|send|serve-static|path-to-regexp|parseurl|type-is|content-type|accepts|negotiator|mime-types|on-finished|qs|encodeurl|escape-html|fresh|vary|statuses|depd|destroy|http-errors|iconv-lite|media-typer|proxy-addr|forwarded|range-parser|etag|merge-descriptors|setprototypeof|debug|ms)$/.test(
        pkg,
      )
    )
      return 'Express and router';
    if (pkg.startsWith('@nestjs/') || pkg === 'reflect-metadata') return 'Nest core';
    if (pkg === 'rxjs' || pkg === 'tslib') return 'rxjs';
    if (/^(compression|compressible|bytes|on-headers)$/.test(pkg)) return 'compression middleware';
    if (
      /^(pino|pino-http|pino-std-serializers|sonic-boom|thread-stream|fast-redact|quick-format-unescaped|atomic-sleep|on-exit-leak-free|real-require|safe-stable-stringify|process-warning|get-caller-file)$/.test(
        pkg,
      )
    )
      return 'pino logging';
    if (/^(helmet|cookie-parser|cookie|cookie-signature|express-rate-limit|cors|object-assign)$/.test(pkg)) return 'helmet, cookies, rate limit';
    if (/^(class-validator|class-transformer|validator|libphonenumber-js|secure-json-parse)$/.test(pkg))
      return 'validation (class-validator/transformer, JSON parse)';
    if (pkg === '@electric-sql/pglite' || pkg === '@electric-sql/pglite-socket') return 'PGlite';
    if (/^(typeorm|pg|pg-protocol|pg-pool|pg-types|postgres-array|pg-boss|pg-cursor|pg-copy-streams)$/.test(pkg)) return 'TypeORM and pg';
    if (/^(csv-stringify|csv-parse|exceljs|multer|busboy|streamsearch|unzipper)$/.test(pkg)) return 'CSV/XLSX/multipart';
    if (pkg === '@swc-node/register' || pkg === 'source-map-support' || pkg === '@swc/core') return 'TypeScript loader';
    return `other packages (${pkg})`;
  }
  if (url.startsWith('wasm://')) return 'PGlite';
  if (url.includes('/libs/engine/')) return 'engine (@matcher/engine)';
  if (url.includes('/libs/catalog/')) return 'catalog (@matcher/catalog)';
  if (url.includes('/libs/persistence/')) return 'persistence';
  if (url.includes('/apps/api/')) return 'app code (apps/api)';
  if (url.includes('/scripts/')) return 'bench script';
  if (/^node:(internal\/)?(zlib)/.test(url)) return 'zlib';
  if (/^node:(internal\/)?(http|_http|net|stream|streams|tls|dns|async_hooks|timers|process\/task_queues|events|buffer|url|querystring)/.test(url))
    return 'node http/net/streams';
  if (url.startsWith('node:')) return 'node internals (other)';
  return 'other';
}

export interface ProfileSummary {
  samples: number;
  /** Share of the non-idle samples per layer, largest first. */
  layers: [string, number][];
  /** Functions by self time: [name, share of non-idle samples]. */
  top: [string, number][];
  idleShare: number;
}

const shortUrl = (url: string): string =>
  url
    .replace(/^file:\/\//, '')
    .replace(/^.*\/node_modules\//, '')
    .replace(/^.*?\/(apps|libs|scripts)\//, '$1/');

export function summarise(profile: CpuProfile, topN = 12): ProfileSummary {
  const byFunction = new Map<string, number>();
  const byLayer = new Map<string, number>();
  const parent = new Map<number, Profiler.ProfileNode>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node);
  let busy = 0;
  let idle = 0;
  for (const node of profile.nodes) {
    const hits = node.hitCount ?? 0;
    if (!hits) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    let layer = layerOf(url, functionName);
    if (layer === 'idle') {
      idle += hits;
      continue;
    }
    busy += hits;
    let key = url ? `${functionName || '(anonymous)'} ${shortUrl(url)}:${lineNumber + 1}` : functionName;
    if (layer === 'native') {
      // A native function (a socket or zlib write, JSON.stringify…) belongs to the script that called it.
      let up = parent.get(node.id);
      while (up && !up.callFrame.url && up.callFrame.functionName !== '(root)') up = parent.get(up.id);
      if (up?.callFrame.url) {
        layer = layerOf(up.callFrame.url, up.callFrame.functionName);
        key = `${functionName || '(native)'} (native) ← ${up.callFrame.functionName || '(anonymous)'} ${shortUrl(up.callFrame.url)}:${up.callFrame.lineNumber + 1}`;
      }
    }
    byLayer.set(layer, (byLayer.get(layer) ?? 0) + hits);
    byFunction.set(key, (byFunction.get(key) ?? 0) + hits);
  }
  const share = (m: Map<string, number>, n: number): [string, number][] =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([k, v]) => [k, v / Math.max(1, busy)]);
  return { samples: busy + idle, layers: share(byLayer, 30), top: share(byFunction, topN), idleShare: idle / Math.max(1, busy + idle) };
}

const pct = (x: number): string => `${(100 * x).toFixed(1)}%`;

/** Lines to print under a figure: the layers, then the top functions by self time. */
export function formatSummary(title: string, s: ProfileSummary, layers = 10): string[] {
  return [
    `where the time goes — ${title} (${s.samples} samples, idle ${pct(s.idleShare)}; shares of the busy samples, self time):`,
    `  layers: ${s.layers
      .slice(0, layers)
      .map(([k, v]) => `${k} ${pct(v)}`)
      .join(', ')}`,
    ...s.top.map(([k, v], i) => `  ${String(i + 1).padStart(2)}. ${pct(v).padStart(6)}  ${k}`),
  ];
}
