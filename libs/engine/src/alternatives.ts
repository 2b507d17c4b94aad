import { codeChangeable, codePointedTo, codeLabel } from '@matcher/catalog';
import type { CompiledLeaf, CompiledRule } from './compile';
import type { MissingSpec } from './plans';
import { nodeOf, valueOf, type Node } from './condition-tree';
import { FALSE, TRUE, type Tri } from './tri';
import type { AnyOf, HeldCondition, Words } from './types';

/** "满足其一：A 或 B" / "One of: A or B": conditions of which any one is enough. */
export function anyOfWords(items: readonly Words[]): Words {
  return { zh: `满足其一：${items.map((i) => i.zh).join(' 或 ')}`, en: `One of: ${items.map((i) => i.en).join(' or ')}` };
}

const trees = new WeakMap<CompiledRule, Node | null>();

const hasAny = (n: Node): boolean => ('leaf' in n ? false : 'not' in n ? hasAny(n.not) : 'any' in n ? true : n.all.some(hasAny));

/** The rule's condition tree by leaf index, or null when it has no `any` block (nothing to say). */
function treeOf(rule: CompiledRule): Node | null {
  let t = trees.get(rule);
  if (t === undefined) {
    const n = nodeOf(rule.definition.conditions, { i: 0 });
    trees.set(rule, (t = hasAny(n) ? n : null));
  }
  return t;
}

const leavesUnder = (n: Node, out: number[] = []): number[] => {
  if ('leaf' in n) out.push(n.leaf);
  else if ('not' in n) leavesUnder(n.not, out);
  else for (const c of 'all' in n ? n.all : n.any) leavesUnder(c, out);
  return out;
};

/**
 * Why-it-matched, where the company satisfies two or more alternatives of an `any` block: those alternatives
 * as one sentence, so the reader sees that any one of them was enough. Blocks under a `not` are left out
 * (there the alternatives are what the company must not be).
 */
export function heldAlternatives(rule: CompiledRule, states: ArrayLike<number>, held: readonly HeldCondition[]): AnyOf[] {
  const tree = treeOf(rule);
  if (!tree) return [];
  const out: AnyOf[] = [];
  const byName = new Map(held.map((h) => [h.condition, h]));
  const walk = (n: Node): void => {
    if ('leaf' in n || 'not' in n) return;
    if ('any' in n) {
      const branches = n.any.filter((c) => valueOf(c, states) === TRUE);
      if (branches.length > 1) {
        const parts = branches.map((b) => {
          const hs = leavesUnder(b)
            .map((i) => byName.get(rule.leaves[i].condition.name))
            .filter((h): h is HeldCondition => !!h);
          return { conditions: hs.map((h) => h.condition), zh: hs.map((h) => h.zh).join('，'), en: hs.map((h) => h.en).join(' and ') };
        });
        out.push({ ...anyOfWords(parts), conditions: parts.flatMap((p) => p.conditions) });
        return;
      }
    }
    for (const c of 'all' in n ? n.all : n.any) walk(c);
  };
  walk(tree);
  return out;
}

/**
 * A needs-info near miss: the open leaves each of which, satisfied alone, would make the measure apply. Two or
 * more of them are alternatives (any one fact given is enough). `verdict` reads the rule's states after a change.
 */
export function sufficientOpenLeaves(open: readonly CompiledLeaf[], states: Uint8Array, verdict: () => Tri): CompiledLeaf[] {
  const out: CompiledLeaf[] = [];
  for (const leaf of open) {
    const s = states[leaf.index];
    states[leaf.index] = leaf.negated ? FALSE : TRUE;
    if (verdict() === TRUE) out.push(leaf);
    states[leaf.index] = s;
  }
  return out;
}

/** A failed leaf worth offering as the one change: not one whose every code the company cannot acquire (老字号). */
export function acquirable(leaf: CompiledLeaf): boolean {
  if (leaf.negated || leaf.factKey !== 'qualifications') return true;
  const codes = Array.isArray(leaf.condition.value) ? leaf.condition.value : [leaf.condition.value];
  return codes.some((c) => codeChangeable(leaf.factKey, String(c)));
}

/** Facts every company has a value for: asked, it can answer. */
const PLAUSIBLY_HELD = (fact: string): boolean =>
  fact.startsWith('metrics.') || fact === 'size' || fact === 'ownership' || fact === 'listing' || fact === 'location.area';

/**
 * How relevant a near miss is to this company, best first: 0 when its plans or sectors point to what the measure
 * asks (the smart-factory award for a maker planning 智能化改造); 1 a question about a fact every company can answer;
 * 2 the rest; 3 a measure for another kind of organisation (a university, a park operator) than the company says it is.
 */
export function relevance(facts: Record<string, unknown>, flips: readonly CompiledLeaf[] | null, specs: readonly MissingSpec[] | null): number {
  const plans = Array.isArray(facts.plans) ? (facts.plans as unknown[]) : [];
  const sectors = Array.isArray(facts.sectors) ? (facts.sectors as unknown[]) : [];
  const pointed = (fact: string, codes: readonly unknown[]): boolean => codes.some((c) => codePointedTo(fact, String(c), plans, sectors));
  if (flips) return flips.some((l) => !l.negated && pointed(l.factKey, Array.isArray(l.condition.value) ? l.condition.value : [l.condition.value])) ? 0 : 2;
  if (!specs) return 2;
  if (specs.some((s) => s.fact === 'roles' && s.satisfiedBy.every((r) => codeLabel('roles', String(r))?.organisation && !pointed('roles', [r])))) return 3;
  if (specs.some((s) => pointed(s.fact, s.satisfiedBy))) return 0;
  return specs.every((s) => PLAUSIBLY_HELD(s.fact)) ? 1 : 2;
}

const DAY = 86_400_000;

/** Days from `asOf` to the last day in force, when a measure in force ends within 60 days; else undefined. */
export function endsInDays(status: string, validTo: string | null, asOf: string): number | undefined {
  if (status !== 'in-force' || !validTo) return undefined;
  const days = Math.round((Date.parse(`${validTo}T00:00:00Z`) - Date.parse(`${asOf}T00:00:00Z`)) / DAY);
  return days >= 0 && days <= 60 ? days : undefined;
}
