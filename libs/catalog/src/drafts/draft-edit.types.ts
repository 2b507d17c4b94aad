import type { ApplicationDetails, MeasureKind, SupportType, Validity } from '../measures/rule.types';
import type { DocumentRecord } from '../measures/measure.types';

/*
 * The edits of a draft in place (POST /catalog/drafts/:id/edits): the API contract re-exports these shapes, and
 * applyDraftEdit takes them (and refuses, field by field, whatever arrives that does not fit them).
 */

export interface DraftCase {
  case: string;
  profile: unknown;
  expect: 'match' | 'no-match';
}

/** A condition built from profile codes: `fact` (`sectors`, `roles`, `plans`, `qualifications`…) contains any of `values`. */
export interface DraftCondition {
  fact: string;
  values: string[];
  /** The words of the text the condition encodes. */
  basis: string;
}

export interface MeasureFields {
  title?: string;
  titleEn?: string;
  summary?: string;
  summaryEn?: string;
  kind?: MeasureKind;
  supportType?: SupportType[];
  /** Department short names from the district's directory. */
  departments?: string[];
  validity?: Validity;
  /** null removes the details. */
  application?: ApplicationDetails | null;
  replaces?: string[];
}

/** POST /catalog/drafts/:id/edits, with If-Match: the draft's ETag. */
export type DraftEdit =
  | { action: 'set-term'; documentId: string; validFrom: string | null; validTo: string | null; term?: string; termEn?: string }
  | { action: 'withdraw-document' | 'restore-document'; documentId: string }
  | { action: 'withdraw-measure' | 'restore-measure'; measureId: string }
  | { action: 'edit-measure'; measureId: string; fields: MeasureFields }
  | {
      action: 'add-document';
      document: Omit<DocumentRecord, 'validity' | 'supersedes'> & { validFrom: string | null; validTo: string | null };
      text: string;
    }
  | {
      action: 'add-measure';
      documentId: string;
      measureId: string;
      quote: string;
      section?: string[];
      fields: Required<Pick<MeasureFields, 'title' | 'titleEn' | 'summary' | 'summaryEn' | 'kind' | 'supportType' | 'departments'>> & MeasureFields;
      conditions: DraftCondition[];
      /** Words of the text for each support type except `other`. */
      supportTypeBasis?: Partial<Record<SupportType, string>>;
      cases: DraftCase[];
    };
