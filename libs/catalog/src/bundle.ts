import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEPARTMENT_RECORD_SCHEMA, DOCUMENT_DEPARTMENT_SCHEMA, DOCUMENT_RECORD_SCHEMA, KEBAB } from './catalog-files.schema';
import type { CatalogContent, DocumentDepartment, RuleCase } from './content';
import type { CoverageEntry } from './coverage/coverage';
import type { DepartmentRecord, DocumentRecord } from './measures/measure.types';
import type { RuleDefinition } from './measures/rule.types';

export const BUNDLE_FORMAT = 'policy-bundle/1';

/**
 * One document of a bundle, in the shapes of the repository files: seeds/catalog/documents.json's record,
 * seeds/documents/<id>.txt, rules/<district>/<id>.json, its .coverage.json and .departments.json, and
 * test/rules/<district>/<id>.cases.json. A document already in the live version is replaced as a whole
 * (its text kept when the bundle gives none); a new one is added.
 */
export interface BundleDocument {
  document: DocumentRecord;
  text?: string;
  rules: RuleDefinition[];
  coverage: CoverageEntry[];
  cases: Record<string, RuleCase[]>;
  departments?: DocumentDepartment[];
}

/** docs/policy-bundles.md describes it. */
export interface PolicyBundle {
  format: typeof BUNDLE_FORMAT;
  /** What the bundle does, for the officer who publishes it. */
  description?: string;
  documents?: BundleDocument[];
  /** Departments added to (or corrected in) the directory, by id. */
  departments?: DepartmentRecord[];
  /** Ids of documents withdrawn: they and their measures leave the catalog. */
  withdraw?: string[];
}

/**
 * JSON Schema (2020-12) of the bundle's envelope; the document record and the department lines are the
 * repository files' own schemas. Rules, coverage and cases are left to the checks rules:check runs, which
 * report them by document and measure.
 */
export const BUNDLE_SCHEMA = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'policy-bundle',
  type: 'object',
  additionalProperties: false,
  required: ['format'],
  properties: {
    format: { const: BUNDLE_FORMAT },
    description: { type: 'string', maxLength: 2000 },
    documents: {
      type: 'array',
      maxItems: 100,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['document', 'rules', 'coverage', 'cases'],
        properties: {
          document: DOCUMENT_RECORD_SCHEMA,
          text: { type: 'string', minLength: 1 },
          rules: { type: 'array', items: { type: 'object' } },
          coverage: { type: 'array', items: { type: 'object' } },
          cases: { type: 'object', additionalProperties: { type: 'array' } },
          departments: { type: 'array', items: DOCUMENT_DEPARTMENT_SCHEMA },
        },
      },
    },
    departments: { type: 'array', items: DEPARTMENT_RECORD_SCHEMA },
    withdraw: { type: 'array', uniqueItems: true, items: { type: 'string', pattern: KEBAB } },
  },
} as const;

/** Problems applying a bundle that the checks cannot report (a withdrawn document that does not exist…). */
export interface BundleProblem {
  path: string;
  message: string;
}

/**
 * The content a bundle makes of `base`: documents added or replaced (rules, coverage, cases, text),
 * documents withdrawn, departments added. Pure; `base` is not changed.
 */
export function applyBundle(base: CatalogContent, bundle: PolicyBundle): { content: CatalogContent; problems: BundleProblem[] } {
  const problems: BundleProblem[] = [];
  const content: CatalogContent = {
    districts: base.districts,
    documents: [...base.documents],
    departments: [...base.departments],
    texts: { ...base.texts },
    rules: { ...base.rules },
    coverage: { ...base.coverage },
    documentDepartments: { ...base.documentDepartments },
    cases: { ...base.cases },
  };
  for (const d of bundle.departments ?? []) {
    const at = content.departments.findIndex((x) => x.id === d.id);
    if (at >= 0) content.departments[at] = d;
    else content.departments.push(d);
  }
  (bundle.withdraw ?? []).forEach((id, i) => {
    if (!content.documents.some((d) => d.id === id)) {
      problems.push({ path: `withdraw[${i}]`, message: `document ${id} is not in the live version` });
      return;
    }
    if (bundle.documents?.some((d) => d.document.id === id)) problems.push({ path: `withdraw[${i}]`, message: `document ${id} is both withdrawn and given` });
    content.documents = content.documents.filter((d) => d.id !== id);
    for (const key of ['texts', 'rules', 'coverage', 'documentDepartments', 'cases'] as const) delete content[key][id];
  });
  const seen = new Set<string>();
  (bundle.documents ?? []).forEach((entry, i) => {
    const id = entry.document.id;
    if (seen.has(id)) problems.push({ path: `documents[${i}].document.id`, message: `document ${id} is given twice` });
    seen.add(id);
    const at = content.documents.findIndex((d) => d.id === id);
    if (at >= 0) content.documents[at] = entry.document;
    else content.documents.push(entry.document);
    if (entry.text !== undefined) content.texts[id] = entry.text;
    else if (content.texts[id] === undefined) problems.push({ path: `documents[${i}].text`, message: `a new document needs its full text` });
    content.rules[id] = entry.rules;
    content.coverage[id] = entry.coverage;
    content.cases[id] = entry.cases;
    if (entry.departments) content.documentDepartments[id] = entry.departments;
  });
  return { content, problems };
}

/** Where in the bundle a document's measure is written: `documents[0].rules[1]`, or null when the bundle does not carry it. */
export function bundlePath(bundle: PolicyBundle, documentId: string, measureId?: string): string | null {
  const i = (bundle.documents ?? []).findIndex((d) => d.document.id === documentId);
  if (i < 0) return null;
  if (measureId === undefined) return `documents[${i}]`;
  const j = bundle.documents![i].rules.findIndex((r) => r?.name === measureId);
  return j < 0 ? `documents[${i}]` : `documents[${i}].rules[${j}]`;
}

function readJsonFile<T>(file: string): T | undefined {
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as T) : undefined;
}

/**
 * A bundle from files laid out like the repository: seeds/catalog/documents.json (the records),
 * seeds/documents/<id>.txt, rules/<district>/<id>.json with its .coverage.json and .departments.json,
 * test/rules/<district>/<id>.cases.json, and optionally seeds/catalog/departments.json (directory
 * additions). `documentIds` picks documents (default: every one the records list).
 */
export function bundleFromFiles(root: string, options: { documentIds?: string[]; withdraw?: string[]; description?: string } = {}): PolicyBundle {
  const records = readJsonFile<DocumentRecord[]>(join(root, 'seeds', 'catalog', 'documents.json')) ?? [];
  const wanted = options.documentIds?.length ? options.documentIds : records.map((d) => d.id);
  const documents = wanted.map((id): BundleDocument => {
    const document = records.find((d) => d.id === id);
    if (!document) throw new Error(`${id} is not in ${join(root, 'seeds', 'catalog', 'documents.json')}`);
    const base = join(root, 'rules', document.district, id);
    const rules = readJsonFile<RuleDefinition[]>(`${base}.json`);
    if (!rules) throw new Error(`${base}.json is missing`);
    const textFile = join(root, 'seeds', 'documents', `${id}.txt`);
    const departments = readJsonFile<DocumentDepartment[]>(`${base}.departments.json`);
    return {
      document,
      ...(existsSync(textFile) ? { text: readFileSync(textFile, 'utf8') } : {}),
      rules,
      coverage: readJsonFile<CoverageEntry[]>(`${base}.coverage.json`) ?? [],
      cases: readJsonFile<Record<string, RuleCase[]>>(join(root, 'test', 'rules', document.district, `${id}.cases.json`)) ?? {},
      ...(departments ? { departments } : {}),
    };
  });
  const directory = readJsonFile<DepartmentRecord[]>(join(root, 'seeds', 'catalog', 'departments.json'));
  return {
    format: BUNDLE_FORMAT,
    ...(options.description ? { description: options.description } : {}),
    documents,
    ...(directory?.length ? { departments: directory } : {}),
    ...(options.withdraw?.length ? { withdraw: options.withdraw } : {}),
  };
}
