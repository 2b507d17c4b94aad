import {
  childrenOf,
  factKeyOf,
  fieldLabel,
  isLeaf,
  labelOf,
  profileField,
  sectorWithin,
  type Condition,
  type Lang,
  type LeafCondition,
} from '@matcher/catalog';
import type { RuleWords, Words } from './types';

const COMPARATORS: Record<string, string> = {
  greaterThanInclusive: '≥',
  greaterThan: '>',
  lessThanInclusive: '≤',
  lessThan: '<',
};

function codesOf(value: unknown): string[] {
  return Array.isArray(value) ? value.map(String) : [String(value)];
}

function list(fact: string, codes: string[], lang: Lang): string {
  return codes.map((c) => labelOf(fact, c, lang)).join(lang === 'zh' ? '、' : ', ');
}

function unitOf(fact: string, lang: Lang): string {
  const unit = profileField(fact)?.unit;
  const text = unit ? unit[lang] : '';
  return text ? (lang === 'zh' ? text : ` ${text}`) : '';
}

/** The rule's requirement in words: "行业属于：生命健康" / "Sector within: Life health". */
export function conditionWords(leaf: LeafCondition, factKey: string, negated: boolean): Words {
  const say = (lang: Lang): string => {
    const field = fieldLabel(factKey, lang);
    const cmp = COMPARATORS[leaf.operator];
    let text: string;
    if (cmp) text = `${field} ${cmp} ${String(leaf.value)}${unitOf(factKey, lang)}`;
    else {
      const codes = codesOf(leaf.value);
      const many = codes.length > 1;
      const verb: Record<string, [string, string]> = {
        sectorIn: ['属于', many ? 'within any of' : 'within'],
        hasAny: [many ? '包括其一' : '包括', many ? 'includes any of' : 'includes'],
        in: [many ? '为其一' : '为', many ? 'is one of' : 'is'],
        equal: ['为', 'is'],
      };
      const [zhVerb, enVerb] = verb[leaf.operator] ?? [leaf.operator, leaf.operator];
      text = lang === 'zh' ? `${field}${zhVerb}：${list(factKey, codes, lang)}` : `${field} ${enVerb}: ${list(factKey, codes, lang)}`;
    }
    return negated ? (lang === 'zh' ? `不满足（${text}）` : `not (${text})`) : text;
  };
  return { zh: say('zh'), en: say('en') };
}

/**
 * The rule's codes as a Set, for satisfyingValues; null when a Set cannot stand in for `some(sectorWithin)`
 * (an empty code). Callers that ask often (the rule plans) compute it once per leaf.
 */
export function wantedCodes(leaf: LeafCondition): ReadonlySet<string> | null {
  const codes = codesOf(leaf.value);
  return codes.includes('') ? null : new Set(codes);
}

/**
 * The profile values that satisfied a leaf: for lists only the ones that matched. `wanted` is
 * wantedCodes(leaf), passed in by callers that hold it; a sector matches when it or one of its ancestors
 * (a prefix ending before a "/") is wanted.
 */
export function satisfyingValues(leaf: LeafCondition, value: unknown, wanted: ReadonlySet<string> | null = wantedCodes(leaf)): unknown[] {
  if (!Array.isArray(value)) return [value];
  const op = leaf.operator;
  if (op !== 'sectorIn' && op !== 'hasAny') return value;
  if (!wanted) {
    const codes = codesOf(leaf.value);
    return value.filter((v) => codes.some((c) => (op === 'sectorIn' ? sectorWithin(String(v), c) : String(v) === c)));
  }
  const out: unknown[] = [];
  for (const v of value) {
    const s = String(v);
    let hit = wanted.has(s);
    if (!hit && op === 'sectorIn') for (let j = s.indexOf('/'); j >= 0 && !hit; j = s.indexOf('/', j + 1)) hit = wanted.has(s.slice(0, j));
    if (hit) out.push(v);
  }
  return out;
}

/** A held condition with the profile value that satisfied it: "行业：生命健康/创新药". */
export function heldWords(leaf: LeafCondition, factKey: string, values: unknown[], relocation: boolean): Words {
  const say = (lang: Lang): string => {
    const field = fieldLabel(factKey, lang);
    const shown =
      typeof values[0] === 'number'
        ? `${String(values[0])}${unitOf(factKey, lang)}（${COMPARATORS[leaf.operator] ?? ''} ${String(leaf.value)}）`
            .replace('（', lang === 'zh' ? '（' : ' (')
            .replace('）', lang === 'zh' ? '）' : ')')
        : list(factKey, values.map(String), lang);
    const text = lang === 'zh' ? `${field}：${shown}` : `${field}: ${shown}`;
    if (relocation && factKey === 'location.district') return lang === 'zh' ? `${text}（迁入情景）` : `${text} (relocation scenario)`;
    return text;
  };
  return { zh: say('zh'), en: say('en') };
}

const BLOCK_WORDS = {
  all: { zh: '同时满足', en: 'All of' },
  any: { zh: '满足其一', en: 'Any of' },
  not: { zh: '不满足', en: 'None of' },
} as const;

/** A rule's conditions as a tree of sentences, for the measure page; `basis` gives each condition's words of the text. */
export function ruleInWords(condition: Condition, basis: Readonly<Record<string, string>> = {}): RuleWords {
  if (isLeaf(condition)) {
    const phrase = basis[condition.name];
    return {
      name: condition.name,
      kind: 'condition',
      fact: factKeyOf(condition),
      ...conditionWords(condition, factKeyOf(condition), false),
      ...(phrase ? { basis: phrase } : {}),
    };
  }
  const kind = 'all' in condition ? 'all' : 'any' in condition ? 'any' : 'not';
  return { name: condition.name, kind, ...BLOCK_WORDS[kind], children: childrenOf(condition).map((c) => ruleInWords(c, basis)) };
}
