import { Engine, type RuleResult } from 'json-rules-engine';
import type { RuleDefinition } from '@matcher/catalog';
import { isUnknownValue, registerCustomOperators } from './operators';
import { FALSE, TRUE, UNKNOWN } from './tri';

export interface ReferenceRuleResult {
  passed: boolean;
  /** Per leaf, depth-first: json-rules-engine's result (0/1). */
  raw: Uint8Array;
  /** Per leaf: FALSE/TRUE/UNKNOWN, unknown when the fact value json-rules-engine read is missing or empty. */
  states: Uint8Array;
}

interface ResultNode {
  all?: ResultNode[];
  any?: ResultNode[];
  not?: ResultNode;
  result?: boolean;
  factResult?: unknown;
}

function collectLeaves(node: ResultNode, out: ResultNode[]): ResultNode[] {
  if (node.all) node.all.forEach((c) => collectLeaves(c, out));
  else if (node.any) node.any.forEach((c) => collectLeaves(c, out));
  else if (node.not) collectLeaves(node.not, out);
  else out.push(node);
  return out;
}

/** The rules evaluated by json-rules-engine itself: the reference semantics the compiled evaluator must equal. */
export function createReferenceEngine(rules: RuleDefinition[]): Engine {
  return registerCustomOperators(new Engine(rules, { allowUndefinedFacts: true }));
}

export async function runReference(engine: Engine, profile: Record<string, unknown>): Promise<Map<string, ReferenceRuleResult>> {
  const { results, failureResults } = await engine.run(profile);
  const out = new Map<string, ReferenceRuleResult>();
  const record = (r: RuleResult, passed: boolean): void => {
    const leaves = collectLeaves(r.conditions as unknown as ResultNode, []);
    const raw = new Uint8Array(leaves.length);
    const states = new Uint8Array(leaves.length);
    leaves.forEach((leaf, i) => {
      if (leaf.result === undefined) throw new Error(`${r.name}: leaf ${i} was not evaluated`);
      raw[i] = leaf.result ? 1 : 0;
      states[i] = isUnknownValue(leaf.factResult) ? UNKNOWN : leaf.result ? TRUE : FALSE;
    });
    out.set(String(r.name), { passed, raw, states });
  };
  results.forEach((r) => record(r, true));
  failureResults.forEach((r) => record(r, false));
  return out;
}
