import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { loadDepartments, loadDocuments, ruleFiles } from '../catalog';
import type { DepartmentRecord, DocumentRecord } from '../measures/measure.types';
import { projectRoot } from '../project-root';

/** A JSON file as read: its value, or why it could not be parsed. Absent: the file does not exist. */
export interface JsonFile {
  value?: unknown;
  error?: string;
}

/** One rule file with its side files, in the shapes of the repository files. */
export interface RuleFileSource {
  district: string;
  documentId: string;
  /** rules/<district>/<documentId>.json */
  rules: JsonFile;
  /** rules/<district>/<documentId>.coverage.json */
  coverage?: JsonFile;
  /** rules/<district>/<documentId>.departments.json */
  departments?: JsonFile;
  /** test/rules/<district>/<documentId>.cases.json */
  cases?: JsonFile;
}

/**
 * A whole catalog as data: what rules:check reads from the repository, and what an uploaded bundle carries.
 * Paths in findings are the repository paths these parts would have.
 */
export interface CatalogSource {
  documents: DocumentRecord[];
  /** Full text per document id. */
  texts: Record<string, string>;
  departments: DepartmentRecord[];
  ruleFiles: RuleFileSource[];
  /** Case files that sit beside no rule file (test/rules/<district>/<file>). */
  strayCaseFiles?: string[];
}

export function parseJson(text: string): JsonFile {
  try {
    return { value: JSON.parse(text) };
  } catch (e) {
    return { error: (e as Error).message };
  }
}

function readJsonFile(file: string): JsonFile | undefined {
  return existsSync(file) ? parseJson(readFileSync(file, 'utf8')) : undefined;
}

/** The catalog under `root`: rules/, seeds/catalog, seeds/documents and test/rules. */
export function readCatalogSource(root: string = projectRoot()): CatalogSource {
  const documents = loadDocuments(root);
  const texts: Record<string, string> = {};
  for (const d of documents) {
    const file = join(root, 'seeds', 'documents', `${d.id}.txt`);
    if (/^[a-z0-9-]+$/.test(d.id) && existsSync(file)) texts[d.id] = readFileSync(file, 'utf8');
  }
  const files = ruleFiles(root).map((file): RuleFileSource => {
    const district = basename(dirname(file));
    const documentId = basename(file, '.json');
    return {
      district,
      documentId,
      rules: readJsonFile(file) ?? { error: 'missing' },
      coverage: readJsonFile(file.replace(/\.json$/, '.coverage.json')),
      departments: readJsonFile(file.replace(/\.json$/, '.departments.json')),
      cases: readJsonFile(join(root, 'test', 'rules', district, `${documentId}.cases.json`)),
    };
  });
  const known = new Set(files.map((f) => `${f.district}/${f.documentId}.cases.json`));
  const strayCaseFiles: string[] = [];
  const casesDir = join(root, 'test', 'rules');
  if (existsSync(casesDir))
    for (const d of readdirSync(casesDir, { withFileTypes: true }).filter((x) => x.isDirectory()))
      for (const f of readdirSync(join(casesDir, d.name)).filter((x) => x.endsWith('.cases.json')))
        if (!known.has(`${d.name}/${f}`)) strayCaseFiles.push(`test/rules/${d.name}/${f}`);
  return { documents, texts, departments: loadDepartments(root), ruleFiles: files, strayCaseFiles };
}
