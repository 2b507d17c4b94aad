import { childrenOf, factKeyOf, isLeaf, type Condition, type District, type LeafCondition, type RuleDefinition } from '@matcher/catalog';
import { OPERATORS, type OperatorSpec } from './operators';
import type { Tri } from './tri';

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
  /** Pass/fail only, short-circuiting: the batch hot path. */
  match: (profile: Profile) => Tri;
  /** Writes each leaf's state (FALSE/TRUE/UNKNOWN) and raw result (0/1), for explanations. */
  evaluateLeaves: (profile: Profile, states: Uint8Array, raw: Uint8Array) => void;
  /** Three-valued verdict from leaf states. */
  combine: (states: ArrayLike<number>) => Tri;
  /** json-rules-engine's two-valued verdict from raw leaf results. */
  combineRaw: (raw: ArrayLike<number>) => boolean;
  /**
   * The UNKNOWN leaves whose value could still change the verdict: not those inside a block a known
   * sibling already settles (an `any` alternative that holds, an `all` part that fails).
   */
  openLeaves: (states: ArrayLike<number>) => CompiledLeaf[];
}

const SIMPLE_PATH = /^\$(\.[A-Za-z_][A-Za-z0-9_]*)+$/;
const hasOwn = Object.prototype.hasOwnProperty;

function pathKeys(leaf: LeafCondition): string[] {
  if (!leaf.path) return [];
  if (!SIMPLE_PATH.test(leaf.path)) throw new Error(`unsupported path ${leaf.path} in condition ${leaf.name}`);
  return leaf.path.slice(2).split('.');
}

/** Mirrors json-rules-engine: a path applies only to an object fact; otherwise the fact value is returned as is. */
function compileReader(leaf: LeafCondition): Reader {
  const { fact } = leaf;
  const keys = pathKeys(leaf);
  if (keys.length === 0) return (p) => p[fact];
  if (keys.length === 1) {
    const k = keys[0];
    return (p) => {
      const v = p[fact];
      if (v === null || typeof v !== 'object') return v;
      return hasOwn.call(v, k) ? (v as Record<string, unknown>)[k] : undefined;
    };
  }
  return (p) => {
    const v = p[fact];
    if (v === null || typeof v !== 'object') return v;
    let cur: unknown = v;
    for (const k of keys) {
      if (cur === null || typeof cur !== 'object' || !hasOwn.call(cur, k)) return undefined;
      cur = (cur as Record<string, unknown>)[k];
    }
    return cur;
  };
}

/**
 * Operator tests, specialised with Sets where that keeps json-rules-engine's semantics exactly. The same
 * helpers are called from the generated rule functions below.
 */
const HELPERS = {
  /** hasAny: the fact is a list sharing a code with the rule's. */
  hasAny(v: unknown, wanted: Set<unknown>): boolean {
    if (!Array.isArray(v)) return false;
    for (let i = 0; i < v.length; i++) if (wanted.has(v[i])) return true;
    return false;
  },
  /** sectorIn: a listed sector equals a rule code or lies beneath it ("a/b" is within "a"). */
  sectorIn(v: unknown, wanted: Set<unknown>): boolean {
    if (!Array.isArray(v)) return false;
    for (let i = 0; i < v.length; i++) {
      const s: unknown = v[i];
      if (typeof s !== 'string') continue;
      if (wanted.has(s)) return true;
      for (let j = s.indexOf('/'); j > 0; j = s.indexOf('/', j + 1)) if (wanted.has(s.slice(0, j))) return true;
    }
    return false;
  },
  /** in: `ruleValue.indexOf(v) > -1` — strict equality, which never finds NaN (a Set would). */
  inSet(v: unknown, wanted: Set<unknown>): boolean {
    return v === v && wanted.has(v);
  },
};

type SetTest = keyof typeof HELPERS;

/** How a leaf's operator is evaluated: a Set helper, an inline `===` against a literal, or the generic spec. */
type TestPlan = { kind: 'set'; helper: SetTest; set: Set<unknown> } | { kind: 'equal'; literal: string } | { kind: 'generic' };

function planTest(leaf: LeafCondition): TestPlan {
  const spec: OperatorSpec | undefined = OPERATORS[leaf.operator];
  if (!spec) throw new Error(`unknown operator ${leaf.operator} in condition ${leaf.name}`);
  const v = leaf.value;
  if (Array.isArray(v) && (leaf.operator === 'hasAny' || leaf.operator === 'sectorIn' || leaf.operator === 'in')) {
    return { kind: 'set', helper: leaf.operator === 'in' ? 'inSet' : leaf.operator, set: new Set(v) };
  }
  if (leaf.operator === 'equal' && (typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v)))) {
    return { kind: 'equal', literal: JSON.stringify(v) };
  }
  return { kind: 'generic' };
}

function compileTest(leaf: LeafCondition, plan: TestPlan): Test {
  if (plan.kind === 'set') {
    const helper = HELPERS[plan.helper];
    const set = plan.set;
    return (v) => helper(v, set);
  }
  if (plan.kind === 'equal') {
    const ruleValue = leaf.value;
    return (v) => v === ruleValue;
  }
  const spec = OPERATORS[leaf.operator];
  const ruleValue = leaf.value;
  return (v) => spec.validate(v) && spec.test(v, ruleValue);
}

type Node = { leaf: number } | { all: Node[] } | { any: Node[] } | { not: Node };

const UNKNOWN_TEST = '(v === undefined || v === null || (isArray(v) && v.length === 0))';

/**
 * Generates the source of one rule's functions: straight-line code with the reads and tests inlined, so
 * each rule is its own small, monomorphic function (no JSONPath, no tree of closures, no allocation).
 * Strings from the rule (fact names, path keys, literals) enter the source only through JSON.stringify.
 */
class Generator {
  private vars = 0;
  private labels = 0;
  constructor(
    private readonly leaves: LeafCondition[],
    private readonly plans: TestPlan[],
  ) {}

  newVar(): string {
    return `t${this.vars++}`;
  }

  declarations(): string {
    return this.vars ? `let ${Array.from({ length: this.vars }, (_, i) => `t${i}`).join(', ')};` : '';
  }

  /** Assigns the leaf's fact value to `v`. */
  read(i: number): string {
    const leaf = this.leaves[i];
    const keys = pathKeys(leaf);
    const base = `v = p[${JSON.stringify(leaf.fact)}];`;
    if (keys.length === 0) return base;
    if (keys.length === 1) {
      const k = JSON.stringify(keys[0]);
      return `${base} if (v !== null && typeof v === 'object') v = hasOwn.call(v, ${k}) ? v[${k}] : undefined;`;
    }
    return `v = R[${i}](p);`;
  }

  /** A boolean expression: json-rules-engine's result for the value in `v`. */
  test(i: number): string {
    const plan = this.plans[i];
    if (plan.kind === 'set') return `H.${plan.helper}(v, S[${i}])`;
    if (plan.kind === 'equal') return `v === ${plan.literal}`;
    return `T[${i}](v)`;
  }

  /** Code assigning the three-valued verdict of `node` to `target`; `leaf` writes a leaf's state. */
  tri(node: Node, target: string, leaf: (i: number, target: string) => string): string {
    if ('leaf' in node) return leaf(node.leaf, target);
    if ('not' in node) {
      const c = this.newVar();
      return `${this.tri(node.not, c, leaf)} ${target} = ${c} === 2 ? 2 : ${c} === 1 ? 0 : 1;`;
    }
    const isAll = 'all' in node;
    const parts = isAll ? node.all : node.any;
    const [stop, otherwise] = isAll ? [0, 1] : [1, 0];
    const label = `L${this.labels++}`;
    const c = this.newVar();
    const body = parts.map((part) => `${this.tri(part, c, leaf)} if (${c} === ${stop}) { ${target} = ${stop}; break ${label}; } if (${c} === 2) ${target} = 2;`).join('\n');
    return `${target} = ${otherwise}; ${label}: {\n${body}\n}`;
  }

  /**
   * Code pushing onto `out` the UNKNOWN leaves that can still decide: rules are trees (each leaf once), so a
   * leaf can decide exactly when no block on its path is settled by a known sibling.
   */
  open(node: Node): string {
    if ('leaf' in node) return `if (s[${node.leaf}] === 2) out.push(L[${node.leaf}]);`;
    if ('not' in node) return this.open(node.not);
    const isAll = 'all' in node;
    const parts = isAll ? node.all : node.any;
    const stop = isAll ? 0 : 1;
    const vars = parts.map(() => this.newVar());
    const verdicts = parts.map((part, i) => this.tri(part, vars[i], (leaf, target) => `${target} = s[${leaf}];`)).join('\n');
    const descend = parts.map((part, i) => `if (${vars[i]} === 2) {\n${this.open(part)}\n}`).join('\n');
    return `${verdicts}\nif (${vars.map((v) => `${v} !== ${stop}`).join(' && ')}) {\n${descend}\n}`;
  }

  /** Code assigning json-rules-engine's two-valued verdict (from raw leaf results in `r`) to `target`. */
  bool(node: Node, target: string): string {
    if ('leaf' in node) return `${target} = r[${node.leaf}] === 1;`;
    if ('not' in node) {
      const c = this.newVar();
      return `${this.bool(node.not, c)} ${target} = !${c};`;
    }
    const isAll = 'all' in node;
    const parts = isAll ? node.all : node.any;
    const label = `L${this.labels++}`;
    const c = this.newVar();
    const body = parts.map((part) => `${this.bool(part, c)} if (${isAll ? `!${c}` : c}) { ${target} = ${!isAll}; break ${label}; }`).join('\n');
    return `${target} = ${isAll}; ${label}: {\n${body}\n}`;
  }
}

interface Generated {
  match: CompiledRule['match'];
  evaluateLeaves: CompiledRule['evaluateLeaves'];
  combine: CompiledRule['combine'];
  combineRaw: CompiledRule['combineRaw'];
  open: (s: ArrayLike<number>, out: CompiledLeaf[], L: CompiledLeaf[]) => void;
}

function generate(name: string, tree: Node, leaves: CompiledLeaf[], plans: TestPlan[]): Generated {
  const conditions = leaves.map((l) => l.condition);
  const fn = (body: (g: Generator) => string, args: string): string => {
    const g = new Generator(conditions, plans);
    const code = body(g);
    return `function ${name}(${args}) {\n${g.declarations()}\n${code}\n}`;
  };
  const match = fn((g) => {
    const leafState = (i: number, target: string): string => `${g.read(i)} ${target} = ${UNKNOWN_TEST} ? 2 : ${g.test(i)} ? 1 : 0;`;
    return `let v, out;\n${g.tri(tree, 'out', leafState)}\nreturn out;`;
  }, 'p');
  const evaluateLeaves = fn((g) => {
    return `let v, ok;\n${leaves.map((_, i) => `${g.read(i)} ok = ${g.test(i)}; raw[${i}] = ok ? 1 : 0; st[${i}] = ${UNKNOWN_TEST} ? 2 : ok ? 1 : 0;`).join('\n')}`;
  }, 'p, st, raw');
  const combine = fn((g) => `let out;\n${g.tri(tree, 'out', (i, target) => `${target} = s[${i}];`)}\nreturn out;`, 's');
  const combineRaw = fn((g) => `let out;\n${g.bool(tree, 'out')}\nreturn out;`, 'r');
  const open = fn((g) => g.open(tree), 's, out, L');
  const source = `return { match: ${match}, evaluateLeaves: ${evaluateLeaves}, combine: ${combine}, combineRaw: ${combineRaw}, open: ${open} };`;
  const sets = plans.map((p) => (p.kind === 'set' ? p.set : undefined));
  const tests = leaves.map((l) => l.test);
  const readers = leaves.map((l) => l.read);
  // The rule compiler proper: the source is built above from the rule's structure; values enter only as JSON literals or Sets.
  return new Function('H', 'S', 'T', 'R', 'hasOwn', 'isArray', source)(HELPERS, sets, tests, readers, hasOwn, Array.isArray) as Generated;
}

export function compileRule(definition: RuleDefinition): CompiledRule {
  const leaves: CompiledLeaf[] = [];
  const plans: TestPlan[] = [];
  const build = (c: Condition, negated: boolean): Node => {
    if (isLeaf(c)) {
      const plan = planTest(c);
      plans.push(plan);
      leaves.push({ index: leaves.length, condition: c, factKey: factKeyOf(c), negated, read: compileReader(c), test: compileTest(c, plan) });
      return { leaf: leaves.length - 1 };
    }
    if ('all' in c) return { all: childrenOf(c).map((x) => build(x, negated)) };
    if ('any' in c) return { any: childrenOf(c).map((x) => build(x, negated)) };
    if ('not' in c) return { not: build(c.not, !negated) };
    throw new Error(`${definition.name}: condition ${(c as { name?: string }).name ?? '?'} has no all/any/not/fact`);
  };
  const tree = build(definition.conditions, false);
  const name = `rule_${definition.name.replace(/[^A-Za-z0-9_]/g, '_')}`.slice(0, 80);

  const { open, ...generated } = generate(name, tree, leaves, plans);
  return {
    id: definition.name,
    district: definition.event.params.district,
    definition,
    leaves,
    ...generated,
    openLeaves: (states) => {
      const out: CompiledLeaf[] = [];
      open(states, out, leaves);
      return out;
    },
  };
}
