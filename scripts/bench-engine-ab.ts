/**
 * npm run bench:ab -- <git ref> — the explained answer (matchProfile) of the working tree against the engine at a git
 * ref (default HEAD), both loaded in this one process on the same catalog and profiles: rounds alternate, each timed
 * in CPU seconds, so the ratio holds when other work shares the machine. The ref's libs/engine/src is extracted
 * under scripts/bench/.engine-<sha> (git-ignored). Both engines use the working tree's catalog library, so a ref whose
 * engine imports a catalog function removed since cannot be loaded: 1a6472c's imports `codePointedTo`, removed after the
 * README's comparison with it was run.
 *
 * Last line: bench:ab: <ratio>x the engine at <ref> (median of <n> rounds, range <min>–<max>)
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadCatalog } from '@matcher/catalog';
import * as current from '@matcher/engine';
import { generateProfiles } from './bench/profiles';

const ref = process.argv[2] ?? 'HEAD';
const ROUNDS = 12;
const PER_ROUND = 4000;
const sha = execFileSync('git', ['rev-parse', '--short', ref], { encoding: 'utf8' }).trim();
const dir = join(__dirname, 'bench', `.engine-${sha}`);
if (!existsSync(dir)) {
  mkdirSync(dir, { recursive: true });
  execFileSync('sh', ['-c', `git archive ${sha} libs/engine/src | tar -x -C ${JSON.stringify(dir)}`]);
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const base = require(join(dir, 'libs/engine/src/index.ts')) as typeof current;

const catalog = loadCatalog();
const profiles = generateProfiles(ROUNDS * PER_ROUND, 20250601);
const engines = { current: new current.Ruleset(catalog), base: new base.Ruleset(catalog) };
let sink = 0;
const cpuSeconds = (f: () => void): number => {
  const t = process.cpuUsage();
  f();
  const u = process.cpuUsage(t);
  return (u.user + u.system) / 1e6;
};
const round = (which: 'current' | 'base', from: number) => (): void => {
  const match = which === 'current' ? current.matchProfile : base.matchProfile;
  for (let k = 0; k < PER_ROUND; k++) sink += match(engines[which], profiles[from + k], { asOf: '2025-06-01' }).matches.length;
};
for (let i = 0; i < 3; i++) {
  round('current', i * PER_ROUND)();
  round('base', i * PER_ROUND)();
}
const ratios: number[] = [];
let now = 0;
let then = 0;
for (let i = 0; i < ROUNDS; i++) {
  // The same profiles for both in a round; which goes first alternates.
  const first = i % 2 === 0 ? 'current' : 'base';
  const a = cpuSeconds(round(first, i * PER_ROUND));
  const b = cpuSeconds(round(first === 'current' ? 'base' : 'current', i * PER_ROUND));
  const [c, o] = first === 'current' ? [a, b] : [b, a];
  now += c;
  then += o;
  ratios.push(o / c);
}
ratios.sort((x, y) => x - y);
const median = (ratios[ROUNDS / 2 - 1] + ratios[ROUNDS / 2]) / 2;
process.stdout.write(
  `working tree ${Math.round((ROUNDS * PER_ROUND) / now)} profiles per CPU-second, ${ref} (${sha}) ${Math.round((ROUNDS * PER_ROUND) / then)} (checksum ${sink})\n` +
    `bench:ab: ${median.toFixed(2)}x the engine at ${ref} (median of ${ROUNDS} rounds, range ${ratios[0].toFixed(2)}–${ratios[ROUNDS - 1].toFixed(2)})\n`,
);
