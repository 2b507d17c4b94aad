import { childrenOf, isLeaf, type Condition } from '@matcher/catalog';
import type { CompiledLeaf, CompiledRule } from './compile';
import { isUnknownValue } from './operators';
import { TRUE, type Tri } from './tri';

/*
 * A group of compiled rules (a district's) evaluated together, data-driven: the profile is read once per
 * fact, its codes become bitsets, and each leaf is a bitset intersection — one small loop over typed
 * arrays for all the rules' leaves, then each rule's verdict from a postfix program. Calling each rule's
 * own functions instead costs 100–300 ns a rule on real traffic (a call per leaf and per block through
 * megamorphic sites, property loads over profiles of many shapes, instruction-cache misses across
 * hundreds of functions); here no per-rule code runs, no JSONPath, and nothing is allocated per
 * evaluation: buffers are owned by the program and reused (evaluation is synchronous).
 *
 * Exactly the semantics of the rule's compiled functions (and so of json-rules-engine): a leaf uses a
 * bitset only where a code lookup is provably the same as its operator — hasAny on a list (Set
 * membership, SameValueZero), sectorIn with non-empty string codes on a list of sectors (the sector or
 * an ancestor at a "/"), `in` on a list of codes and `equal` on a primitive (strict equality on a
 * non-list value; no rule code is NaN, the one value where SameValueZero and === differ). Anything else
 * calls the leaf's own test.
 */

const GENERIC = 0;
const ELEMENTS = 1; // hasAny: the fact is a list, one of its elements is a code
const SECTORS = 2; // sectorIn: the fact is a list, one of its string elements is a code or beneath one
const SCALAR = 3; // in / equal: the fact is not a list and equals a code

const OP_NOT = -1;
const OP_ALL = -2;
const OP_ANY = -3;

type Facts = Record<string, unknown>;

interface Source {
  read: (facts: Facts) => unknown;
  codes: Map<unknown, number>;
  /** First word of this source's bits in each of the three bitsets. */
  base: number;
  words: number;
  hasSectors: boolean;
  /** Memo: a listed sector → the bits of the codes it satisfies as a sector (itself, its ancestors at each "/"). */
  within: Map<string, number[]>;
}

const MAX_MEMO = 4096;

function leafKind(leaf: CompiledLeaf): number {
  const { operator, value } = leaf.condition;
  if (operator === 'equal')
    return typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value)) ? SCALAR : GENERIC;
  if (!Array.isArray(value)) return GENERIC;
  if (operator === 'hasAny') return ELEMENTS;
  if (operator === 'in') return value.every((v) => v === v) ? SCALAR : GENERIC;
  if (operator === 'sectorIn') return value.every((v) => typeof v === 'string' && v.length > 0) ? SECTORS : GENERIC;
  return GENERIC;
}

const sourceKey = (leaf: CompiledLeaf): string => `${leaf.condition.fact}\u0000${leaf.condition.path ?? ''}`;

/**
 * Tokens of which a profile must carry at least one for the rule to hold, or null (always a candidate).
 * Sound by construction: a positive leaf holds only when its test passes, which needs one of its codes;
 * an `all` needs each part (one part's tokens suffice: the fewest), an `any` one of its parts (the
 * union). Negated leaves, generic leaves and the district leaf (every profile evaluated in a district
 * carries it) give none.
 */
function tokensOf(rule: CompiledRule): { source: string; kind: number; code: unknown }[] | null {
  type Node = { leaf: CompiledLeaf } | { all: Node[] } | { any: Node[] } | { not: Node };
  let next = 0;
  const build = (c: Condition): Node => {
    if (isLeaf(c)) return { leaf: rule.leaves[next++] };
    if ('all' in c) return { all: childrenOf(c).map(build) };
    if ('any' in c) return { any: childrenOf(c).map(build) };
    return { not: build(c.not) };
  };
  type Tokens = { source: string; kind: number; code: unknown }[];
  const walk = (n: Node): Tokens | null => {
    if ('leaf' in n) {
      const leaf = n.leaf;
      const kind = leafKind(leaf);
      if (leaf.negated || kind === GENERIC || leaf.factKey === 'location.district') return null;
      const v = leaf.condition.value;
      return (Array.isArray(v) ? v : [v]).map((code) => ({ source: sourceKey(leaf), kind, code }));
    }
    if ('not' in n) return null;
    const parts = ('all' in n ? n.all : n.any).map(walk);
    if ('any' in n) return parts.some((p) => p === null) ? null : (parts as Tokens[]).flat();
    const known = parts.filter((p): p is Tokens => p !== null);
    return known.length ? known.reduce((a, b) => (b.length < a.length ? b : a)) : null;
  };
  return walk(build(rule.definition.conditions));
}

export class RuleProgram {
  readonly rules: readonly CompiledRule[];
  /** Leaf states and raw results of the last evaluation, all rules' leaves end to end. */
  readonly states: Uint8Array;
  readonly raw: Uint8Array;
  /** Per rule: its slice of `states` / `raw`, indexed like the rule's own leaves (views made once). */
  readonly stateViews: readonly Uint8Array[];
  readonly rawViews: readonly Uint8Array[];

  private readonly sources: Source[] = [];
  private readonly values: unknown[];
  private readonly unknown: Uint8Array;
  private readonly bits: Uint32Array;
  private readonly totalWords: number;

  private readonly leafKind: Uint8Array;
  private readonly leafSource: Uint16Array;
  private readonly leafMask: Int32Array;
  /** Per leaf: where its source's bits of its kind start in `bits`, and how many words they span. */
  private readonly leafAt: Int32Array;
  private readonly leafWords: Uint16Array;
  private readonly masks: Uint32Array;
  private readonly leafTest: ((v: unknown) => boolean)[];
  private readonly ruleStart: Int32Array;
  /** Per rule whose conditions are an `all`: its direct leaves (program-wide positions), checked first. */
  private readonly guardStart: Int32Array;
  private readonly guards: Int32Array;

  private readonly code: Int32Array;
  private readonly codeStart: Int32Array;
  private readonly stack: Uint8Array;
  private readonly openStack: Int32Array;

  /** Candidate index: rules to visit for a token; `always` for rules without tokens. */
  private readonly always: Int32Array;
  /** [source][kind][code bit] → the rules to visit. */
  private readonly postings: (Int32Array | undefined)[][][];
  private readonly stamp: Uint32Array;
  private generation = 0;

  constructor(rules: readonly CompiledRule[]) {
    this.rules = rules;
    const bySource = new Map<string, number>();
    const leaves = rules.flatMap((r) => r.leaves);
    const kinds = leaves.map(leafKind);
    leaves.forEach((leaf, g) => {
      const key = sourceKey(leaf);
      let s = bySource.get(key);
      if (s === undefined) {
        s = this.sources.push({ read: leaf.read, codes: new Map(), base: 0, words: 0, hasSectors: false, within: new Map() }) - 1;
        bySource.set(key, s);
      }
      const source = this.sources[s];
      if (kinds[g] === SECTORS) source.hasSectors = true;
      if (kinds[g] !== GENERIC)
        for (const c of Array.isArray(leaf.condition.value) ? leaf.condition.value : [leaf.condition.value])
          if (!source.codes.has(c)) source.codes.set(c, source.codes.size);
    });
    let words = 0;
    for (const s of this.sources) {
      s.base = words;
      s.words = Math.max(1, Math.ceil(s.codes.size / 32));
      words += s.words;
    }
    this.totalWords = words;
    this.bits = new Uint32Array(words * 3);
    this.values = new Array(this.sources.length).fill(undefined);
    this.unknown = new Uint8Array(this.sources.length);

    const n = leaves.length;
    this.leafKind = Uint8Array.from(kinds);
    this.leafSource = new Uint16Array(n);
    this.leafMask = new Int32Array(n);
    this.leafTest = leaves.map((l) => l.test);
    const maskWords: number[] = [];
    leaves.forEach((leaf, g) => {
      const s = bySource.get(sourceKey(leaf)) as number;
      this.leafSource[g] = s;
      this.leafMask[g] = maskWords.length;
      const source = this.sources[s];
      const mask = new Array<number>(source.words).fill(0);
      if (kinds[g] !== GENERIC) {
        for (const c of Array.isArray(leaf.condition.value) ? leaf.condition.value : [leaf.condition.value]) {
          const bit = source.codes.get(c) as number;
          mask[bit >>> 5] |= 1 << (bit & 31);
        }
      }
      maskWords.push(...mask);
    });
    this.masks = Uint32Array.from(maskWords, (w) => w >>> 0);
    this.leafAt = Int32Array.from(leaves, (_, g) => (kinds[g] === GENERIC ? 0 : (kinds[g] - 1) * words + this.sources[this.leafSource[g]].base));
    this.leafWords = Uint16Array.from(leaves, (_, g) => (kinds[g] === GENERIC ? 0 : this.sources[this.leafSource[g]].words));

    this.states = new Uint8Array(Math.max(1, n));
    this.raw = new Uint8Array(Math.max(1, n));
    this.ruleStart = new Int32Array(rules.length + 1);
    let start = 0;
    rules.forEach((r, i) => {
      this.ruleStart[i] = start;
      start += r.leaves.length;
    });
    this.ruleStart[rules.length] = start;
    // An `all` is FALSE as soon as one part is: its direct leaves (the district's among them) let a
    // pass/fail evaluation stop after a bit test or two.
    const guards: number[] = [];
    const guardStart: number[] = [];
    rules.forEach((rule, i) => {
      guardStart.push(guards.length);
      const root = rule.definition.conditions;
      if (!('all' in root)) return;
      let next = 0;
      const positions = new Map<Condition, number>();
      const walk = (c: Condition): void => {
        if (isLeaf(c)) positions.set(c, next++);
        else childrenOf(c).forEach(walk);
      };
      walk(root);
      for (const part of root.all) if (isLeaf(part)) guards.push(this.ruleStart[i] + (positions.get(part) as number));
    });
    guardStart.push(guards.length);
    this.guards = Int32Array.from(guards);
    this.guardStart = Int32Array.from(guardStart);
    this.stateViews = rules.map((_, i) => this.states.subarray(this.ruleStart[i], this.ruleStart[i + 1]));
    this.rawViews = rules.map((_, i) => this.raw.subarray(this.ruleStart[i], this.ruleStart[i + 1]));

    // Postfix programs: a leaf is its index in the rule (>= 0), then NOT / ALL n / ANY n.
    const code: number[] = [];
    const starts: number[] = [];
    let depth = 1;
    for (const rule of rules) {
      starts.push(code.length);
      let next = 0;
      const emit = (c: Condition, d: number): void => {
        depth = Math.max(depth, d + 1);
        if (isLeaf(c)) code.push(next++);
        else if ('not' in c) {
          emit(c.not, d);
          code.push(OP_NOT);
        } else {
          const parts = childrenOf(c);
          parts.forEach((p, i) => emit(p, d + i));
          code.push('all' in c ? OP_ALL : OP_ANY, parts.length);
        }
      };
      emit(rule.definition.conditions, 0);
    }
    starts.push(code.length);
    this.code = Int32Array.from(code);
    this.codeStart = Int32Array.from(starts);
    this.stack = new Uint8Array(depth + 1);
    this.openStack = new Int32Array(depth + 1);

    // Candidate index over the same sources and codes.
    const always: number[] = [];
    const postings = this.sources.map((source) => [0, 1, 2, 3].map(() => Array.from({ length: source.codes.size }, (): number[] => [])));
    rules.forEach((rule, r) => {
      const tokens = tokensOf(rule);
      if (!tokens) return void always.push(r);
      for (const t of tokens) {
        const s = bySource.get(t.source) as number;
        const list = postings[s][t.kind][this.sources[s].codes.get(t.code) as number];
        if (list[list.length - 1] !== r) list.push(r);
      }
    });
    this.always = Int32Array.from(always);
    this.postings = postings.map((kinds) => kinds.map((lists) => lists.map((l) => (l.length ? Int32Array.from(l) : undefined))));
    this.stamp = new Uint32Array(rules.length);
  }

  private mark(list: Int32Array | undefined, g: number): void {
    if (list) for (let i = 0; i < list.length; i++) this.stamp[list[i]] = g;
  }

  /**
   * Reads each fact once and sets the profile's code bits (and, with `g`, stamps the candidate rules).
   */
  private load(facts: Facts, g: number): void {
    const bits = this.bits;
    bits.fill(0);
    const total = this.totalWords;
    for (let s = 0; s < this.sources.length; s++) {
      const source = this.sources[s];
      const v = source.read(facts);
      this.values[s] = v;
      this.unknown[s] = isUnknownValue(v) ? 1 : 0;
      const codes = source.codes;
      const post = g ? this.postings[s] : undefined;
      if (Array.isArray(v)) {
        for (let i = 0; i < v.length; i++) {
          const x: unknown = v[i];
          const bit = codes.get(x);
          if (bit !== undefined) {
            bits[source.base + (bit >>> 5)] |= 1 << (bit & 31);
            if (post) this.mark(post[ELEMENTS][bit], g);
          }
          if (source.hasSectors && typeof x === 'string') {
            const within = this.within(source, x);
            for (let k = 0; k < within.length; k++) {
              const b = within[k];
              bits[total + source.base + (b >>> 5)] |= 1 << (b & 31);
              if (post) this.mark(post[SECTORS][b], g);
            }
          }
        }
      } else {
        const bit = codes.get(v);
        if (bit !== undefined && v === v) {
          bits[2 * total + source.base + (bit >>> 5)] |= 1 << (bit & 31);
          if (post) this.mark(post[SCALAR][bit], g);
        }
      }
    }
  }

  /** The bits of the codes a listed sector satisfies under sectorIn: itself and each ancestor at a "/". */
  private within(source: Source, x: string): number[] {
    let out = source.within.get(x);
    if (out) return out;
    out = [];
    const own = source.codes.get(x);
    if (own !== undefined) out.push(own);
    for (let j = x.indexOf('/'); j > 0; j = x.indexOf('/', j + 1)) {
      const b = source.codes.get(x.slice(0, j));
      if (b !== undefined) out.push(b);
    }
    if (source.within.size < MAX_MEMO) source.within.set(x, out);
    return out;
  }

  /** Three-valued state of leaf `g` (program-wide) from the loaded facts: what leavesOf writes. */
  private leafState(g: number): number {
    const s = this.leafSource[g];
    if (this.unknown[s]) return 2;
    if (this.leafKind[g] === GENERIC) return this.leafTest[g](this.values[s]) ? 1 : 0;
    const { bits, masks } = this;
    const at = this.leafAt[g];
    const m = this.leafMask[g];
    for (let w = 0, n = this.leafWords[g]; w < n; w++) if ((bits[at + w] & masks[m + w]) !== 0) return 1;
    return 0;
  }

  /** Whether a direct leaf of rule `r`'s `all` is FALSE for the loaded facts: then the rule is FALSE. */
  private guarded(r: number): boolean {
    for (let i = this.guardStart[r], end = this.guardStart[r + 1]; i < end; i++) if (this.leafState(this.guards[i]) === 0) return true;
    return false;
  }

  /** Leaf states and raw results of rules [from, to) into `states` / `raw` (program-wide positions). */
  private leavesOf(from: number, to: number): void {
    const { bits, masks, leafKind, leafSource, leafMask, leafAt, leafWords, states, raw, unknown, values } = this;
    for (let g = this.ruleStart[from], end = this.ruleStart[to]; g < end; g++) {
      const s = leafSource[g];
      let ok = false;
      if (leafKind[g] === GENERIC) ok = this.leafTest[g](values[s]);
      else {
        const at = leafAt[g];
        const m = leafMask[g];
        for (let w = 0, n = leafWords[g]; w < n && !ok; w++) ok = (bits[at + w] & masks[m + w]) !== 0;
      }
      raw[g] = ok ? 1 : 0;
      states[g] = unknown[s] ? 2 : ok ? 1 : 0;
    }
  }

  /** The fact value leaf `leaf` of rule `r` read in the last evaluation (what `leaf.read(facts)` returns). */
  valueOf(r: number, leaf: number): unknown {
    return this.values[this.leafSource[this.ruleStart[r] + leaf]];
  }

  /** Kleene verdict of rule `r` from the leaf states in `states` (its slice, as `stateViews[r]` shows it). */
  verdict(r: number): Tri {
    const { code, stack, states } = this;
    const base = this.ruleStart[r];
    let sp = 0;
    for (let pc = this.codeStart[r], end = this.codeStart[r + 1]; pc < end; pc++) {
      const op = code[pc];
      if (op >= 0) stack[sp++] = states[base + op];
      else if (op === OP_NOT) {
        const x = stack[sp - 1];
        stack[sp - 1] = x === 2 ? 2 : x === 1 ? 0 : 1;
      } else {
        const n = code[++pc];
        const stop = op === OP_ALL ? 0 : 1;
        let out = op === OP_ALL ? 1 : 0;
        for (let i = sp - n; i < sp; i++) {
          const x = stack[i];
          if (x === stop) {
            out = stop;
            break;
          }
          if (x === 2) out = 2;
        }
        sp -= n;
        stack[sp++] = out;
      }
    }
    return stack[0] as Tri;
  }

  /**
   * The rule's open leaves as a bit mask (bit i = leaf i), for rules of at most 31 leaves, else -1: the
   * UNKNOWN leaves whose value could still change the verdict — CompiledRule.openLeaves computed on the
   * postfix program. A block a known part settles (an `all` with a FALSE part, an `any` with a TRUE one)
   * opens nothing; otherwise its UNKNOWN parts' open leaves are open; `not` passes its part's through.
   */
  openMask(r: number): number {
    if (this.ruleStart[r + 1] - this.ruleStart[r] > 31) return -1;
    const { code, stack, openStack, states } = this;
    const base = this.ruleStart[r];
    let sp = 0;
    for (let pc = this.codeStart[r], end = this.codeStart[r + 1]; pc < end; pc++) {
      const op = code[pc];
      if (op >= 0) {
        const x = states[base + op];
        stack[sp] = x;
        openStack[sp++] = x === 2 ? 1 << op : 0;
      } else if (op === OP_NOT) {
        const x = stack[sp - 1];
        stack[sp - 1] = x === 2 ? 2 : x === 1 ? 0 : 1;
      } else {
        const n = code[++pc];
        const stop = op === OP_ALL ? 0 : 1;
        let out = op === OP_ALL ? 1 : 0;
        let open = 0;
        for (let i = sp - n; i < sp; i++) {
          const x = stack[i];
          if (x === stop) out = stop;
          else if (x === 2) {
            if (out !== stop) out = 2;
            open |= openStack[i];
          }
        }
        sp -= n;
        stack[sp] = out;
        openStack[sp++] = out === stop ? 0 : open;
      }
    }
    return openStack[0];
  }

  /** Evaluates every rule's leaves for `facts`; then `verdict(r)` and `stateViews[r]` read the result. */
  evaluate(facts: Facts): void {
    this.load(facts, 0);
    this.leavesOf(0, this.rules.length);
  }

  /**
   * Appends to `out` the ids of the rules that hold for `facts`, in rule order, evaluating only the rules
   * whose tokens the facts carry (and those without tokens).
   */
  matching(facts: Facts, out: string[]): void {
    let g = ++this.generation;
    if (g === 0xffffffff) {
      this.stamp.fill(0);
      g = this.generation = 1;
    }
    const stamp = this.stamp;
    for (let i = 0; i < this.always.length; i++) stamp[this.always[i]] = g;
    this.load(facts, g);
    for (let r = 0; r < this.rules.length; r++) {
      if (stamp[r] !== g || this.guarded(r)) continue;
      this.leavesOf(r, r + 1);
      if (this.verdict(r) === TRUE) out.push(this.rules[r].id);
    }
  }

  /**
   * Appends the ids of all rules that hold, testing every rule (no index): pass/fail of the whole group,
   * short-circuiting like any evaluator — an `all` with a FALSE direct leaf needs no more.
   */
  passing(facts: Facts, out: string[]): void {
    this.load(facts, 0);
    for (let r = 0; r < this.rules.length; r++) {
      if (this.guarded(r)) continue;
      this.leavesOf(r, r + 1);
      if (this.verdict(r) === TRUE) out.push(this.rules[r].id);
    }
  }
}
