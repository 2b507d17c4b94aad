import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { DISTRICTS, loadCatalog, type CompanyProfile } from '@matcher/catalog';
import { createReferenceEngine, profileIn, runReference, Ruleset, TRUE } from '@matcher/engine';

export interface DifferentialResult {
  profiles: number;
  /** rule/profile pairs compared */
  pairs: number;
  /** pairs where the compiled pass/fail (Kleene TRUE, the `match` fast path) differs from json-rules-engine's */
  passDiffs: number;
  /** pairs where any leaf's raw result or three-valued state, or the raw verdict, differs */
  leafDiffs: number;
  examples: { profile: Record<string, unknown>; rule: string; detail: string }[];
}

/**
 * Profile i is evaluated as if in DISTRICTS[i % 3] (its own district or a relocation), the facts handed to
 * both evaluators; every rule of the catalog is compared, pass/fail and per leaf.
 */
async function check(profiles: CompanyProfile[], offset: number): Promise<DifferentialResult> {
  const catalog = loadCatalog();
  const ruleset = new Ruleset(catalog);
  const engine = createReferenceEngine(catalog.rules);
  const states = new Uint8Array(ruleset.maxLeaves);
  const raw = new Uint8Array(ruleset.maxLeaves);
  const out: DifferentialResult = { profiles: profiles.length, pairs: 0, passDiffs: 0, leafDiffs: 0, examples: [] };
  for (let i = 0; i < profiles.length; i++) {
    const facts = profileIn(profiles[i], DISTRICTS[(offset + i) % DISTRICTS.length]);
    const reference = await runReference(engine, facts);
    for (const rule of ruleset.rules) {
      const ref = reference.get(rule.id);
      out.pairs += 1;
      if (!ref) {
        out.passDiffs += 1;
        if (out.examples.length < 5) out.examples.push({ profile: facts, rule: rule.id, detail: 'json-rules-engine returned no result' });
        continue;
      }
      const passed = rule.match(facts) === TRUE;
      if (passed !== ref.passed) {
        out.passDiffs += 1;
        if (out.examples.length < 5) out.examples.push({ profile: facts, rule: rule.id, detail: `compiled ${passed} vs json-rules-engine ${ref.passed}` });
      }
      rule.evaluateLeaves(facts, states, raw);
      let same = rule.combineRaw(raw) === ref.passed && ref.raw.length === rule.leaves.length;
      for (let k = 0; same && k < rule.leaves.length; k++) same = raw[k] === ref.raw[k] && states[k] === ref.states[k];
      if (!same) {
        out.leafDiffs += 1;
        if (out.examples.length < 5)
          out.examples.push({ profile: facts, rule: rule.id, detail: `leaves raw ${[...raw.slice(0, rule.leaves.length)]} states ${[...states.slice(0, rule.leaves.length)]} vs ${[...ref.raw]} / ${[...ref.states]}` });
      }
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
    passDiffs: a.passDiffs + b.passDiffs,
    leafDiffs: a.leafDiffs + b.leafDiffs,
    examples: [...a.examples, ...b.examples].slice(0, 5),
  }));
}

if (!isMainThread && workerData?.profiles) {
  void check(workerData.profiles as CompanyProfile[], workerData.offset as number).then((r) => parentPort?.postMessage(r));
}
