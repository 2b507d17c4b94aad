import { canonicalJson, factKeyOf, leavesOf, type Catalog, type Measure, type RuleDefinition } from '@matcher/catalog';
import type { MeasureChange, MeasureDiffEntry, RulesetDiff, Words } from './types';
import { conditionWords } from './words';

function entry(m: Measure): MeasureDiffEntry {
  return { measureId: m.id, district: m.district, title: m.title, titleEn: m.titleEn, documentId: m.source.documentId };
}

// Key order aside: stored content comes back from jsonb with its keys reordered.
const same = (a: unknown, b: unknown): boolean => canonicalJson(a) === canonicalJson(b);

const FIELD_WORDS: Record<string, Words> = {
  title: { zh: '标题', en: 'Title' },
  titleEn: { zh: '英文标题', en: 'English title' },
  summary: { zh: '摘要', en: 'Summary' },
  summaryEn: { zh: '英文摘要', en: 'English summary' },
  kind: { zh: '类别', en: 'Kind' },
  supportType: { zh: '支持方式', en: 'Support type' },
  quote: { zh: '原文引文', en: 'Quote' },
  section: { zh: '所在章节', en: 'Section' },
  documentId: { zh: '来源文件', en: 'Source document' },
};

function show(v: unknown): string {
  if (v === null || v === undefined) return '—';
  if (Array.isArray(v)) return v.map(show).join('、');
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
}

function validityWords(v: Measure['validity']): Words {
  if (!v.validFrom && !v.validTo) return { zh: '未载明期限', en: 'no term stated' };
  return { zh: `${v.validFrom ?? '…'} 至 ${v.validTo ?? '…'}`, en: `${v.validFrom ?? '…'} to ${v.validTo ?? '…'}` };
}

/** The leaf conditions of a rule by name, each in words (negated under a `not`). */
function conditionsOf(rule: RuleDefinition): Map<string, Words> {
  const out = new Map<string, Words>();
  const walk = (c: RuleDefinition['conditions'] | Parameters<typeof leavesOf>[0], negated: boolean): void => {
    if ('fact' in c) out.set(c.name, conditionWords(c, factKeyOf(c), negated));
    else if ('all' in c) c.all.forEach((x) => walk(x, negated));
    else if ('any' in c) c.any.forEach((x) => walk(x, negated));
    else walk(c.not, !negated);
  };
  walk(rule.conditions, false);
  return out;
}

/** How the shape of a rule's condition tree reads: which blocks (all/any/not) hold which condition names. */
function shapeOf(c: RuleDefinition['conditions'] | Parameters<typeof leavesOf>[0]): string {
  if ('fact' in c) return c.name;
  if ('all' in c) return `all(${c.all.map(shapeOf).join(',')})`;
  if ('any' in c) return `any(${c.any.map(shapeOf).join(',')})`;
  return `not(${shapeOf(c.not)})`;
}

/** What changed in one measure, conditions included, in words. */
export function measureChanges(before: Measure, after: Measure, ruleBefore: RuleDefinition, ruleAfter: RuleDefinition): MeasureChange[] {
  const changes: MeasureChange[] = [];
  const scalar: [string, unknown, unknown][] = [
    ['title', before.title, after.title],
    ['titleEn', before.titleEn, after.titleEn],
    ['summary', before.summary, after.summary],
    ['summaryEn', before.summaryEn, after.summaryEn],
    ['kind', before.kind, after.kind],
    ['supportType', before.supportType, after.supportType],
    ['quote', before.source.quote, after.source.quote],
    ['section', before.source.section, after.source.section],
    ['documentId', before.source.documentId, after.source.documentId],
  ];
  for (const [field, a, b] of scalar)
    if (!same(a, b))
      changes.push({
        field,
        zh: `${FIELD_WORDS[field].zh}由“${show(a)}”改为“${show(b)}”`,
        en: `${FIELD_WORDS[field].en} changed from “${show(a)}” to “${show(b)}”`,
      });
  if (!same(before.validity, after.validity)) {
    const [a, b] = [validityWords(before.validity), validityWords(after.validity)];
    changes.push({ field: 'validity', zh: `有效期由 ${a.zh} 改为 ${b.zh}`, en: `Validity changed from ${a.en} to ${b.en}` });
  }
  const depts = (m: Measure): string[] => m.departments.map((d) => d.name);
  if (!same(depts(before), depts(after)))
    changes.push({
      field: 'departments',
      zh: `责任部门由 ${show(depts(before))} 改为 ${show(depts(after))}`,
      en: `Departments changed from ${before.departments.map((d) => d.nameEn).join(', ')} to ${after.departments.map((d) => d.nameEn).join(', ')}`,
    });
  if (!same(before.application, after.application)) changes.push({ field: 'application', zh: '申请信息有变化', en: 'Application details changed' });

  const a = conditionsOf(ruleBefore);
  const b = conditionsOf(ruleAfter);
  for (const [name, words] of b) {
    const old = a.get(name);
    if (!old) changes.push({ field: `conditions.${name}`, zh: `新增条件：${words.zh}`, en: `New condition: ${words.en}` });
    else if (!same(old, words))
      changes.push({ field: `conditions.${name}`, zh: `条件由“${old.zh}”改为“${words.zh}”`, en: `Condition changed from “${old.en}” to “${words.en}”` });
  }
  for (const [name, words] of a)
    if (!b.has(name)) changes.push({ field: `conditions.${name}`, zh: `删除条件：${words.zh}`, en: `Condition removed: ${words.en}` });
  if (changes.every((c) => !c.field.startsWith('conditions.')) && shapeOf(ruleBefore.conditions) !== shapeOf(ruleAfter.conditions))
    changes.push({ field: 'conditions', zh: '条件的组合方式（同时满足/满足其一）有变化', en: 'How the conditions combine (all of / any of) changed' });
  return changes;
}

/** Measures added, removed and changed from `from` to `to`, with each change in words (zh/en). */
export function diffCatalogs(
  from: Pick<Catalog, 'version' | 'measures' | 'rules' | 'documents'>,
  to: Pick<Catalog, 'version' | 'measures' | 'rules' | 'documents'>,
): RulesetDiff {
  const before = new Map(from.measures.map((m) => [m.id, m]));
  const after = new Map(to.measures.map((m) => [m.id, m]));
  const rulesBefore = new Map(from.rules.map((r) => [r.name, r]));
  const rulesAfter = new Map(to.rules.map((r) => [r.name, r]));
  const added = to.measures.filter((m) => !before.has(m.id)).map(entry);
  const removed = from.measures.filter((m) => !after.has(m.id)).map(entry);
  const changed: RulesetDiff['changed'] = [];
  for (const m of to.measures) {
    const old = before.get(m.id);
    if (!old) continue;
    const changes = measureChanges(old, m, rulesBefore.get(m.id)!, rulesAfter.get(m.id)!);
    if (changes.length) changed.push({ ...entry(m), changes });
  }
  const docsBefore = new Map(from.documents.map((d) => [d.id, d]));
  const docsAfter = new Map(to.documents.map((d) => [d.id, d]));
  const documents = {
    added: to.documents.filter((d) => !docsBefore.has(d.id)).map((d) => d.id),
    removed: from.documents.filter((d) => !docsAfter.has(d.id)).map((d) => d.id),
    changed: to.documents.filter((d) => docsBefore.has(d.id) && !same(docsBefore.get(d.id), d)).map((d) => d.id),
  };
  return {
    from: from.version,
    to: to.version,
    added,
    removed,
    changed,
    documents,
    summary: {
      zh: `新增 ${added.length} 项措施，删除 ${removed.length} 项，修改 ${changed.length} 项；新增文件 ${documents.added.length} 份，撤回 ${documents.removed.length} 份。`,
      en: `${added.length} measures added, ${removed.length} removed, ${changed.length} changed; ${documents.added.length} documents added, ${documents.removed.length} withdrawn.`,
    },
  };
}
