import { leavesOf, type Condition, type RuleDefinition } from '../measures/rule.types';

/** A quote with whitespace, punctuation and symbols removed: the same sentence in two documents compares equal. */
export function normalizedQuote(quote: string): string {
  return quote.replace(/[\s\p{P}\p{S}]/gu, '');
}

function bigrams(s: string): Set<string> {
  const out = new Set<string>();
  for (let i = 0; i + 1 < s.length; i++) out.add(s.slice(i, i + 2));
  return out;
}

/** Dice similarity of two bigram sets. */
function dice(a: Set<string>, b: Set<string>): number {
  if (!a.size || !b.size) return 0;
  let shared = 0;
  for (const x of a) if (b.has(x)) shared++;
  return (2 * shared) / (a.size + b.size);
}

/** Two quotes at or above this bigram similarity are "nearly the same sentence". */
export const NEAR_SAME_QUOTE = 0.8;

/** The conditions beyond the district, without names: what two entries of the same sentence must agree on. */
function conditionShape(c: Condition): unknown {
  if ('fact' in c) {
    const value = Array.isArray(c.value) ? [...(c.value as unknown[])].map(String).sort() : c.value;
    return [c.fact, c.path ?? '', c.operator, value];
  }
  const kids = 'all' in c ? c.all : 'any' in c ? c.any : [c.not];
  const op = 'all' in c ? 'all' : 'any' in c ? 'any' : 'not';
  const shapes = kids
    .filter((k) => !('fact' in k && k.fact === 'location' && k.path === '$.district'))
    .map((k) => JSON.stringify(conditionShape(k)))
    .sort();
  return op === 'not' ? [op, shapes] : shapes.length === 1 ? JSON.parse(shapes[0]) : [op, shapes];
}

export interface SameSentencePair {
  a: RuleDefinition;
  b: RuleDefinition;
  differs: string[];
}

/** Entries of different documents whose quotes are the same sentence, or nearly; bigram sets are built once per entry. */
export function sameSentencePairs(rules: readonly RuleDefinition[]): SameSentencePair[] {
  const items = rules.map((r) => {
    const q = normalizedQuote(r.event.params.source.quote);
    return { r, q, grams: bigrams(q), shape: JSON.stringify(conditionShape(r.conditions)), leaves: leavesOf(r.conditions).length };
  });
  const out: SameSentencePair[] = [];
  for (let i = 0; i < items.length; i++)
    for (let j = i + 1; j < items.length; j++) {
      const x = items[i];
      const y = items[j];
      if (x.r.event.params.source.documentId === y.r.event.params.source.documentId) continue;
      // Length ratio bounds the Dice score from above: skip pairs that cannot reach it.
      const [short, long] = x.q.length < y.q.length ? [x.q, y.q] : [y.q, x.q];
      if (short.length < 8) continue;
      const contained = long.includes(short) && short.length * 2 >= long.length;
      if (!contained && (2 * short.length) / (short.length + long.length) < NEAR_SAME_QUOTE) continue;
      if (!contained && dice(x.grams, y.grams) < NEAR_SAME_QUOTE) continue;
      const differs: string[] = [];
      if (x.r.event.params.kind !== y.r.event.params.kind) differs.push(`kind ${x.r.event.params.kind} / ${y.r.event.params.kind}`);
      if (x.shape !== y.shape) differs.push('conditions beyond the district');
      out.push({ a: x.r, b: y.r, differs });
    }
  return out;
}

/** A pair of the same sentence that differs in kind or conditions needs a written reason on either entry. */
export function crossDocumentFindings(rules: readonly RuleDefinition[]): string[] {
  const out: string[] = [];
  for (const { a, b, differs } of sameSentencePairs(rules)) {
    if (!differs.length) continue;
    const explained = [a, b].some((r, k) =>
      (r.event.params.crossDocument ?? []).some((n) => n.measureId === (k === 0 ? b : a).name && n.reason.trim().length > 0),
    );
    if (!explained)
      out.push(
        `${a.name} and ${b.name} quote the same sentence but differ (${differs.join('; ')}): align them, or give crossDocument [{ measureId, reason }] on one of them`,
      );
  }
  for (const r of rules)
    for (const n of r.event.params.crossDocument ?? [])
      if (!rules.some((x) => x.name === n.measureId)) out.push(`${r.name}: crossDocument names ${n.measureId}, which is not in the catalog`);
  return out;
}
