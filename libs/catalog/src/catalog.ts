import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import profileCodes from './data/profile-codes.json';
import profileExtensions from './data/profile-extensions.json';
import { precisionFields, type DepartmentRecord, type DistrictRecord, type DocumentRecord, type Measure } from './measures/measure.types';
import { factKeyOf, isLeaf, leavesOf, type RuleDefinition } from './measures/rule.types';
import { projectRoot } from './project-root';

export interface Catalog {
  /** Content hash of everything served: rules, documents with their texts, departments and profile codes (servedVersion). */
  version: string;
  districts: DistrictRecord[];
  documents: DocumentRecord[];
  departments: DepartmentRecord[];
  rules: RuleDefinition[];
  measures: Measure[];
}

const RULE_FILE = /^[a-z0-9-]+\.json$/;
const SIDE_FILE = /\.(coverage|departments|extensions)\.json$/;

function readJson<T>(file: string): T {
  return JSON.parse(readFileSync(file, 'utf8')) as T;
}

/** Rule files in a stable order: rules/<district>/<documentId>.json. */
export function ruleFiles(root: string = projectRoot()): string[] {
  const dir = join(root, 'rules');
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort()
    .flatMap((district) =>
      readdirSync(join(dir, district))
        .filter((f) => RULE_FILE.test(f) && !SIDE_FILE.test(f))
        .sort()
        .map((f) => join(dir, district, f)),
    );
}

export function loadRules(root: string = projectRoot()): RuleDefinition[] {
  return ruleFiles(root).flatMap((f) => readJson<RuleDefinition[]>(f));
}

export function loadDocuments(root: string = projectRoot()): DocumentRecord[] {
  return readJson<DocumentRecord[]>(join(root, 'seeds', 'catalog', 'documents.json'));
}

export function loadDepartments(root: string = projectRoot()): DepartmentRecord[] {
  return readJson<DepartmentRecord[]>(join(root, 'seeds', 'catalog', 'departments.json'));
}

export function loadDistricts(root: string = projectRoot()): DistrictRecord[] {
  return readJson<DistrictRecord[]>(join(root, 'seeds', 'catalog', 'districts.json'));
}

export function documentText(documentId: string, root: string = projectRoot()): string {
  if (!/^[a-z0-9-]+$/.test(documentId)) throw new Error(`invalid document id ${documentId}`);
  return readFileSync(join(root, 'seeds', 'documents', `${documentId}.txt`), 'utf8');
}

export const SECTION_SEPARATOR = ' › ';

/**
 * Resolves a rule's authored record against the document and department directories.
 * Throws on a dangling reference: a measure must never be served with part of its provenance missing.
 */
export function toMeasure(rule: RuleDefinition, documents: Map<string, DocumentRecord>, departments: Map<string, DepartmentRecord>): Measure {
  const p = rule.event.params;
  const doc = documents.get(p.source.documentId);
  if (!doc) throw new Error(`${p.measureId}: unknown document ${p.source.documentId}`);
  const leaves = leavesOf(rule.conditions);
  const facts = [...new Set(leaves.map(factKeyOf).filter((k) => k !== 'location.district'))];
  return {
    id: p.measureId,
    district: p.district,
    title: p.title,
    titleEn: p.titleEn,
    summary: p.summary,
    summaryEn: p.summaryEn,
    departments: p.departments.map((ref) => {
      const d = departments.get(`${p.district}:${ref.name}`);
      if (!d) throw new Error(`${p.measureId}: department ${ref.name} is not in the ${p.district} directory`);
      return { id: d.id, name: d.name, fullName: d.fullName, nameEn: d.nameEn, source: ref.source, ...(ref.basis ? { basis: ref.basis } : {}) };
    }),
    source: {
      documentId: doc.id,
      documentTitle: doc.title,
      documentTitleEn: doc.titleEn,
      issuer: doc.issuer,
      issuedOn: doc.issuedOn,
      section: p.source.section.join(SECTION_SEPARATOR),
      sectionPath: p.source.section,
      quote: p.source.quote,
    },
    supportType: p.supportType,
    validity: p.validity,
    kind: p.kind,
    ...precisionFields(p),
    specificity: facts.length > 0 ? 'targeted' : 'general',
    facts,
    sectors: [...new Set(leaves.filter((l) => isLeaf(l) && l.fact === 'sectors').flatMap((l) => l.value as string[]))],
    ...(p.application ? { application: p.application } : {}),
    ...(p.basis ? { basis: { conditions: p.basis.conditions ?? {}, supportTypes: p.basis.supportTypes ?? {} } } : {}),
    ...(p.replaces ? { replaces: p.replaces } : {}),
  };
}

/**
 * JSON with every object's keys in sorted order: the same value reads the same however its keys were
 * ordered (PostgreSQL's jsonb stores them reordered).
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.keys(v)
            .sort()
            .map((k) => [k, (v as Record<string, unknown>)[k]]),
        )
      : v,
  );
}

export function catalogVersion(parts: unknown): string {
  return createHash('sha256').update(canonicalJson(parts)).digest('hex').slice(0, 16);
}

/**
 * The version of everything a catalog serves: districts, documents, departments, rules, profile codes and
 * each document's text (keyed in id order), so a text-only correction is a new version and the same content
 * hashes alike however it was assembled (the repository's files, a bundle, edits in the browser).
 */
export function servedVersion(parts: {
  districts: DistrictRecord[];
  documents: DocumentRecord[];
  departments: DepartmentRecord[];
  rules: RuleDefinition[];
  texts: Readonly<Record<string, string>>;
}): string {
  const texts = Object.fromEntries(
    parts.documents
      .map((d) => d.id)
      .filter((id) => parts.texts[id])
      .sort()
      .map((id) => [id, parts.texts[id]]),
  );
  const { districts, documents, departments, rules } = parts;
  return catalogVersion({ districts, documents, departments, rules, profileCodes, profileExtensions, texts });
}

function loadTexts(root: string, documents: DocumentRecord[]): Record<string, string> {
  const texts: Record<string, string> = {};
  for (const d of documents) {
    const file = join(root, 'seeds', 'documents', `${d.id}.txt`);
    if (existsSync(file)) texts[d.id] = readFileSync(file, 'utf8');
  }
  return texts;
}

export function loadCatalog(root: string = projectRoot()): Catalog {
  const districts = loadDistricts(root);
  const documents = loadDocuments(root);
  const departments = loadDepartments(root);
  const rules = loadRules(root);
  const docById = new Map(documents.map((d) => [d.id, d]));
  const deptByName = new Map(departments.map((d) => [`${d.district}:${d.name}`, d]));
  const measures = rules.map((r) => toMeasure(r, docById, deptByName));
  const version = servedVersion({ districts, documents, departments, rules, texts: loadTexts(root, documents) });
  return { version, districts, documents, departments, rules, measures };
}
