import { childrenOf, factKeyOf, isLeaf, type Condition, type District, type LeafCondition, type RuleDefinition } from '@matcher/catalog';
import { OPERATORS, type OperatorSpec } from './operators';
import { block, negate, FALSE, TRUE, UNKNOWN, type Tri } from './tri';

type Profile = Record<string, unknown>;
type Reader = (profile: Profile) => unknown;
type Test = (value: unknown) => boolean;

export interface CompiledLeaf {
  /** Position in depth-first order, the order json-rules-engine reports leaves in. */
  index: number;
  condition: LeafCondition;
  /** The profile field the leaf reads, e.g. "location.area". */
  factKey: string;
  /** True when an odd number of `not` blocks enclose the leaf: it holds when its test fails. */
  negated: boolean;
  read: Reader;
  /** json-rules-engine's pass/fail for a fact value (validator, then operator). */
  test: Test;
}

export interface CompiledRule {
  id: string;
  district: District;
  definition: RuleDefinition;
  leaves: CompiledLeaf[];
  /**
   * The UNKNOWN leaves whose value could still change the verdict: not those inside a block a known
   * sibling already settles (an `any` alternative that holds, an `all` part that fails).
   */
  openLeaves: (states: ArrayLike<number>) => CompiledLeaf[];
}

const SIMPLE_PATH = /^\$(\.[A-Za-z_][A-Za-z0-9_]*)+$/;

/** Mirrors json-rules-engine: a path applies only to an object fact; otherwise the fact value is returned as is. */
function compileReader(leaf: LeafCondition): Reader {
  const { fact, path } = leaf;
  if (!path) return (p) => p[fact];
  if (!SIMPLE_PATH.test(path)) throw new Error(`unsupported path ${path} in condition ${leaf.name}`);
  const keys = path.slice(2).split('.');
  return (p) => {
    const v = p[fact];
    if (v === null || typeof v !== 'object') return v;
    let cur: unknown = v;
    for (const k of keys) {
      if (cur === null || typeof cur !== 'object' || !Object.prototype.hasOwnProperty.call(cur, k)) return undefined;
      cur = (cur as Record<string, unknown>)[k];
    }
    return cur;
  };
}

/** Operator tests specialised with Sets where that keeps json-rules-engine's semantics exactly. */
function compileTest(leaf: LeafCondition): Test {
  const spec: OperatorSpec | undefined = OPERATORS[leaf.operator];
  if (!spec) throw new Error(`unknown operator ${leaf.operator} in condition ${leaf.name}`);
  const ruleValue = leaf.value;
  if (leaf.operator === 'hasAny' && Array.isArray(ruleValue)) {
    const wanted = new Set(ruleValue);
    return (v) => {
      if (!Array.isArray(v)) return false;
      for (const x of v) if (wanted.has(x)) return true;
      return false;
    };
  }
  if (leaf.operator === 'sectorIn' && Array.isArray(ruleValue)) {
    const wanted = new Set(ruleValue);
    return (v) => {
      if (!Array.isArray(v)) return false;
      for (const s of v) {
        if (typeof s !== 'string') continue;
        if (wanted.has(s)) return true;
        for (let i = s.indexOf('/'); i > 0; i = s.indexOf('/', i + 1)) if (wanted.has(s.slice(0, i))) return true;
      }
      return false;
    };
  }
  return (v) => spec.validate(v) && spec.test(v, ruleValue);
}

type Node = { leaf: number } | { all: Node[] } | { any: Node[] } | { not: Node };

export function compileRule(definition: RuleDefinition): CompiledRule {
  const leaves: CompiledLeaf[] = [];
  const build = (c: Condition, negated: boolean): Node => {
    if (isLeaf(c)) {
      leaves.push({ index: leaves.length, condition: c, factKey: factKeyOf(c), negated, read: compileReader(c), test: compileTest(c) });
      return { leaf: leaves.length - 1 };
    }
    if ('all' in c) return { all: childrenOf(c).map((x) => build(x, negated)) };
    if ('any' in c) return { any: childrenOf(c).map((x) => build(x, negated)) };
    if ('not' in c) return { not: build(c.not, !negated) };
    throw new Error(`${definition.name}: condition ${(c as { name?: string }).name ?? '?'} has no all/any/not/fact`);
  };
  const tree = build(definition.conditions, false);

  const fromStates = (n: Node): ((s: ArrayLike<number>) => Tri) => {
    if ('leaf' in n) {
      const i = n.leaf;
      return (s) => s[i] as Tri;
    }
    if ('not' in n) return negate(fromStates(n.not));
    return 'all' in n ? block(n.all.map(fromStates), FALSE, TRUE) : block(n.any.map(fromStates), TRUE, FALSE);
  };

  // Rules are trees (each leaf once), so a leaf can still decide exactly when no block on its path is settled.
  const evaluators = new Map<Node, (s: ArrayLike<number>) => Tri>();
  const evaluator = (n: Node): ((s: ArrayLike<number>) => Tri) => {
    let f = evaluators.get(n);
    if (!f) evaluators.set(n, (f = fromStates(n)));
    return f;
  };
  const open = (n: Node, s: ArrayLike<number>, out: CompiledLeaf[]): void => {
    if ('leaf' in n) {
      if (s[n.leaf] === UNKNOWN) out.push(leaves[n.leaf]);
      return;
    }
    if ('not' in n) return open(n.not, s, out);
    const parts = 'all' in n ? n.all : n.any;
    const values = parts.map((p) => evaluator(p)(s));
    if (values.includes('all' in n ? FALSE : TRUE)) return;
    parts.forEach((p, i) => values[i] === UNKNOWN && open(p, s, out));
  };

  return {
    id: definition.name,
    district: definition.event.params.district,
    definition,
    leaves,
    openLeaves: (states) => {
      const out: CompiledLeaf[] = [];
      open(tree, states, out);
      return out;
    },
  };
}
