import { codeChangeable, codeLabel } from '@matcher/catalog';
import type { CompiledLeaf, CompiledRule } from './compile';
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

/** Whether the rule has an `any` block: only then can a match have alternatives to show. */
export const hasAnyBlock = (rule: CompiledRule): boolean => treeOf(rule) !== null;

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

const listOf = (v: unknown): readonly unknown[] => (Array.isArray(v) ? v : []);

/** A company's plans, and its sectors with every ancestor, as sets: what Pointers test, built once per answer. */
export interface Company {
  plans: ReadonlySet<unknown>;
  sectors: ReadonlySet<string>;
}

export function companyOf(facts: Record<string, unknown>): Company {
  const sectors = new Set<string>();
  for (const s of listOf(facts.sectors)) {
    if (typeof s !== 'string') continue;
    sectors.add(s);
    for (let j = s.indexOf('/'); j >= 0; j = s.indexOf('/', j + 1)) sectors.add(s.slice(0, j));
  }
  return { plans: new Set(listOf(facts.plans)), sectors };
}

/**
 * The plans and sectors that point to any of some codes of a fact (CodeLabel.pointedBy), merged once per leaf or
 * missing fact when the ruleset is planned: per near miss only set lookups remain.
 */
export class Pointers {
  private constructor(
    private readonly plans: readonly string[],
    private readonly sectors: readonly string[],
  ) {}

  /** null when nothing points to these codes. */
  static of(fact: string, codes: readonly unknown[]): Pointers | null {
    const plans = new Set<string>();
    const sectors = new Set<string>();
    for (const c of codes) {
      const by = codeLabel(fact, String(c))?.pointedBy;
      for (const p of by?.plans ?? []) plans.add(p);
      for (const a of by?.sectors ?? []) sectors.add(a);
    }
    return plans.size || sectors.size ? new Pointers([...plans], [...sectors]) : null;
  }

  /** Whether one of the company's plans, or one of its sectors (or a sector beneath), points here. */
  test(company: Company): boolean {
    for (const p of this.plans) if (company.plans.has(p)) return true;
    for (const a of this.sectors) if (company.sectors.has(a)) return true;
    return false;
  }
}

/** What relevance reads of a missing fact, planned once (plans.ts: MissingSpec). */
export interface SpecRelevance {
  fact: string;
  pointers: Pointers | null;
  /** For a `roles` fact whose every accepted role is a kind of organisation: each role's pointers; else null. */
  organisationRoles: (Pointers | null)[] | null;
}

/** SpecRelevance of a missing fact and the values that would satisfy it. */
export function specRelevance(fact: string, satisfiedBy: readonly unknown[]): SpecRelevance {
  const organisation = fact === 'roles' && satisfiedBy.every((r) => codeLabel('roles', String(r))?.organisation);
  return {
    fact,
    pointers: Pointers.of(fact, satisfiedBy),
    organisationRoles: organisation ? satisfiedBy.map((r) => Pointers.of('roles', [r])) : null,
  };
}

/** The pointers of a failed leaf offered as the one change: none under a `not` (there the codes are what to avoid). */
export function leafPointers(leaf: CompiledLeaf): Pointers | null {
  return leaf.negated ? null : Pointers.of(leaf.factKey, Array.isArray(leaf.condition.value) ? leaf.condition.value : [leaf.condition.value]);
}

/**
 * How relevant a near miss is to this company, best first: 0 when its plans or sectors point to what the measure
 * asks (the smart-factory award for a maker planning 智能化改造); 1 a question about a fact every company can answer;
 * 2 the rest; 3 a measure for another kind of organisation (a university, a park operator) than the company says it is.
 * `flips` are the pointers of the failed leaves of a one-change near miss; `specs` the missing facts of a needs-info one.
 */
export function relevance(company: Company, flips: readonly (Pointers | null)[] | null, specs: readonly SpecRelevance[] | null): number {
  if (flips) return flips.some((p) => p !== null && p.test(company)) ? 0 : 2;
  if (!specs) return 2;
  if (specs.some((s) => s.organisationRoles !== null && s.organisationRoles.every((p) => p === null || !p.test(company)))) return 3;
  if (specs.some((s) => s.pointers !== null && s.pointers.test(company))) return 0;
  return specs.every((s) => PLAUSIBLY_HELD(s.fact)) ? 1 : 2;
}

const DAY = 86_400_000;

/** Days from `asOf` to the last day in force, when a measure in force ends within 60 days; else undefined. */
export function endsInDays(status: string, validTo: string | null, asOf: string): number | undefined {
  if (status !== 'in-force' || !validTo) return undefined;
  const days = Math.round((Date.parse(`${validTo}T00:00:00Z`) - Date.parse(`${asOf}T00:00:00Z`)) / DAY);
  return days >= 0 && days <= 60 ? days : undefined;
}
