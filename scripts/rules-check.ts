/**
 * npm run rules:check — the catalog's gate. Checks every rule file, its measure records, the department
 * directory, validity, the test cases and the coverage of every document, prints counts per document
 * and every finding, and exits 1 on any finding. See docs/catalog-authoring.md for the format.
 */
import Ajv2020, { type ErrorObject, type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { Engine } from 'json-rules-engine';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import {
  allowedCodes,
  documentText,
  EXTENSION_CODES,
  EXTENSION_FIELDS,
  factKeyOf,
  isLeaf,
  leavesOf,
  loadCatalog,
  loadDepartments,
  loadDocuments,
  profileField,
  projectRoot,
  quoteContext,
  responsibilityParagraphs,
  ruleCodes,
  ruleFileSchema,
  ruleFiles,
  stripWhitespace,
  validateProfile,
  type Condition,
  type DocumentRecord,
  type LeafCondition,
  type RuleDefinition,
} from '@matcher/catalog';
import { compileRule, matchProfile, OPERATORS, Ruleset } from '@matcher/engine';
import { coverageReports } from './rules-coverage';

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

/** The date a case is evaluated on when it gives none and its measure has no start date. */
export const DEFAULT_CASE_DATE = '2025-06-30';

const KEBAB = /^[a-z0-9]+(-[a-z0-9]+)*$/;

export const CASES_FILE_SCHEMA = {
  $id: 'rule-cases-file',
  type: 'object',
  additionalProperties: {
    type: 'array',
    items: {
      type: 'object',
      additionalProperties: false,
      required: ['case', 'profile', 'expect'],
      properties: {
        case: { type: 'string', minLength: 1 },
        profile: { type: 'object' },
        expect: { enum: ['match', 'no-match', 'not-a-measure'] },
        kind: { enum: ['measure', 'priority'] },
        failed: { type: 'array', minItems: 1, uniqueItems: true, items: { type: 'string', minLength: 1 } },
        missing: { type: 'array', minItems: 1, uniqueItems: true, items: { type: 'string', minLength: 1 } },
        quote: { type: 'string', minLength: 1 },
        asOf: { type: 'string', format: 'date' },
      },
    },
  },
} as const;

export interface CaseDefinition {
  case: string;
  profile: unknown;
  /** `not-a-measure`: the entry was removed from the catalog; no measure quoting `quote` may match the profile. */
  expect: 'match' | 'no-match' | 'not-a-measure';
  /** The entry's kind, asserted against the catalog. */
  kind?: 'measure' | 'priority';
  /** For a no-match: exactly the leaf conditions (by name) that fail. */
  failed?: string[];
  /** For a no-match: exactly the facts (as `plans`, `location.area`, `metrics.employees`) left unknown. */
  missing?: string[];
  quote?: string;
  asOf?: string;
}

export interface DocumentReport {
  /** The document id, or the file for a file that names no known document. */
  documentId: string;
  district: string;
  measures: number;
  cases: number;
  coverageEntries: number;
  findings: string[];
}

export interface CheckReport {
  documents: DocumentReport[];
  /** Findings that belong to no single document. */
  catalog: string[];
  total: { documents: number; measures: number; cases: number; coverageEntries: number; findings: number };
}

const ajv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false, allowUnionTypes: true });
addFormats(ajv, ['date']);
const validateRuleFile = ajv.compile(ruleFileSchema(Object.keys(OPERATORS)));
const validateCasesFile = ajv.compile(CASES_FILE_SCHEMA);

/** Ajv errors as "rules[3].event.params.sourc: must NOT have additional properties 'sourc'". */
function schemaFindings(validate: ValidateFunction, data: unknown, label: (pointer: string) => string): string[] {
  if (validate(data)) return [];
  const errors = (validate.errors ?? []).filter((e: ErrorObject) => e.keyword !== 'if');
  return [
    ...new Set(
      errors.map((e) => {
        const detail =
          e.keyword === 'additionalProperties'
            ? ` '${String(e.params.additionalProperty)}'`
            : e.keyword === 'enum'
              ? `: ${(e.params.allowedValues as unknown[]).join(', ')}`
              : '';
        return `${label(e.instancePath)}: ${e.message ?? 'is invalid'}${detail}`;
      }),
    ),
  ];
}

function pointerPath(pointer: string): string {
  return pointer.replace(/\/(\d+)(?=\/|$)/g, '[$1]').replace(/\//g, '.');
}

function readJson(file: string): { value?: unknown; error?: string } {
  try {
    return { value: JSON.parse(readFileSync(file, 'utf8')) };
  } catch (e) {
    return { error: (e as Error).message };
  }
}

function namesOf(c: Condition, out: string[] = []): string[] {
  out.push(c.name);
  if (isLeaf(c)) return out;
  if ('all' in c) c.all.forEach((x) => namesOf(x, out));
  else if ('any' in c) c.any.forEach((x) => namesOf(x, out));
  else if ('not' in c) namesOf(c.not, out);
  return out;
}

const SCALAR_OPERATORS = new Set(['equal', 'notEqual']);
const LIST_VALUE_OPERATORS = new Set(['in', 'notIn']);
const COMPARATORS = new Set(['lessThan', 'lessThanInclusive', 'greaterThan', 'greaterThanInclusive']);

/** A leaf's fact, path, operator and codes against profile v1 (+ the documented extension). */
function leafFindings(leaf: LeafCondition, district: string): string[] {
  const out: string[] = [];
  const at = `condition ${leaf.name}`;
  if (!OPERATORS[leaf.operator]) out.push(`${at}: operator ${String(leaf.operator)} is not in the engine's OPERATORS table`);
  const key = factKeyOf(leaf);
  const field = profileField(key);
  if (!field) return [...out, `${at}: fact ${key} is not a field of profile v1`];
  if (key === 'additionalSectors' || key === 'additionalRoles') return [...out, `${at}: name extension codes under the field they extend, not ${key}`];
  if (!OPERATORS[leaf.operator]) return out;
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

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

interface Context {
  documents: Map<string, DocumentRecord>;
  departmentKeys: Map<string, { name: string; fullName: string }>;
}

/** Everything a single rule must satisfy besides the schema. */
function ruleFindings(rule: RuleDefinition, district: string, documentId: string, ctx: Context, text: string | undefined): string[] {
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
  for (const leaf of leavesOf(c)) out.push(...leafFindings(leaf, district));
  try {
    compileRule(rule);
  } catch (e) {
    out.push(`the compiled evaluator rejects it: ${(e as Error).message}`);
  }
  return out;
}

/** Test cases of one document: presence, shape, valid profiles, and the outcome the compiled matcher gives. */
function caseFindings(
  root: string,
  file: string,
  measures: RuleDefinition[],
  evaluate: ((rule: RuleDefinition, c: CaseDefinition) => 'match' | 'no-match') | undefined,
): { count: number; findings: string[] } {
  const rel = relative(root, file);
  if (!existsSync(file)) return { count: 0, findings: [`${rel} is missing`] };
  const { value, error } = readJson(file);
  if (error) return { count: 0, findings: [`${rel}: ${error}`] };
  const findings = schemaFindings(validateCasesFile, value, (ptr) => `${rel}${pointerPath(ptr)}`);
  if (!value || typeof value !== 'object' || Array.isArray(value)) return { count: 0, findings };
  const cases = value as Record<string, CaseDefinition[]>;
  const byId = new Map(measures.map((r) => [r.name, r]));
  let count = 0;
  for (const [id, list] of Object.entries(cases)) {
    if (!byId.has(id)) findings.push(`cases for unknown measure ${id}`);
    if (!Array.isArray(list)) continue;
    count += list.length;
    list.forEach((c, i) => {
      const where = `${id} case ${i + 1} "${c?.case}"`;
      const { errors } = validateProfile(c?.profile);
      for (const e of errors) findings.push(`${where}: ${e.path} ${e.message}`);
      const rule = byId.get(id);
      if (rule && evaluate && errors.length === 0 && (c.expect === 'match' || c.expect === 'no-match')) {
        const got = evaluate(rule, c);
        if (got !== c.expect) findings.push(`${where}: expected ${c.expect}, the compiled matcher gives ${got}`);
      }
    });
  }
  for (const r of measures) {
    const list = Array.isArray(cases[r.name]) ? cases[r.name] : [];
    if (!list.some((c) => c?.expect === 'match') || !list.some((c) => c?.expect === 'no-match'))
      findings.push(`${r.name} needs at least one "match" and one "no-match" case`);
  }
  return { count, findings };
}

/** The documented profile extension (libs/catalog/src/data/profile-extensions.json): codes v1 truly lacks. */
function extensionFindings(documents: Map<string, DocumentRecord>): string[] {
  const out: string[] = [];
  for (const c of EXTENSION_CODES) {
    const at = `profile extension ${c.code}`;
    const expected = EXTENSION_FIELDS[c.field]?.extends;
    if (!expected) out.push(`${at}: field ${c.field} is not an extension field`);
    else if (c.extends !== expected) out.push(`${at}: ${c.field} extends ${expected}, not ${c.extends}`);
    if (allowedCodes(c.extends).includes(c.code)) out.push(`${at}: already a ${c.extends} code of profile v1`);
    if (!documents.has(c.documentId)) out.push(`${at}: document ${c.documentId} is not in seeds/catalog/documents.json`);
    if (c.parent !== undefined && (!allowedCodes('sectors').includes(c.parent) || !c.code.startsWith(`${c.parent}/`)))
      out.push(`${at}: parent ${c.parent} is not a v1 sector it lies beneath`);
    if (![c.zh, c.en, c.why].every((t) => typeof t === 'string' && t.trim())) out.push(`${at}: zh, en and why are required`);
  }
  const codes = EXTENSION_CODES.map((c) => c.code);
  for (const dup of new Set(codes.filter((c, i) => codes.indexOf(c) !== i))) out.push(`profile extension ${dup} is listed twice`);
  return out;
}

/** Runs every check on the catalog under `root`. */
export function checkCatalog(root: string = projectRoot()): CheckReport {
  const catalog: string[] = [];
  const documents = new Map(loadDocuments(root).map((d) => [d.id, d]));
  const departmentKeys = new Map(loadDepartments(root).map((d) => [`${d.district}:${d.name}`, d]));
  const ctx: Context = { documents, departmentKeys };

  let evaluate: ((rule: RuleDefinition, c: CaseDefinition) => 'match' | 'no-match') | undefined;
  try {
    const ruleset = new Ruleset(loadCatalog(root));
    evaluate = (rule, c) => {
      const asOf = c.asOf ?? rule.event.params.validity.validFrom ?? DEFAULT_CASE_DATE;
      const outcome = matchProfile(ruleset, validateProfile(c.profile).profile!, { districts: [rule.event.params.district], asOf });
      return outcome.matches.some((m) => m.measureId === rule.name && m.scenario === 'current-location') ? 'match' : 'no-match';
    };
  } catch (e) {
    catalog.push(`the catalog does not load, so cases were not evaluated: ${(e as Error).message}`);
  }

  let coverage: ReturnType<typeof coverageReports> = [];
  try {
    coverage = coverageReports(root);
  } catch (e) {
    catalog.push(`coverage could not be computed: ${(e as Error).message}`);
  }

  const reports: DocumentReport[] = [];
  const idFiles = new Map<string, string[]>();
  const seenDocuments = new Set<string>();
  const caseFiles = new Set<string>();
  for (const file of ruleFiles(root)) {
    const district = basename(dirname(file));
    const documentId = basename(file, '.json');
    const findings: string[] = [];
    const report: DocumentReport = { documentId, district, measures: 0, cases: 0, coverageEntries: 0, findings };
    reports.push(report);
    seenDocuments.add(documentId);
    const doc = documents.get(documentId);
    if (!doc) findings.push(`rules/${district}/${documentId}.json names no document in seeds/catalog/documents.json`);
    else if (doc.district !== district) findings.push(`rules/${district}/: the document belongs to ${doc.district}`);
    if (!ID_PREFIXES[documentId]) findings.push(`no id prefix is defined for ${documentId} (docs/catalog-authoring.md)`);

    const { value, error } = readJson(file);
    if (error) {
      findings.push(`rules/${district}/${documentId}.json: ${error}`);
      continue;
    }
    const rules = (Array.isArray(value) ? value : []) as RuleDefinition[];
    report.measures = rules.length;
    findings.push(
      ...schemaFindings(validateRuleFile, value, (ptr) => {
        const m = /^\/(\d+)(.*)$/.exec(ptr);
        const name = m ? (rules[Number(m[1])] as { name?: unknown })?.name : undefined;
        return m ? `${typeof name === 'string' ? name : `rules[${m[1]}]`}${pointerPath(m[2])}` : `rules/${district}/${documentId}.json${pointerPath(ptr)}`;
      }),
    );
    const pristine = JSON.stringify(value);
    try {
      new Engine(value as never);
      if (JSON.stringify(value) !== pristine) findings.push('new Engine(rules) changed the rules it was given');
    } catch (e) {
      findings.push(`json-rules-engine rejects the file: ${(e as Error).message}`);
    }

    let text: string | undefined;
    try {
      text = documentText(documentId, root);
    } catch {
      findings.push(`seeds/documents/${documentId}.txt is missing`);
    }
    for (const [i, rule] of rules.entries()) {
      const name = typeof rule?.name === 'string' ? rule.name : `rules[${i}]`;
      if (typeof rule?.name === 'string') idFiles.set(rule.name, [...(idFiles.get(rule.name) ?? []), documentId]);
      try {
        findings.push(...ruleFindings(rule, district, documentId, ctx, text).map((f) => `${name}: ${f}`));
      } catch (e) {
        findings.push(`${name}: could not be checked (${(e as Error).message}); fix the schema findings first`);
      }
    }
    if (documentId === JINGAN_2024 && rules.length !== JINGAN_2024_MEASURES)
      findings.push(`${rules.length} measures; the document has exactly ${JINGAN_2024_MEASURES} titled measures`);

    const casesFile = join(root, 'test', 'rules', district, `${documentId}.cases.json`);
    caseFiles.add(casesFile);
    const cases = caseFindings(root, casesFile, rules, evaluate);
    report.cases = cases.count;
    findings.push(...cases.findings);

    const cov = coverage.find((c) => c.documentId === documentId);
    if (cov) {
      report.coverageEntries = cov.entries.length;
      findings.push(...cov.findings.map((f) => `coverage: ${f}`));
    }
  }

  for (const [id, files] of idFiles) if (files.length > 1) catalog.push(`measure id ${id} is used ${files.length} times (${files.join(', ')})`);
  for (const id of documents.keys()) if (!seenDocuments.has(id)) catalog.push(`document ${id} has no rule file`);
  const casesDir = join(root, 'test', 'rules');
  if (existsSync(casesDir))
    for (const d of readdirSync(casesDir, { withFileTypes: true }).filter((x) => x.isDirectory()))
      for (const f of readdirSync(join(casesDir, d.name)).filter((x) => x.endsWith('.cases.json')))
        if (!caseFiles.has(join(casesDir, d.name, f))) catalog.push(`test/rules/${d.name}/${f} belongs to no rule file`);
  for (const file of ruleFiles(root)) {
    const side = file.replace(/\.json$/, '.departments.json');
    if (!existsSync(side)) continue;
    const district = basename(dirname(file));
    const { value } = readJson(side);
    for (const d of (Array.isArray(value) ? value : []) as { name?: string; fullName?: string }[]) {
      const known = departmentKeys.get(`${district}:${d.name}`);
      if (!known) catalog.push(`${relative(root, side)}: ${d.name} is not in seeds/catalog/departments.json (run scripts/build-department-directory.ts)`);
      else if (known.fullName !== d.fullName) catalog.push(`${relative(root, side)}: ${d.name} is ${d.fullName} here but ${known.fullName} in the directory`);
    }
  }

  catalog.push(...extensionFindings(documents));

  const sum = (f: (r: DocumentReport) => number): number => reports.reduce((n, r) => n + f(r), 0);
  return {
    documents: reports,
    catalog,
    total: {
      documents: reports.length,
      measures: sum((r) => r.measures),
      cases: sum((r) => r.cases),
      coverageEntries: sum((r) => r.coverageEntries),
      findings: sum((r) => r.findings.length) + catalog.length,
    },
  };
}

function main(): void {
  const report = checkCatalog();
  for (const d of report.documents) {
    console.log(`${d.documentId}: ${d.measures} measures, ${d.cases} cases, ${d.coverageEntries} coverage entries, ${d.findings.length} findings`);
    for (const f of d.findings) console.log(`  ✗ ${f}`);
  }
  for (const f of report.catalog) console.log(`  ✗ ${f}`);
  const t = report.total;
  console.log(`total: ${t.documents} documents, ${t.measures} measures, ${t.cases} cases, ${t.coverageEntries} coverage entries, ${t.findings} findings`);
  process.exit(t.findings ? 1 : 0);
}

if (require.main === module) main();
