import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { servedVersion, loadDepartments, loadDistricts, loadDocuments, ruleFiles, toMeasure, type Catalog } from './catalog';
import type { CoverageEntry } from './coverage/coverage';
import type { DepartmentRecord, DistrictRecord, DocumentRecord, Measure } from './measures/measure.types';
import type { RuleDefinition } from './measures/rule.types';
import { projectRoot } from './project-root';

/** One rule case of test/rules/<district>/<documentId>.cases.json, as stored (checked by rules:check). */
export interface RuleCase {
  case: string;
  profile: unknown;
  expect: 'match' | 'no-match' | 'not-a-measure';
  kind?: 'measure' | 'priority';
  failed?: string[];
  missing?: string[];
  quote?: string;
  asOf?: string;
}

/** A department side file line, rules/<district>/<documentId>.departments.json. */
export interface DocumentDepartment {
  name: string;
  fullName: string;
  nameEn?: string;
}

/**
 * Everything one ruleset version holds, serialisable: what rules/, seeds/ and test/rules/ hold in the
 * repository, keyed by document. The live catalog and every draft are built from one of these.
 */
export interface CatalogContent {
  districts: DistrictRecord[];
  documents: DocumentRecord[];
  departments: DepartmentRecord[];
  /** Per document: its full text, rules (file order), coverage, department side file and rule cases. */
  texts: Record<string, string>;
  rules: Record<string, RuleDefinition[]>;
  coverage: Record<string, CoverageEntry[]>;
  documentDepartments: Record<string, DocumentDepartment[]>;
  cases: Record<string, Record<string, RuleCase[]>>;
}

function readJsonIfExists<T>(file: string): T | undefined {
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as T) : undefined;
}

/** The repository's rules/, seeds/ and test/rules/ as one content: the baseline version. */
export function loadCatalogContent(root: string = projectRoot()): CatalogContent {
  const documents = loadDocuments(root);
  const content: CatalogContent = {
    districts: loadDistricts(root),
    documents,
    departments: loadDepartments(root),
    texts: {},
    rules: {},
    coverage: {},
    documentDepartments: {},
    cases: {},
  };
  for (const doc of documents) {
    const file = join(root, 'seeds', 'documents', `${doc.id}.txt`);
    if (existsSync(file)) content.texts[doc.id] = readFileSync(file, 'utf8');
  }
  for (const file of ruleFiles(root)) {
    const district = basename(dirname(file));
    const id = basename(file, '.json');
    content.rules[id] = JSON.parse(readFileSync(file, 'utf8')) as RuleDefinition[];
    const coverage = readJsonIfExists<CoverageEntry[]>(file.replace(/\.json$/, '.coverage.json'));
    if (coverage) content.coverage[id] = coverage;
    const departments = readJsonIfExists<DocumentDepartment[]>(file.replace(/\.json$/, '.departments.json'));
    if (departments) content.documentDepartments[id] = departments;
    const cases = readJsonIfExists<Record<string, RuleCase[]>>(join(root, 'test', 'rules', district, `${id}.cases.json`));
    if (cases) content.cases[id] = cases;
  }
  return content;
}

/** Rules in the repository's order: by district folder, then by document id (what ruleFiles gives). */
export function orderedRules(content: Pick<CatalogContent, 'documents' | 'rules'>): RuleDefinition[] {
  const districtOf = new Map(content.documents.map((d) => [d.id, d.district as string]));
  const key = (id: string): string => `${districtOf.get(id) ?? content.rules[id]?.[0]?.event?.params?.district ?? ''}/${id}`;
  return Object.keys(content.rules)
    .sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0))
    .flatMap((id) => content.rules[id]);
}

/** A catalog with the document texts it serves. */
export interface LiveCatalog extends Catalog {
  texts: Readonly<Record<string, string>>;
}

/**
 * Builds the served catalog from a content: measures resolved against documents and departments, and
 * successor links (a measure's `replaces`, a document's `supersedes`) turned round so an earlier measure
 * names what succeeds it. The version is the same content hash `loadCatalog` gives for the same files.
 */
export function catalogFromContent(content: CatalogContent): LiveCatalog {
  const { districts, documents, departments } = content;
  const rules = orderedRules(content);
  const docById = new Map(documents.map((d) => [d.id, d]));
  const deptByName = new Map(departments.map((d) => [`${d.district}:${d.name}`, d]));
  const measures = rules.map((r) => toMeasure(r, docById, deptByName));
  linkSuccessors(measures, documents);
  const version = servedVersion({ districts, documents, departments, rules, texts: content.texts });
  return { version, districts, documents, departments, rules, measures, texts: content.texts };
}

/**
 * Sets `successors` on every measure something succeeds: the measures naming it in `replaces`, or, when
 * none does and its document is superseded, the measures of the superseding document in its district.
 */
function linkSuccessors(measures: Measure[], documents: DocumentRecord[]): void {
  const byId = new Map(measures.map((m) => [m.id, m]));
  const successors = new Map<string, string[]>();
  for (const m of measures) for (const earlier of m.replaces ?? []) if (byId.has(earlier)) successors.set(earlier, [...(successors.get(earlier) ?? []), m.id]);
  const supersededBy = new Map<string, string[]>();
  for (const d of documents) for (const earlier of d.supersedes ?? []) supersededBy.set(earlier, [...(supersededBy.get(earlier) ?? []), d.id]);
  for (const m of measures) {
    let list = successors.get(m.id);
    if (!list) {
      const later = supersededBy.get(m.source.documentId);
      // A document-level successor: the later document's measures that replace nothing explicitly.
      if (later) list = measures.filter((x) => later.includes(x.source.documentId) && x.district === m.district && !x.replaces?.length).map((x) => x.id);
    }
    if (list?.length) m.successors = list;
  }
}
