import { quoteContext, responsibilityParagraphs, stripWhitespace } from '../coverage/document-structure';
import type { DepartmentRecord, DocumentRecord } from '../measures/measure.types';
import { childrenOf, factKeyOf, isLeaf, leavesOf, type Condition, type LeafCondition, type RuleDefinition } from '../measures/rule.types';
import { profileField, ruleCodes } from '../taxonomy/taxonomy';
import { basisFindings } from './basis-findings';
import type { RuleEvaluator } from './evaluator';

/** Id prefix per document (docs/catalog-authoring.md, "Documents"). */
export const ID_PREFIXES: Readonly<Record<string, string>> = {
  'jingan-modern-industry-measures-2024': 'jingan-2024-',
  'jingan-industry-14th-five-year-plan-2021': 'jingan-plan-',
  'xuhui-five-type-economy-opinions': 'xuhui-5te-',
  'xuhui-sci-tech-innovation-14th-five-year-plan': 'xuhui-sti-',
  'qingpu-cppcc-proposal-168-reply-2022': 'qingpu-168-',
};

/** The document whose measures name their responsible departments, and how many titled measures it has. */
export const JINGAN_2024 = 'jingan-modern-industry-measures-2024';
export const JINGAN_2024_MEASURES = 41;

const KEBAB = /^[a-z0-9]+(-[a-z0-9]+)*$/;
const SCALAR_OPERATORS = new Set(['equal', 'notEqual']);
const LIST_VALUE_OPERATORS = new Set(['in', 'notIn']);
const COMPARATORS = new Set(['lessThan', 'lessThanInclusive', 'greaterThan', 'greaterThanInclusive']);

export interface RuleContext {
  documents: ReadonlyMap<string, DocumentRecord>;
  /** `${district}:${name}` → the directory's department. */
  departmentKeys: ReadonlyMap<string, Pick<DepartmentRecord, 'name' | 'fullName'>>;
  evaluator: RuleEvaluator;
}

function namesOf(c: Condition, out: string[] = []): string[] {
  out.push(c.name);
  if (!isLeaf(c)) childrenOf(c).forEach((x) => namesOf(x, out));
  return out;
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** A leaf's fact, path, operator and codes against profile v1 (+ the documented extension). */
function leafFindings(leaf: LeafCondition, district: string, operators: ReadonlySet<string>): string[] {
  const out: string[] = [];
  const at = `condition ${leaf.name}`;
  const known = operators.has(leaf.operator);
  if (!known) out.push(`${at}: operator ${String(leaf.operator)} is not in the engine's OPERATORS table`);
  const key = factKeyOf(leaf);
  const field = profileField(key);
  if (!field) return [...out, `${at}: fact ${key} is not a field of profile v1`];
  if (key.startsWith('additional')) return [...out, `${at}: name extension codes under the field they extend, not ${key}`];
  if (!known) return out;
  const values = Array.isArray(leaf.value) ? leaf.value : [leaf.value];
  if (field.kind === 'number') {
    if (!COMPARATORS.has(leaf.operator) && !SCALAR_OPERATORS.has(leaf.operator)) out.push(`${at}: ${leaf.operator} does not compare a number (${key})`);
    if (typeof leaf.value !== 'number') out.push(`${at}: ${key} needs a number, not ${JSON.stringify(leaf.value)}`);
    return out;
  }
  const allowed = new Set(ruleCodes(key));
  for (const v of values) if (!allowed.has(v as string)) out.push(`${at}: ${JSON.stringify(v)} is not a ${key} code`);
  if (field.kind === 'code') {
    if (SCALAR_OPERATORS.has(leaf.operator) ? Array.isArray(leaf.value) : !LIST_VALUE_OPERATORS.has(leaf.operator) || !Array.isArray(leaf.value))
      out.push(`${at}: ${key} holds one code; use equal with a code or in with a list, not ${leaf.operator} ${JSON.stringify(leaf.value)}`);
    if (key === 'location.area') for (const v of values) if (!String(v).startsWith(`${district}/`)) out.push(`${at}: area ${String(v)} is not in ${district}`);
  } else {
    const listOperator = key === 'sectors' ? 'sectorIn' : 'hasAny';
    if (leaf.operator !== listOperator || !Array.isArray(leaf.value))
      out.push(`${at}: ${key} is a list; test it with ${listOperator} and a list of codes, not ${leaf.operator}`);
  }
  return out;
}

/** The kind vocabulary (issue 10): what a measure or a priority must say about itself. */
export function vocabularyFindings(rule: RuleDefinition): string[] {
  const p = rule.event.params;
  const out: string[] = [];
  if (p.kind !== 'measure' && p.kind !== 'priority') out.push(`kind must be "measure" or "priority", not ${JSON.stringify(p.kind)}`);
  const onlyOther = p.supportType.length === 1 && p.supportType[0] === 'other';
  if (p.kind === 'measure' && onlyOther && !p.supportTypeNote?.trim())
    out.push('a measure whose only support type is "other" needs supportTypeNote saying why (or the right support type)');
  if (p.supportTypeNote !== undefined && !onlyOther) out.push('supportTypeNote explains an "other"-only support type; this one has a type');
  if (p.precision === 'broad') {
    if (!p.precisionNote?.trim() || !p.precisionNoteEn?.trim())
      out.push('precision "broad" needs precisionNote and precisionNoteEn saying what the company must check itself');
  } else if (p.precisionNote !== undefined || p.precisionNoteEn !== undefined) out.push('precisionNote/precisionNoteEn without precision "broad"');
  return out;
}

/** Everything a single rule must satisfy besides the schema. `text` is its document's text when known. */
export function ruleFindings(rule: RuleDefinition, district: string, documentId: string, ctx: RuleContext, text: string | undefined): string[] {
  const out: string[] = [];
  const p = rule.event.params;
  if (rule.name !== p.measureId) out.push(`name ${rule.name} differs from event.params.measureId ${p.measureId}`);
  if (!KEBAB.test(rule.name)) out.push(`id ${rule.name} is not kebab-case`);
  const prefix = ID_PREFIXES[documentId];
  if (prefix && !rule.name.startsWith(prefix)) out.push(`id does not start with ${prefix}`);
  if (p.district !== district) out.push(`district ${p.district} differs from the file's folder ${district}`);
  if (p.source.documentId !== documentId) out.push(`source.documentId ${p.source.documentId} differs from the file ${documentId}.json`);
  const doc = ctx.documents.get(p.source.documentId);
  if (!doc) out.push(`source.documentId ${p.source.documentId} is not in seeds/catalog/documents.json`);
  else {
    if (doc.district !== p.district) out.push(`district ${p.district} differs from the document's ${doc.district}`);
    if (!sameJson(p.validity, doc.validity)) out.push(`validity ${JSON.stringify(p.validity)} differs from the document's ${JSON.stringify(doc.validity)}`);
  }
  if (p.validity.validFrom && p.validity.validTo && p.validity.validFrom > p.validity.validTo) out.push('validity: validFrom is after validTo');
  if ((p.validity.validFrom === null) !== (p.validity.basis === 'unknown') || (p.validity.validTo === null) !== (p.validity.basis === 'unknown'))
    out.push(`validity: basis ${p.validity.basis} does not fit ${p.validity.validFrom ?? 'null'}..${p.validity.validTo ?? 'null'}`);
  out.push(...vocabularyFindings(rule));
  out.push(...basisFindings(rule, text));

  if (text !== undefined) {
    const flat = stripWhitespace(text);
    const quoteAt = flat.indexOf(stripWhitespace(p.source.quote));
    if (quoteAt < 0) out.push(`quote is not verbatim in the document: ${p.source.quote}`);
    let previous = -1;
    for (const s of p.source.section) {
      const heading = stripWhitespace(s);
      if (!flat.includes(heading)) out.push(`section heading is not in the document: ${s}`);
      else if (quoteAt >= 0) {
        // Outermost first, each heading the last one of its text before the quote (the contents list comes earlier).
        const at = flat.lastIndexOf(heading, quoteAt);
        if (at <= previous) out.push(`section path is not in document order before the quote at: ${s}`);
        previous = at;
      }
    }
  }

  for (const d of p.departments)
    if (!ctx.departmentKeys.has(`${p.district}:${d.name}`))
      out.push(`department ${d.name} is not in the ${p.district} directory (seeds/catalog/departments.json)`);
  const names = p.departments.map((d) => d.name);
  if (new Set(names).size !== names.length) out.push(`departments repeat a name: ${names.join('、')}`);
  if (text !== undefined && documentId === JINGAN_2024) {
    const paragraph = responsibilityParagraphs(text).find((x) => x.lead === p.title);
    if (!paragraph) out.push(`title ${p.title} is not the lead phrase of a (责任部门:…) paragraph`);
    else {
      if (!sameJson(names, paragraph.departments))
        out.push(`departments ${names.join('、')} differ from the document's (责任部门:${paragraph.departments.join('、')})`);
      if (!stripWhitespace(paragraph.text).includes(stripWhitespace(p.source.quote))) out.push(`quote is not from the paragraph titled ${p.title}`);
    }
    for (const d of p.departments) if (d.source !== 'document') out.push(`department ${d.name}: source must be "document" (the text names it)`);
  } else if (text !== undefined) {
    const context = quoteContext(text, p.source.quote);
    for (const d of p.departments) {
      const dept = ctx.departmentKeys.get(`${p.district}:${d.name}`);
      const named = context !== undefined && [d.name, dept?.fullName].some((n) => n && context.includes(stripWhitespace(n)));
      if (named && d.source !== 'document') out.push(`department ${d.name}: the quote's paragraph names it, so source is "document"`);
      if (!named && d.source !== 'inferred') out.push(`department ${d.name}: the quote's paragraph does not name it, so source is "inferred"`);
    }
  }

  const c = rule.conditions;
  const first = 'all' in c ? c.all[0] : undefined;
  if (
    !first ||
    !isLeaf(first) ||
    first.name !== 'location' ||
    first.fact !== 'location' ||
    first.path !== '$.district' ||
    first.operator !== 'equal' ||
    first.value !== district
  )
    out.push(
      `the first condition must be { name: "location", fact: "location", path: "$.district", operator: "equal", value: "${district}" } inside a top-level all`,
    );
  const all = namesOf(c);
  const dup = [...new Set(all.filter((n, i) => all.indexOf(n) !== i))];
  if (dup.length) out.push(`condition names repeat: ${dup.join(', ')}`);
  const operators = new Set(ctx.evaluator.operators);
  for (const leaf of leavesOf(c)) out.push(...leafFindings(leaf, district, operators));
  try {
    ctx.evaluator.prepare(rule);
  } catch (e) {
    out.push(`the compiled evaluator rejects it: ${(e as Error).message}`);
  }
  return out;
}
