import { checkCatalog, ID_PREFIXES, type CatalogContent, type CatalogSource } from '@matcher/catalog';
import { catalogEvaluator } from '@matcher/engine';

/** One finding of the catalog checks, placed on its document and measure when it has one. */
export interface DraftFinding {
  documentId: string | null;
  measureId: string | null;
  /** The field the finding concerns, when it can be told. */
  field?: string;
  message: string;
}

/** The field of a measure or document a rules:check message is about, read from its wording. */
export function fieldOf(message: string): string | undefined {
  const rules: [RegExp, string][] = [
    [/\bterm(En)?\b/, 'term'],
    [/supersedes/, 'supersedes'],
    [/quote/, 'quote'],
    [/\bcase\b|cases/, 'cases'],
    [/department/, 'departments'],
    [/basis/, 'basis'],
    [/supportType|support type/, 'supportType'],
    [/validity|validTo|validFrom/, 'validity'],
    [/application/, 'application'],
    [/replaces/, 'replaces'],
    [/condition|operator|fact/, 'conditions'],
    [/title/, 'title'],
    [/summary/, 'summary'],
    [/\bkind\b/, 'kind'],
    [/coverage/, 'coverage'],
  ];
  return rules.find(([re]) => re.test(message))?.[1];
}

/** The checks rules:check runs, applied to a version's content in memory (in the worker pool when served). */
export type CatalogChecker = (content: CatalogContent) => DraftFinding[] | Promise<DraftFinding[]>;

/** A version's content as the catalog checks read it: the repository's files, given as data. */
export function catalogSourceOf(content: CatalogContent): CatalogSource {
  const districtOf = new Map(content.documents.map((d) => [d.id, d.district as string]));
  return {
    documents: content.documents,
    texts: content.texts,
    departments: content.departments,
    ruleFiles: Object.keys(content.rules)
      .map((id) => ({
        district: districtOf.get(id) ?? content.rules[id]?.[0]?.event?.params?.district ?? 'unknown',
        documentId: id,
        rules: { value: content.rules[id] },
        coverage: content.coverage[id] ? { value: content.coverage[id] } : undefined,
        departments: content.documentDepartments[id] ? { value: content.documentDepartments[id] } : undefined,
        cases: content.cases[id] ? { value: content.cases[id] } : undefined,
      }))
      .sort((a, b) => (`${a.district}/${a.documentId}` < `${b.district}/${b.documentId}` ? -1 : 1)),
  };
}

/**
 * rules:check's checks (@matcher/catalog's checkCatalog, evaluated by the product's engine) on a content.
 * The id-prefix table is the repository's convention for its shipped documents, so a document it does
 * not list is not held to it.
 */
export const rulesCheckChecker = (content: CatalogContent): DraftFinding[] => {
  const report = checkCatalog(catalogSourceOf(content), catalogEvaluator());
  const findings: DraftFinding[] = [];
  for (const doc of report.documents) {
    const names = new Set((content.rules[doc.documentId] ?? []).map((r) => r?.name).filter((n): n is string => typeof n === 'string'));
    for (const message of doc.findings) {
      if (!ID_PREFIXES[doc.documentId] && message.startsWith('no id prefix is defined for')) continue;
      const named = [...message.matchAll(/[a-z0-9]+(?:-[a-z0-9]+)+/g)].map((m) => m[0]).find((w) => names.has(w));
      const field = fieldOf(message);
      findings.push({ documentId: doc.documentId, measureId: named ?? null, ...(field ? { field } : {}), message });
    }
  }
  for (const message of report.catalog) findings.push({ documentId: null, measureId: null, message });
  return findings;
};
