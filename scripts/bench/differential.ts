import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { oracleOf } from '@matcher/engine/testing';
import { DISTRICTS, loadCatalog, type CompanyProfile } from '@matcher/catalog';
import { createReferenceEngine, profileIn, runReference, Ruleset, TRUE } from '@matcher/engine';

export interface DifferentialResult {
  profiles: number;
  /** rule/profile pairs compared */
  pairs: number;
  /** each rule's compiled functions: pass/fail (`match` is TRUE) and per leaf (raw result, three-valued state, raw verdict) */
  ruleDiffs: number;
  /** the district programs matchProfile runs: per leaf, and the verdict */
  programDiffs: number;
  /** the indexed pass/fail path matchIds runs (Ruleset.matchingIds) */
  indexDiffs: number;
  examples: { profile: Record<string, unknown>; rule: string; detail: string }[];
}

const sameLeaves = (a: ArrayLike<number>, b: ArrayLike<number>): boolean => {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
};

/**
 * Profile i is evaluated as if in DISTRICTS[i % 3] (its own district or a relocation): the facts both
 * evaluators receive. Every rule of the catalog is compared with json-rules-engine (one Engine over all
 * rules, as the product would use it), through every compiled path.
 */
async function check(profiles: CompanyProfile[], offset: number): Promise<DifferentialResult> {
  const catalog = loadCatalog();
  const ruleset = new Ruleset(catalog);
  const engine = createReferenceEngine(catalog.rules);
  const states = new Uint8Array(ruleset.maxLeaves);
  const raw = new Uint8Array(ruleset.maxLeaves);
  const out: DifferentialResult = { profiles: profiles.length, pairs: 0, ruleDiffs: 0, programDiffs: 0, indexDiffs: 0, examples: [] };
  const example = (facts: Record<string, unknown>, rule: string, detail: string): void => {
    if (out.examples.length < 5) out.examples.push({ profile: facts, rule, detail });
  };
  for (let i = 0; i < profiles.length; i++) {
    const facts = profileIn(profiles[i], DISTRICTS[(offset + i) % DISTRICTS.length]);
    const reference = await runReference(engine, facts);
    for (const district of DISTRICTS) {
      const program = ruleset.programs.get(district);
      if (!program) continue;
      const indexed = new Set(ruleset.matchingIds(district, facts));
      program.evaluate(facts);
      program.rules.forEach((rule, r) => {
        out.pairs += 1;
        const ref = reference.get(rule.id);
        if (!ref) {
          out.ruleDiffs += 1;
          return example(facts, rule.id, 'json-rules-engine returned no result');
        }
        const n = rule.leaves.length;
        const passed = oracleOf(rule).match(facts) === TRUE;
        oracleOf(rule).evaluateLeaves(facts, states, raw);
        if (
          passed !== ref.passed ||
          oracleOf(rule).combineRaw(raw) !== ref.passed ||
          !sameLeaves(states.subarray(0, n), ref.states) ||
          !sameLeaves(raw.subarray(0, n), ref.raw)
        ) {
          out.ruleDiffs += 1;
          example(
            facts,
            rule.id,
            `rule functions: match ${passed}, leaves raw ${[...raw.subarray(0, n)].join(',')} states ${[...states.subarray(0, n)].join(',')}; json-rules-engine ${ref.passed}, raw ${[...ref.raw].join(',')} states ${[...ref.states].join(',')}`,
          );
        }
        const verdict = program.verdict(r);
        if (
          (verdict === TRUE) !== ref.passed ||
          verdict !== oracleOf(rule).combine(ref.states) ||
          !sameLeaves(program.stateViews[r], ref.states) ||
          !sameLeaves(program.rawViews[r], ref.raw)
        ) {
          out.programDiffs += 1;
          example(
            facts,
            rule.id,
            `program: verdict ${verdict}, raw ${[...program.rawViews[r]].join(',')} states ${[...program.stateViews[r]].join(',')}; json-rules-engine ${ref.passed}, raw ${[...ref.raw].join(',')} states ${[...ref.states].join(',')}`,
          );
        }
        if (indexed.has(rule.id) !== ref.passed) {
          out.indexDiffs += 1;
          example(facts, rule.id, `matchingIds ${indexed.has(rule.id)} vs json-rules-engine ${ref.passed}`);
        }
      });
    }
  }
  return out;
}

/** Splits the profiles over `threads` worker threads (the check is not timed, so it may use every core). */
export async function differential(profiles: CompanyProfile[], threads: number): Promise<DifferentialResult> {
  const size = Math.ceil(profiles.length / threads);
  const parts = await Promise.all(
    Array.from({ length: threads }, (_, t) => {
      const slice = profiles.slice(t * size, (t + 1) * size);
      return new Promise<DifferentialResult>((resolve, reject) => {
        const worker = new Worker(__filename, { workerData: { profiles: slice, offset: t * size } });
        worker.once('message', (m: DifferentialResult) => {
          resolve(m);
          void worker.terminate();
        });
        worker.once('error', reject);
      });
    }),
  );
  return parts.reduce((a, b) => ({
    profiles: a.profiles + b.profiles,
    pairs: a.pairs + b.pairs,
    ruleDiffs: a.ruleDiffs + b.ruleDiffs,
    programDiffs: a.programDiffs + b.programDiffs,
    indexDiffs: a.indexDiffs + b.indexDiffs,
    examples: [...a.examples, ...b.examples].slice(0, 5),
  }));
}

if (!isMainThread && workerData?.profiles) {
  void check(workerData.profiles as CompanyProfile[], workerData.offset as number).then((r) => parentPort?.postMessage(r));
}
