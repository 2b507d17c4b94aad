import { childrenOf, isLeaf, type Condition } from '@matcher/catalog';
import type { CompiledLeaf, CompiledRule } from '../compile';
import { isUnknownValue } from '../operators';
import { block, negate, FALSE, TRUE, UNKNOWN, type Tri } from '../tri';

type Profile = Record<string, unknown>;
type Node = { leaf: CompiledLeaf } | { all: Node[] } | { any: Node[] } | { not: Node };

/**
 * A rule evaluated by plain closures over its compiled leaves: the oracle the differential test and the
 * bench hold the district programs (what the product runs) and json-rules-engine against.
 */
export interface RuleOracle {
  /** Pass/fail, three-valued, short-circuiting. */
  match: (profile: Profile) => Tri;
  /** Writes each leaf's state (FALSE/TRUE/UNKNOWN) and raw result (0/1). */
  evaluateLeaves: (profile: Profile, states: Uint8Array, raw: Uint8Array) => void;
  /** Three-valued verdict from leaf states. */
  combine: (states: ArrayLike<number>) => Tri;
  /** json-rules-engine's two-valued verdict from raw leaf results. */
  combineRaw: (raw: ArrayLike<number>) => boolean;
}

const oracles = new WeakMap<CompiledRule, RuleOracle>();

/** The rule's oracle, built once per compiled rule (its leaves in depth-first order, as compileRule numbers them). */
export function oracleOf(rule: CompiledRule): RuleOracle {
  const cached = oracles.get(rule);
  if (cached) return cached;
  let next = 0;
  const build = (c: Condition): Node => {
    if (isLeaf(c)) return { leaf: rule.leaves[next++] };
    if ('all' in c) return { all: childrenOf(c).map(build) };
    if ('any' in c) return { any: childrenOf(c).map(build) };
    return { not: build(c.not) };
  };
  const tree = build(rule.definition.conditions);

  const fast = (n: Node): ((p: Profile) => Tri) => {
    if ('leaf' in n) {
      const leaf = n.leaf;
      return (p) => {
        const v = leaf.read(p);
        return isUnknownValue(v) ? UNKNOWN : leaf.test(v) ? TRUE : FALSE;
      };
    }
    if ('not' in n) return negate(fast(n.not));
    return 'all' in n ? block(n.all.map(fast), FALSE, TRUE) : block(n.any.map(fast), TRUE, FALSE);
  };
  const fromStates = (n: Node): ((s: ArrayLike<number>) => Tri) => {
    if ('leaf' in n) {
      const i = n.leaf.index;
      return (s) => s[i] as Tri;
    }
    if ('not' in n) return negate(fromStates(n.not));
    return 'all' in n ? block(n.all.map(fromStates), FALSE, TRUE) : block(n.any.map(fromStates), TRUE, FALSE);
  };
  const fromRaw = (n: Node): ((r: ArrayLike<number>) => boolean) => {
    if ('leaf' in n) {
      const i = n.leaf.index;
      return (r) => r[i] === 1;
    }
    if ('not' in n) {
      const inner = fromRaw(n.not);
      return (r) => !inner(r);
    }
    const parts = ('all' in n ? n.all : n.any).map(fromRaw);
    return 'all' in n ? (r) => parts.every((f) => f(r)) : (r) => parts.some((f) => f(r));
  };

  const oracle: RuleOracle = {
    match: fast(tree),
    evaluateLeaves: (profile, states, raw) => {
      for (const leaf of rule.leaves) {
        const v = leaf.read(profile);
        const passed = leaf.test(v);
        raw[leaf.index] = passed ? 1 : 0;
        states[leaf.index] = isUnknownValue(v) ? UNKNOWN : passed ? TRUE : FALSE;
      }
    },
    combine: fromStates(tree),
    combineRaw: fromRaw(tree),
  };
  oracles.set(rule, oracle);
  return oracle;
}
