import type { CatalogContent, RuleCase } from '../content';
import {
  DISTRICTS,
  MEASURE_KINDS,
  SUPPORT_TYPES,
  type Condition,
  type LeafCondition,
  type RuleDefinition,
  type SupportType,
  type Validity,
} from '../measures/rule.types';
import type { DocumentRecord } from '../measures/measure.types';
import { KEBAB } from '../catalog-files.schema';
import { extractHeadings, stripWhitespace } from '../coverage/document-structure';
import type { RuleEvaluator } from '../check/evaluator';
import type { CompanyProfile } from '../profile/profile.types';
import { termWithValidity } from './term';
import type { DraftEdit, MeasureFields } from './draft-edit.types';

/**
 * Where a quote sits: the last heading (or bold phrase) before it, else the text's first line (its title).
 * The section path rules:check asks every measure for, when the editor gives none.
 */
function sectionOf(text: string, quote: string): string[] {
  const at = text.indexOf(quote);
  const line = at < 0 ? Infinity : text.slice(0, at).split('\n').length;
  const before = extractHeadings(text).filter((h) => h.line <= line && h.kind !== 'lead');
  if (before.length) return [before[before.length - 1].text];
  const first = text
    .split('\n')
    .find((l) => l.trim())
    ?.trim();
  return first ? [first] : [];
}

/*
 * Edits of a draft in place: pure functions from a content (and the live content, to restore from) to the
 * edited content. The shapes are DraftEdit (draft-edit.types.ts, the API contract's); what arrives is checked
 * against them field by field, since a request body is only claimed to be one.
 */

export interface EditProblem {
  path: string;
  message: string;
}

export class EditRefused extends Error {
  constructor(readonly problems: EditProblem[]) {
    super(problems.map((p) => `${p.path}: ${p.message}`).join('; '));
  }
}

export interface EditResult {
  content: CatalogContent;
  /** The document or measure edited. */
  target: string;
  summary: { zh: string; en: string };
}

export type Edit = DraftEdit;
type Fields = MeasureFields;

export const EDIT_ACTIONS = [
  'set-term',
  'withdraw-document',
  'restore-document',
  'withdraw-measure',
  'restore-measure',
  'edit-measure',
  'add-document',
  'add-measure',
] as const;

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const isDate = (v: unknown): v is string => typeof v === 'string' && DATE.test(v) && !Number.isNaN(Date.parse(`${v}T00:00:00Z`));
const isText = (v: unknown): v is string => typeof v === 'string' && v.trim().length > 0;
const kebab = new RegExp(KEBAB);

/** How each profile fact is tested by a condition built from codes (docs/catalog-authoring.md). */
const FACT_OPERATORS: Record<string, { fact: string; path?: string; operator: string }> = {
  sectors: { fact: 'sectors', operator: 'sectorIn' },
  roles: { fact: 'roles', operator: 'hasAny' },
  qualifications: { fact: 'qualifications', operator: 'hasAny' },
  plans: { fact: 'plans', operator: 'hasAny' },
  headquarters: { fact: 'headquarters', operator: 'hasAny' },
  talent: { fact: 'talent', operator: 'hasAny' },
  ownership: { fact: 'ownership', operator: 'in' },
  size: { fact: 'size', operator: 'in' },
  listing: { fact: 'listing', operator: 'in' },
  'location.area': { fact: 'location', path: '$.area', operator: 'in' },
};
export const CONDITION_FACTS = Object.keys(FACT_OPERATORS);

function clone<T>(v: T): T {
  return structuredClone(v);
}

function copyOf(content: CatalogContent): CatalogContent {
  return {
    districts: content.districts,
    documents: [...content.documents],
    departments: content.departments,
    texts: { ...content.texts },
    rules: { ...content.rules },
    coverage: { ...content.coverage },
    documentDepartments: { ...content.documentDepartments },
    cases: { ...content.cases },
  };
}

function findMeasure(content: CatalogContent, measureId: string): { documentId: string; index: number; rule: RuleDefinition } | null {
  for (const [documentId, rules] of Object.entries(content.rules)) {
    const index = rules.findIndex((r) => r.name === measureId);
    if (index >= 0) return { documentId, index, rule: rules[index] };
  }
  return null;
}

function validityProblems(v: unknown, path: string): EditProblem[] {
  const x = v as Partial<Validity> | null;
  if (!x || typeof x !== 'object') return [{ path, message: 'must be { validFrom, validTo, basis }' }];
  const out: EditProblem[] = [];
  for (const k of ['validFrom', 'validTo'] as const)
    if (x[k] !== null && !isDate(x[k])) out.push({ path: `${path}.${k}`, message: 'must be a real date written YYYY-MM-DD, or null' });
  if (!['stated', 'plan-period', 'unknown'].includes(String(x.basis))) out.push({ path: `${path}.basis`, message: 'must be stated, plan-period or unknown' });
  if (!out.length && x.validFrom && x.validTo && x.validFrom > x.validTo) out.push({ path: `${path}.validTo`, message: 'must not be before validFrom' });
  return out;
}

/** Checks measure fields and applies them to a rule's params; department names are the district's directory's. */
function applyFields(content: CatalogContent, rule: RuleDefinition, fields: Fields, at: string): EditProblem[] {
  const problems: EditProblem[] = [];
  const p = rule.event.params;
  if (!fields || typeof fields !== 'object') return [{ path: at, message: 'must be an object of fields' }];
  for (const k of ['title', 'titleEn', 'summary', 'summaryEn'] as const)
    if (fields[k] !== undefined) {
      if (!isText(fields[k])) problems.push({ path: `${at}.${k}`, message: 'must be a non-empty text' });
      else p[k] = fields[k].trim();
    }
  if (fields.kind !== undefined) {
    if (!(MEASURE_KINDS as readonly string[]).includes(fields.kind))
      problems.push({ path: `${at}.kind`, message: `must be one of ${MEASURE_KINDS.join(', ')}` });
    else p.kind = fields.kind;
  }
  if (fields.supportType !== undefined) {
    if (!Array.isArray(fields.supportType) || !fields.supportType.length || fields.supportType.some((t) => !(SUPPORT_TYPES as readonly string[]).includes(t)))
      problems.push({ path: `${at}.supportType`, message: `must list one or more of ${SUPPORT_TYPES.join(', ')}` });
    else p.supportType = [...new Set(fields.supportType)] as SupportType[];
  }
  if (fields.departments !== undefined) {
    const known = new Set(content.departments.filter((d) => d.district === p.district).map((d) => d.name));
    if (!Array.isArray(fields.departments)) problems.push({ path: `${at}.departments`, message: 'must list department names' });
    else {
      fields.departments.forEach((name, i) => {
        if (!known.has(name)) problems.push({ path: `${at}.departments[${i}]`, message: `${String(name)} is not in the ${p.district} directory` });
      });
      const previous = new Map(p.departments.map((d) => [d.name, d]));
      p.departments = [...new Set(fields.departments)].map((name) => previous.get(name) ?? { name, source: 'document' as const });
    }
  }
  if (fields.validity !== undefined) {
    const vp = validityProblems(fields.validity, `${at}.validity`);
    if (vp.length) problems.push(...vp);
    else p.validity = { validFrom: fields.validity.validFrom, validTo: fields.validity.validTo, basis: fields.validity.basis };
  }
  if (fields.application !== undefined) {
    const a = fields.application;
    if (a === null) delete p.application;
    else if (typeof a !== 'object') problems.push({ path: `${at}.application`, message: 'must be an object or null' });
    else {
      for (const k of ['opens', 'closes'] as const)
        if (a[k] !== undefined && !isDate(a[k])) problems.push({ path: `${at}.application.${k}`, message: 'must be a date YYYY-MM-DD' });
      if (a.opens && a.closes && a.opens > a.closes) problems.push({ path: `${at}.application.closes`, message: 'must not be before opens' });
      // The rule schema checks the rest of the shape, as rules:check does.
      p.application = clone(a);
    }
  }
  if (fields.replaces !== undefined) {
    if (!Array.isArray(fields.replaces) || fields.replaces.some((r) => typeof r !== 'string' || !kebab.test(r)))
      problems.push({ path: `${at}.replaces`, message: 'must list measure ids' });
    else if (fields.replaces.includes(p.measureId)) problems.push({ path: `${at}.replaces`, message: 'a measure cannot replace itself' });
    else if (fields.replaces.length) p.replaces = [...new Set(fields.replaces)];
    else delete p.replaces;
  }
  return problems;
}

function conditionName(fact: string, values: string[], taken: Set<string>): string {
  const base =
    (values[0] ?? fact)
      .split('/')
      .pop()!
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '') || fact.replace(/\W+/g, '-');
  let name = base;
  for (let i = 2; taken.has(name); i++) name = `${base}-${i}`;
  taken.add(name);
  return name;
}

/** Applies one edit to a draft's content. `live` is the content live now (what a withdrawn part is restored from). Throws EditRefused. */
export function applyDraftEdit(draft: CatalogContent, live: CatalogContent, edit: Edit, evaluator?: RuleEvaluator): EditResult {
  const content = copyOf(draft);
  const refuse = (path: string, message: string): never => {
    throw new EditRefused([{ path, message }]);
  };
  if (!edit || typeof edit !== 'object' || !(EDIT_ACTIONS as readonly string[]).includes((edit as { action?: string }).action ?? ''))
    refuse('action', `must be one of ${EDIT_ACTIONS.join(', ')}`);
  const docAt = (id: unknown): number => {
    const i = content.documents.findIndex((d) => d.id === id);
    if (i < 0) refuse('documentId', `no document ${String(id)} in the draft`);
    return i;
  };

  switch (edit.action) {
    case 'set-term': {
      const i = docAt(edit.documentId);
      const problems = validityProblems({ validFrom: edit.validFrom, validTo: edit.validTo, basis: 'stated' }, 'validity');
      if (edit.term !== undefined && !isText(edit.term)) problems.push({ path: 'term', message: 'must be a non-empty text' });
      if (edit.termEn !== undefined && !isText(edit.termEn)) problems.push({ path: 'termEn', message: 'must be a non-empty text' });
      if (problems.length) throw new EditRefused(problems);
      const doc = clone(content.documents[i]);
      const basis = edit.validTo === null && edit.validFrom === null ? 'unknown' : doc.validity.basis === 'unknown' ? 'stated' : doc.validity.basis;
      const validity: Validity = { validFrom: edit.validFrom, validTo: edit.validTo, basis };
      // The term's own words follow the new dates where they can be rewritten; otherwise the check flags them.
      doc.term = edit.term?.trim() ?? termWithValidity(doc.term, doc.validity, validity, 'zh');
      doc.termEn = edit.termEn?.trim() ?? termWithValidity(doc.termEn, doc.validity, validity, 'en');
      doc.validity = validity;
      content.documents[i] = doc;
      content.rules[doc.id] = (content.rules[doc.id] ?? []).map((r) => {
        const rule = clone(r);
        rule.event.params.validity = { ...validity };
        return rule;
      });
      const words = (lang: 'zh' | 'en'): string =>
        `${edit.validFrom ?? (lang === 'zh' ? '未载明' : 'unstated')} – ${edit.validTo ?? (lang === 'zh' ? '未载明' : 'unstated')}`;
      return {
        content,
        target: doc.id,
        summary: {
          zh: `《${doc.title}》及其 ${content.rules[doc.id].length} 项措施的有效期改为 ${words('zh')}`,
          en: `Validity of “${doc.titleEn}” and its ${content.rules[doc.id].length} measures set to ${words('en')}`,
        },
      };
    }
    case 'withdraw-document': {
      const i = docAt(edit.documentId);
      const doc = content.documents[i];
      content.documents.splice(i, 1);
      for (const key of ['texts', 'rules', 'coverage', 'documentDepartments', 'cases'] as const) delete content[key][doc.id];
      return { content, target: doc.id, summary: { zh: `撤回文件《${doc.title}》`, en: `Withdrew “${doc.titleEn}”` } };
    }
    case 'restore-document': {
      if (content.documents.some((d) => d.id === edit.documentId)) refuse('documentId', `${edit.documentId} is in the draft already`);
      const doc = live.documents.find((d) => d.id === edit.documentId) ?? refuse('documentId', `${String(edit.documentId)} is not in the live version`);
      content.documents.push(doc);
      for (const key of ['texts', 'rules', 'coverage', 'documentDepartments', 'cases'] as const)
        if (live[key][doc.id] !== undefined) (content[key] as Record<string, unknown>)[doc.id] = live[key][doc.id];
      return { content, target: doc.id, summary: { zh: `恢复文件《${doc.title}》`, en: `Restored “${doc.titleEn}”` } };
    }
    case 'withdraw-measure': {
      const found = findMeasure(content, edit.measureId) ?? refuse('measureId', `no measure ${String(edit.measureId)} in the draft`);
      const { documentId, rule } = found;
      content.rules[documentId] = content.rules[documentId].filter((r) => r.name !== rule.name);
      if (content.cases[documentId]?.[rule.name]) {
        const cases = { ...content.cases[documentId] };
        delete cases[rule.name];
        content.cases[documentId] = cases;
      }
      if (content.coverage[documentId])
        content.coverage[documentId] = content.coverage[documentId]
          .map((e) => {
            if (!e.measures?.includes(rule.name)) return e;
            const measures = e.measures.filter((m) => m !== rule.name);
            // A heading left with no measure is still accounted for: its measure was withdrawn.
            return measures.length || e.reason || e.heading === rule.event.params.source.quote
              ? { ...e, measures }
              : { ...e, measures, reason: 'withdrawn' as const, note: `withdrawn: ${rule.name}` };
          })
          // An entry made for this measure's quote alone goes with it.
          .filter((e) => !(e.heading === rule.event.params.source.quote && !e.measures?.length && !e.reason));
      const p = rule.event.params;
      return { content, target: rule.name, summary: { zh: `撤回措施“${p.title}”`, en: `Withdrew “${p.titleEn}”` } };
    }
    case 'restore-measure': {
      if (findMeasure(content, edit.measureId)) refuse('measureId', `${edit.measureId} is in the draft already`);
      const found = findMeasure(live, edit.measureId) ?? refuse('measureId', `${String(edit.measureId)} is not in the live version`);
      const { documentId, index, rule } = found;
      if (!content.documents.some((d) => d.id === documentId)) refuse('measureId', `its document ${documentId} is withdrawn; restore the document`);
      const rules = [...(content.rules[documentId] ?? [])];
      rules.splice(Math.min(index, rules.length), 0, rule);
      content.rules[documentId] = rules;
      const cases = live.cases[documentId]?.[rule.name];
      if (cases) content.cases[documentId] = { ...(content.cases[documentId] ?? {}), [rule.name]: cases };
      const liveCoverage = live.coverage[documentId] ?? [];
      if (content.coverage[documentId])
        content.coverage[documentId] = content.coverage[documentId].map((e) =>
          liveCoverage.some((l) => l.heading === e.heading && l.measures?.includes(rule.name)) && !e.measures?.includes(rule.name)
            ? (({ reason, note, ...rest }) => (reason === 'withdrawn' ? rest : { ...rest, ...(reason ? { reason } : {}), ...(note ? { note } : {}) }))({
                ...e,
                measures: [...(e.measures ?? []), rule.name],
              })
            : e,
        );
      const p = rule.event.params;
      return { content, target: rule.name, summary: { zh: `恢复措施“${p.title}”`, en: `Restored “${p.titleEn}”` } };
    }
    case 'edit-measure': {
      const found = findMeasure(content, edit.measureId) ?? refuse('measureId', `no measure ${String(edit.measureId)} in the draft`);
      const rule = clone(found.rule);
      const problems = applyFields(content, rule, edit.fields, 'fields');
      if (problems.length) throw new EditRefused(problems);
      const rules = [...content.rules[found.documentId]];
      rules[found.index] = rule;
      content.rules[found.documentId] = rules;
      const names = Object.keys(edit.fields ?? {}).join(', ');
      return {
        content,
        target: rule.name,
        summary: { zh: `修改措施“${rule.event.params.title}”：${names}`, en: `Edited “${rule.event.params.titleEn}”: ${names}` },
      };
    }
    case 'add-document': {
      const d = edit.document;
      const problems: EditProblem[] = [];
      if (!d || typeof d !== 'object') refuse('document', 'must be the document record');
      if (typeof d.id !== 'string' || !kebab.test(d.id) || d.id.length > 100)
        problems.push({ path: 'document.id', message: 'must be a lower-case id like jingan-example-2026' });
      else if (content.documents.some((x) => x.id === d.id) || live.documents.some((x) => x.id === d.id))
        problems.push({ path: 'document.id', message: `${d.id} is taken` });
      if (!(DISTRICTS as readonly string[]).includes(d.district))
        problems.push({ path: 'document.district', message: `must be one of ${DISTRICTS.join(', ')}` });
      for (const k of ['title', 'titleEn', 'issuer', 'issuerEn', 'term', 'termEn'] as const)
        if (!isText(d[k])) problems.push({ path: `document.${k}`, message: 'must be a non-empty text' });
      if (d.issuedOn !== null && !isDate(d.issuedOn)) problems.push({ path: 'document.issuedOn', message: 'must be a real date written YYYY-MM-DD, or null' });
      if (d.reference !== undefined && !isText(d.reference)) problems.push({ path: 'document.reference', message: 'must be a non-empty text when given' });
      problems.push(...validityProblems({ validFrom: d.validFrom, validTo: d.validTo, basis: 'stated' }, 'document'));
      if (!isText(edit.text)) problems.push({ path: 'text', message: 'paste the full text of the document' });
      if (problems.length) throw new EditRefused(problems);
      const record: DocumentRecord = {
        id: d.id,
        district: d.district,
        title: d.title.trim(),
        titleEn: d.titleEn.trim(),
        issuer: d.issuer.trim(),
        issuerEn: d.issuerEn.trim(),
        issuedOn: d.issuedOn,
        ...(d.reference ? { reference: d.reference.trim() } : {}),
        term: d.term.trim(),
        termEn: d.termEn.trim(),
        validity: { validFrom: d.validFrom, validTo: d.validTo, basis: d.validFrom || d.validTo ? 'stated' : 'unknown' },
      };
      content.documents.push(record);
      content.texts[d.id] = edit.text.replace(/\r\n?/g, '\n');
      content.rules[d.id] = [];
      content.coverage[d.id] = [];
      content.cases[d.id] = {};
      return { content, target: d.id, summary: { zh: `新增文件《${record.title}》`, en: `Added “${record.titleEn}”` } };
    }
    case 'add-measure': {
      const doc = content.documents[docAt(edit.documentId)];
      const problems: EditProblem[] = [];
      if (typeof edit.measureId !== 'string' || !kebab.test(edit.measureId)) problems.push({ path: 'measureId', message: 'must be a lower-case id' });
      else if (findMeasure(content, edit.measureId) || findMeasure(live, edit.measureId))
        problems.push({ path: 'measureId', message: `${edit.measureId} is taken` });
      const text = content.texts[doc.id] ?? '';
      if (!isText(edit.quote)) problems.push({ path: 'quote', message: 'select the measure’s sentence in the text' });
      else if (!text.includes(edit.quote)) problems.push({ path: 'quote', message: 'is not in the document’s text as written' });
      if (!Array.isArray(edit.conditions)) problems.push({ path: 'conditions', message: 'must be a list' });
      if (!Array.isArray(edit.cases)) problems.push({ path: 'cases', message: 'must be a list' });
      if (problems.length) throw new EditRefused(problems);
      const taken = new Set(['eligibility', 'location']);
      const basis: Record<string, string> = {};
      const leaves: Condition[] = [{ name: 'location', fact: 'location', path: '$.district', operator: 'equal', value: doc.district }];
      edit.conditions.forEach((c, i) => {
        const how = FACT_OPERATORS[c?.fact];
        if (!how) problems.push({ path: `conditions[${i}].fact`, message: `must be one of ${CONDITION_FACTS.join(', ')}` });
        else if (!Array.isArray(c.values) || !c.values.length || c.values.some((v) => typeof v !== 'string'))
          problems.push({ path: `conditions[${i}].values`, message: 'pick one or more codes' });
        else if (!isText(c.basis)) problems.push({ path: `conditions[${i}].basis`, message: 'select the words of the text this condition stands on' });
        else {
          const name = conditionName(c.fact, c.values, taken);
          const leaf: LeafCondition = { name, fact: how.fact, ...(how.path ? { path: how.path } : {}), operator: how.operator, value: [...c.values] };
          leaves.push(leaf);
          basis[name] = c.basis.trim();
        }
      });
      const p = {
        measureId: edit.measureId,
        district: doc.district,
        kind: 'measure',
        title: '',
        titleEn: '',
        summary: '',
        summaryEn: '',
        departments: [],
        source: {
          documentId: doc.id,
          section: Array.isArray(edit.section) && edit.section.some(isText) ? edit.section.filter(isText) : sectionOf(text, edit.quote),
          quote: edit.quote,
        },
        supportType: [],
        validity: { ...doc.validity },
      } as unknown as RuleDefinition['event']['params'];
      const rule: RuleDefinition = { name: edit.measureId, conditions: { name: 'eligibility', all: leaves }, event: { type: 'measure-eligible', params: p } };
      problems.push(...applyFields(content, rule, edit.fields, 'fields'));
      for (const k of ['title', 'titleEn', 'summary', 'summaryEn'] as const) if (!p[k]) problems.push({ path: `fields.${k}`, message: 'is required' });
      if (!p.supportType.length) problems.push({ path: 'fields.supportType', message: 'is required' });
      if (!p.departments.length) problems.push({ path: 'fields.departments', message: 'pick at least one department' });
      const supportTypes: Record<string, string> = {};
      for (const [type, words] of Object.entries(edit.supportTypeBasis ?? {}))
        if (isText(words) && p.supportType.includes(type as SupportType)) supportTypes[type] = words.trim();
      p.basis = { ...(Object.keys(basis).length ? { conditions: basis } : {}), ...(Object.keys(supportTypes).length ? { supportTypes } : {}) };
      if (!Object.keys(p.basis).length) delete p.basis;
      const cases: RuleCase[] = [];
      edit.cases.forEach((c, i) => {
        if (!c || typeof c.profile !== 'object' || c.profile === null) problems.push({ path: `cases[${i}].profile`, message: 'must be a company profile' });
        else if (c.expect !== 'match' && c.expect !== 'no-match') problems.push({ path: `cases[${i}].expect`, message: 'must be match or no-match' });
        else {
          const entry: RuleCase = { case: isText(c.case) ? c.case.trim() : `case ${i + 1}`, profile: clone(c.profile), expect: c.expect, kind: p.kind };
          // A no-match case states its reason as the rule gives it, so the check can hold the rule to it from now on.
          if (c.expect === 'no-match' && evaluator)
            try {
              evaluator.prepare(rule);
              const outcome = evaluator.evaluate(rule, c.profile as CompanyProfile);
              if (outcome.verdict === 'no-match') {
                if (outcome.failed.length) entry.failed = outcome.failed;
                if (outcome.missing.length) entry.missing = outcome.missing;
              }
            } catch {
              // A rule the evaluator cannot run is reported by the check.
            }
          cases.push(entry);
        }
      });
      if (problems.length) throw new EditRefused(problems);
      content.rules[doc.id] = [...(content.rules[doc.id] ?? []), rule];
      // Linked from the coverage entry of its heading (made when the heading has none), as rules:check asks.
      const heading = p.source.section[p.source.section.length - 1];
      const entryHeading = heading && stripWhitespace(text).includes(stripWhitespace(heading)) ? heading : edit.quote;
      const coverage = [...(content.coverage[doc.id] ?? [])];
      const at = coverage.findIndex((e) => e.heading === entryHeading);
      if (at >= 0) coverage[at] = { ...coverage[at], measures: [...(coverage[at].measures ?? []), rule.name] };
      else coverage.push({ heading: entryHeading, measures: [rule.name] });
      content.coverage[doc.id] = coverage;
      if (cases.length) content.cases[doc.id] = { ...(content.cases[doc.id] ?? {}), [rule.name]: cases };
      return { content, target: rule.name, summary: { zh: `新增措施“${p.title}”`, en: `Added “${p.titleEn}”` } };
    }
  }
  return refuse('action', `must be one of ${EDIT_ACTIONS.join(', ')}`);
}
