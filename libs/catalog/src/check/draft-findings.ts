import type { DocumentRecord } from '../measures/measure.types';
import { termDisagreement } from '../drafts/term';

export interface DocumentFinding {
  documentId: string;
  /** The record's field the finding concerns. */
  field: 'term' | 'termEn' | 'supersedes';
  message: string;
}

/**
 * Checks of the document records themselves: the term's words agree with the validity (zh and en), and
 * `supersedes` names other documents of the catalog. rules:check's checkCatalog can run them with
 * `catalog.push(...documentFindings(source.documents).map((f) => `${f.documentId}: ${f.message}`))`.
 */
export function documentFindings(documents: readonly DocumentRecord[]): DocumentFinding[] {
  const ids = new Set(documents.map((d) => d.id));
  const out: DocumentFinding[] = [];
  for (const d of documents) {
    for (const field of ['term', 'termEn'] as const) {
      const why = termDisagreement(d[field] ?? '', d.validity);
      if (why) out.push({ documentId: d.id, field, message: `${field}: ${why}; correct the term's words or its dates` });
    }
    for (const earlier of d.supersedes ?? []) {
      if (earlier === d.id) out.push({ documentId: d.id, field: 'supersedes', message: `supersedes: the document names itself` });
      else if (!ids.has(earlier)) out.push({ documentId: d.id, field: 'supersedes', message: `supersedes: ${earlier} is not a document of the catalog` });
    }
  }
  return out;
}
