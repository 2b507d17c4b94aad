import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CatalogContent } from '@matcher/catalog';
import { checkCatalog, ID_PREFIXES } from '../../../../scripts/rules-check';

/** One finding of the catalog checks, placed on its document and measure when it has one. */
export interface DraftFinding {
  documentId: string | null;
  measureId: string | null;
  message: string;
}

/** The checks rules:check runs, applied to a version's content in memory. */
export type CatalogChecker = (content: CatalogContent) => DraftFinding[];

/** Lays a content out as the repository does (rules/, seeds/, test/rules/) under `root`. */
function writeContent(root: string, content: CatalogContent): void {
  const write = (path: string, data: string): void => {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), data);
  };
  const json = (v: unknown): string => JSON.stringify(v, null, 2);
  write('seeds/catalog/documents.json', json(content.documents));
  write('seeds/catalog/departments.json', json(content.departments));
  write('seeds/catalog/districts.json', json(content.districts));
  const districtOf = new Map(content.documents.map((d) => [d.id, d.district as string]));
  for (const [id, text] of Object.entries(content.texts)) write(`seeds/documents/${id}.txt`, text);
  for (const [id, rules] of Object.entries(content.rules)) {
    const district = districtOf.get(id) ?? rules[0]?.event?.params?.district ?? 'unknown';
    write(`rules/${district}/${id}.json`, json(rules));
    if (content.coverage[id]) write(`rules/${district}/${id}.coverage.json`, json(content.coverage[id]));
    if (content.documentDepartments[id]) write(`rules/${district}/${id}.departments.json`, json(content.documentDepartments[id]));
    if (content.cases[id]) write(`test/rules/${district}/${id}.cases.json`, json(content.cases[id]));
  }
  mkdirSync(join(root, 'rules'), { recursive: true });
}

/**
 * The rules:check checks on a content, through the file-based checkCatalog: the content is laid out in a
 * scratch directory and checked there. The id-prefix table is the repository's own convention for its
 * shipped documents, so a document it does not list is not held to it.
 */
export const rulesCheckChecker: CatalogChecker = (content) => {
  const root = mkdtempSync(join(tmpdir(), 'ruleset-draft-'));
  try {
    writeContent(root, content);
    const report = checkCatalog(root);
    const findings: DraftFinding[] = [];
    for (const doc of report.documents) {
      const names = new Set((content.rules[doc.documentId] ?? []).map((r) => r?.name).filter((n): n is string => typeof n === 'string'));
      for (const message of doc.findings) {
        if (!ID_PREFIXES[doc.documentId] && message.startsWith('no id prefix is defined for')) continue;
        const head = /^([a-z0-9-]+)(?::| case )/.exec(message)?.[1];
        const named = /(?:cases for unknown measure |^)([a-z0-9-]+) needs at least one/.exec(message)?.[1];
        const measureId = head && names.has(head) ? head : named && names.has(named) ? named : null;
        findings.push({ documentId: doc.documentId, measureId, message });
      }
    }
    for (const message of report.catalog) findings.push({ documentId: null, measureId: null, message });
    return findings;
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
};
