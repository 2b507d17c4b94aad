import { checkCoverage, type CoverageReport } from '../coverage/coverage';
import type { RuleDefinition } from '../measures/rule.types';
import type { CatalogSource } from './catalog-source';

function rulesOf(value: unknown): RuleDefinition[] {
  return Array.isArray(value) ? (value as RuleDefinition[]) : [];
}

/** Coverage of every document of the catalog, against the measures encoded from it (in any rule file). */
export function catalogCoverage(source: CatalogSource): CoverageReport[] {
  const rules = source.ruleFiles.flatMap((f) => rulesOf(f.rules.value));
  return source.documents.map((doc) => {
    const ids = rules.filter((r) => r?.event?.params?.source?.documentId === doc.id).map((r) => r.name);
    const file = source.ruleFiles.find((f) => f.documentId === doc.id && f.district === doc.district);
    const report = checkCoverage({ documentId: doc.id, text: source.texts[doc.id] ?? '', entries: file?.coverage?.value, measureIds: ids });
    if (file?.coverage?.error) report.findings.unshift(`coverage file does not parse: ${file.coverage.error}`);
    if (source.texts[doc.id] === undefined) report.findings.unshift(`seeds/documents/${doc.id}.txt is missing`);
    return report;
  });
}

export interface KindCounts {
  documentId: string;
  measure: number;
  priority: number;
  /** Entries removed as no rule: the ids their not-a-measure cases are kept under. */
  removed: number;
}

/** Entries per document and kind. */
export function kindCounts(source: CatalogSource): KindCounts[] {
  return source.ruleFiles.map((f) => {
    const rules = rulesOf(f.rules.value);
    const ids = new Set(rules.map((r) => r?.name));
    const cases = (f.cases?.value && typeof f.cases.value === 'object' ? f.cases.value : {}) as Record<string, { expect?: string }[]>;
    const removed = Object.entries(cases).filter(([id, list]) => !ids.has(id) && Array.isArray(list) && list.some((c) => c?.expect === 'not-a-measure'));
    return {
      documentId: f.documentId,
      measure: rules.filter((r) => r?.event?.params?.kind === 'measure').length,
      priority: rules.filter((r) => r?.event?.params?.kind === 'priority').length,
      removed: removed.length,
    };
  });
}
