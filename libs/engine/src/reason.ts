import type { CompiledRule } from './compile';
import { isUnknownValue } from './operators';
import { nodeOf, valueOf, type Node } from './condition-tree';
import { FALSE, TRUE, UNKNOWN, type Tri } from './tri';

/** Why a rule does not hold for a profile: the leaves that decide it, by name (failed) and by fact (missing). */
export interface RuleReason {
  verdict: Tri;
  /** Names of the leaf conditions reached that are false. */
  failed: string[];
  /** Fact keys (`plans`, `location.area`) of the leaves reached that are unknown. */
  missing: string[];
}

/**
 * The exact reason, three-valued (a missing fact or an empty list is unknown). From the root, which is not true:
 * in an `all`, descend into the children that are false or unknown; in an `any`, into every child (none is true);
 * in a `not`, into its child, seeking the opposite value (so under a `not` an `all` is searched as an `any`).
 * A leaf reached that is unknown is missing; one whose value is not the one sought has failed.
 */
export function reasonOf(rule: CompiledRule, facts: Record<string, unknown>): RuleReason {
  const states = rule.leaves.map((leaf): Tri => {
    const value = leaf.read(facts);
    if (isUnknownValue(value)) return UNKNOWN;
    return leaf.test(value) ? TRUE : FALSE;
  });
  const tree = nodeOf(rule.definition.conditions, { i: 0 });
  const verdict = valueOf(tree, states);
  const failed = new Set<string>();
  const missing = new Set<string>();
  const walk = (n: Node, sought: Tri): void => {
    if ('leaf' in n) {
      const leaf = rule.leaves[n.leaf];
      if (states[n.leaf] === UNKNOWN) missing.add(leaf.factKey);
      else if (states[n.leaf] !== sought) failed.add(leaf.condition.name);
      return;
    }
    if ('not' in n) return walk(n.not, sought === TRUE ? FALSE : TRUE);
    // An `all` sought true (or an `any` sought false) is missed by the children that miss; the dual by every child.
    const conjunctive = 'all' in n === (sought === TRUE);
    for (const c of 'all' in n ? n.all : n.any) if (!conjunctive || valueOf(c, states) !== sought) walk(c, sought);
  };
  if (verdict !== TRUE) walk(tree, TRUE);
  return { verdict, failed: [...failed], missing: [...missing] };
}
