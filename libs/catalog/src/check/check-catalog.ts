import { Engine } from 'json-rules-engine';
import type { ValidateFunction } from 'ajv/dist/2020';
import type { RuleDefinition } from '../measures/rule.types';
import { ruleFileSchema } from '../measures/rule.schema';
import type { CoverageReport } from '../coverage/coverage';
import { catalogCoverage } from './catalog-coverage';
import type { CatalogSource } from './catalog-source';
import { checkRuleCases } from './case-findings';
import { crossDocumentFindings } from './cross-document-findings';
import { documentFindings } from './draft-findings';
import type { RuleEvaluator } from './evaluator';
import { extensionFindings } from './extension-findings';
import { ID_PREFIXES, JINGAN_2024, JINGAN_2024_MEASURES, ruleFindings, type RuleContext } from './rule-findings';
import { checkAjv, pointerPath, schemaFindings } from './schema-findings';

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

const ruleSchemas = new Map<string, ValidateFunction>();
function ruleFileValidator(operators: readonly string[]): ValidateFunction {
  const key = [...operators].sort().join(',');
  let v = ruleSchemas.get(key);
  if (!v) ruleSchemas.set(key, (v = checkAjv().compile(ruleFileSchema(operators))));
  return v;
}

/**
 * Every check of the catalog (rules:check, and the server's check of an uploaded bundle): rule files against
 * the schema and json-rules-engine, measure records against documents, departments and profile codes, the kind
 * vocabulary, quotes verbatim, rule cases evaluated, coverage complete, the profile extension well formed.
 * Pure: the catalog comes as data (`readCatalogSource(root)` reads the repository's).
 */
export function checkCatalog(source: CatalogSource, evaluator: RuleEvaluator): CheckReport {
  const catalog: string[] = [];
  const documents = new Map(source.documents.map((d) => [d.id, d]));
  const departmentKeys = new Map(source.departments.map((d) => [`${d.district}:${d.name}`, d]));
  const ctx: RuleContext = { documents, departmentKeys, evaluator };
  const validateRuleFile = ruleFileValidator(evaluator.operators);
  const catalogRules = source.ruleFiles.flatMap((f) => (Array.isArray(f.rules.value) ? (f.rules.value as RuleDefinition[]) : []));
  // Cases evaluate only rules that pass the schema: a malformed one could not be evaluated meaningfully.
  const sound = catalogRules.filter((r) => validateRuleFile([r]));
  const soundSet = new Set(sound);

  let coverage: CoverageReport[] = [];
  try {
    coverage = catalogCoverage(source);
  } catch (e) {
    catalog.push(`coverage could not be computed: ${(e as Error).message}`);
  }

  const reports: DocumentReport[] = [];
  const idFiles = new Map<string, string[]>();
  const seenDocuments = new Set<string>();
  for (const file of source.ruleFiles) {
    const { district, documentId } = file;
    const at = `rules/${district}/${documentId}.json`;
    const findings: string[] = [];
    const report: DocumentReport = { documentId, district, measures: 0, cases: 0, coverageEntries: 0, findings };
    reports.push(report);
    seenDocuments.add(documentId);
    const doc = documents.get(documentId);
    if (!doc) findings.push(`${at} names no document in seeds/catalog/documents.json`);
    else if (doc.district !== district) findings.push(`rules/${district}/: the document belongs to ${doc.district}`);
    if (!ID_PREFIXES[documentId]) findings.push(`no id prefix is defined for ${documentId} (docs/catalog-authoring.md)`);

    if (file.rules.error !== undefined) {
      findings.push(`${at}: ${file.rules.error}`);
      continue;
    }
    const value = file.rules.value;
    const rules = (Array.isArray(value) ? value : []) as RuleDefinition[];
    report.measures = rules.length;
    findings.push(
      ...schemaFindings(validateRuleFile, value, (ptr) => {
        const m = /^\/(\d+)(.*)$/.exec(ptr);
        const name = m ? (rules[Number(m[1])] as { name?: unknown })?.name : undefined;
        return m ? `${typeof name === 'string' ? name : `rules[${m[1]}]`}${pointerPath(m[2])}` : `${at}${pointerPath(ptr)}`;
      }),
    );
    const pristine = JSON.stringify(value);
    try {
      new Engine(value as never);
      if (JSON.stringify(value) !== pristine) findings.push('new Engine(rules) changed the rules it was given');
    } catch (e) {
      findings.push(`json-rules-engine rejects the file: ${(e as Error).message}`);
    }

    const text = source.texts[documentId];
    if (text === undefined) findings.push(`seeds/documents/${documentId}.txt is missing`);
    for (const [i, rule] of rules.entries()) {
      const name = typeof rule?.name === 'string' ? rule.name : `rules[${i}]`;
      if (typeof rule?.name === 'string') idFiles.set(rule.name, [...(idFiles.get(rule.name) ?? []), documentId]);
      try {
        findings.push(...ruleFindings(rule, district, documentId, ctx, text).map((f) => `${name}: ${f}`));
      } catch (e) {
        findings.push(`${name}: could not be checked (${(e as Error).message}); fix the schema findings first`);
      }
    }
    // A measure an administrator withdrew stays counted through its coverage entry (reason "withdrawn").
    const withdrawn = (Array.isArray(file.coverage?.value) ? (file.coverage.value as { reason?: string }[]) : []).filter(
      (e) => e?.reason === 'withdrawn',
    ).length;
    if (documentId === JINGAN_2024 && rules.length + withdrawn !== JINGAN_2024_MEASURES)
      findings.push(
        `${rules.length} measures${withdrawn ? ` and ${withdrawn} withdrawn` : ''}; the document has exactly ${JINGAN_2024_MEASURES} titled measures`,
      );

    const soundHere = rules.filter((r) => soundSet.has(r));
    const cases = checkRuleCases({
      file: `test/rules/${district}/${documentId}.cases.json`,
      cases: file.cases,
      rules: soundHere,
      catalogRules: sound,
      text,
      evaluator,
    });
    report.cases = cases.count;
    findings.push(...cases.findings);

    const cov = coverage.find((c) => c.documentId === documentId);
    if (cov) {
      report.coverageEntries = cov.entries.length;
      findings.push(...cov.findings.map((f) => `coverage: ${f}`));
    }

    if (file.departments?.error) catalog.push(`rules/${district}/${documentId}.departments.json: ${file.departments.error}`);
    for (const d of (Array.isArray(file.departments?.value) ? file.departments.value : []) as { name?: string; fullName?: string }[]) {
      const known = departmentKeys.get(`${district}:${d.name}`);
      const side = `rules/${district}/${documentId}.departments.json`;
      if (!known) catalog.push(`${side}: ${d.name} is not in seeds/catalog/departments.json (run scripts/build-department-directory.ts)`);
      else if (known.fullName !== d.fullName) catalog.push(`${side}: ${d.name} is ${d.fullName} here but ${known.fullName} in the directory`);
    }
  }

  for (const [id, files] of idFiles) if (files.length > 1) catalog.push(`measure id ${id} is used ${files.length} times (${files.join(', ')})`);
  for (const id of documents.keys()) if (!seenDocuments.has(id)) catalog.push(`document ${id} has no rule file`);
  for (const f of source.strayCaseFiles ?? []) catalog.push(`${f} belongs to no rule file`);
  // The document records' own checks (the term's words agree with the validity; supersedes names a document).
  for (const f of documentFindings(source.documents)) {
    const report = reports.find((r) => r.documentId === f.documentId);
    if (report) report.findings.push(f.message);
    else catalog.push(`${f.documentId}: ${f.message}`);
  }
  catalog.push(...extensionFindings(documents));
  catalog.push(...crossDocumentFindings(sound));

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

/** Every finding, each prefixed with its document. */
export function catalogFindings(report: CheckReport): string[] {
  return [...report.documents.flatMap((d) => d.findings.map((f) => `${d.documentId}: ${f}`)), ...report.catalog];
}
