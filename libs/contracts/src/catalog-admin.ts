import type { ApplicationDetails, District, MeasureKind, RulesetDiff, SupportType, Validity } from './common';

/*
 * The catalog's lifecycle (administrators): drafts from policy bundles, their impact, publishing and
 * activating versions; and the expiry report (officers). Timestamps are ISO 8601 strings.
 */

/** A finding of the catalog checks: where in the bundle (or the catalog), and on which document and measure. */
export interface DraftFinding {
  path: string;
  documentId: string | null;
  measureId: string | null;
  /** The field of the document or measure the finding concerns (`term`, `validity`, `quote`, `conditions`…), when known. */
  field?: string;
  message: string;
}

/** POST /catalog/drafts (201). */
export interface CreatedDraft {
  id: string;
  findings: DraftFinding[];
  diff: RulesetDiff;
  rulesetVersion: string;
}

/** GET /catalog/drafts/:id. Its ETag is the draft's revision; an edit sends it back as If-Match. */
export interface DraftView {
  id: string;
  rulesetVersion: string;
  basedOn: string | null;
  /** False when another version was made live after this draft was started: publishing needs a rebase first. */
  basedOnLive: boolean;
  description: string | null;
  createdAt: string;
  createdBy: string;
  /** Counts up with every edit; the ETag. */
  revision: number;
  measures: number;
  documents: number;
  findings: DraftFinding[];
  /** Against the version live now. */
  diff: RulesetDiff;
  /** The draft's documents, for editing. */
  documentList: DraftDocumentSummary[];
  /** Edits, newest first. */
  edits: DraftEditRecord[];
}

export interface DraftDocumentSummary {
  id: string;
  district: District;
  title: string;
  titleEn: string;
  term: string;
  termEn: string;
  validity: Validity;
  measures: number;
  /** In the live version but withdrawn by this draft. */
  withdrawn: boolean;
}

/** A measure as a draft holds it (the rule's event params, its conditions and its cases), for editing. */
export interface DraftMeasure {
  measureId: string;
  kind: MeasureKind;
  title: string;
  titleEn: string;
  summary: string;
  summaryEn: string;
  supportType: SupportType[];
  departments: { name: string; source: 'document' | 'inferred'; basis?: string }[];
  validity: Validity;
  application?: ApplicationDetails;
  replaces?: string[];
  quote: string;
  section: string[];
  conditions: unknown;
  basis?: DraftBasis;
  cases: DraftCase[];
  /** Withdrawn by this draft (in the live version, not in the draft). */
  withdrawn: boolean;
}

/** GET /catalog/drafts/:id/documents/:documentId. */
export interface DraftDocument {
  document: DraftDocumentSummary & { issuer: string; issuerEn: string; issuedOn: string | null; reference?: string; supersedes?: string[] };
  text: string;
  measures: DraftMeasure[];
  /** The district's departments, to pick from. */
  directory: { id: string; name: string; fullName: string; nameEn: string }[];
}

/** The words of the text each condition and support type rests on (condition-level provenance). */
export interface DraftBasis {
  conditions?: Record<string, string>;
  supportTypes?: Partial<Record<SupportType, string>>;
}

export type { DraftCase, DraftCondition, DraftEdit, MeasureFields } from '@matcher/catalog/types';
import type { DraftCase, DraftEdit } from '@matcher/catalog/types';

/** One recorded edit: who, when, what. */
export interface DraftEditRecord {
  revision: number;
  action: DraftEdit['action'] | 'rebase';
  target: string;
  summary: { zh: string; en: string };
  by: string;
  at: string;
}

/** 409 on a stale If-Match: the edits made since the revision the editor had. */
export interface DraftChanged {
  revision: number;
  changes: DraftEditRecord[];
}

/** POST /catalog/drafts/:id/rebase: the draft rebuilt on the live version. */
export interface Rebased {
  rulesetVersion: string;
  basedOn: string;
  revision: number;
  /** Parts both the draft and the versions published since changed differently; kept as `prefer` says. */
  conflicts: string[];
}

export interface MeasureCount {
  measureId: string;
  title: string;
  titleEn: string;
  prospects: number;
}

/** Counts only: an administrator sees no officer's screening names or prospects. */
export interface ScreeningImpact {
  screeningId: string;
  asOf: string;
  prospects: number;
  /** Prospects that would gain or lose at least one measure in force. */
  prospectsAffected: number;
  gained: MeasureCount[];
  lost: MeasureCount[];
}

/** GET /catalog/drafts/:id/impact. */
export interface DraftImpact {
  draftId: string;
  from: string;
  to: string;
  screenings: ScreeningImpact[];
}

/** GET /catalog/versions/:version/preview: what making it live again would change, before confirming. */
export interface VersionPreview {
  from: string;
  to: string;
  diff: RulesetDiff;
  screenings: ScreeningImpact[];
}

/** POST /catalog/drafts/:id/publish. */
export interface Published {
  rulesetVersion: string;
  previousVersion: string | null;
}

/** POST /catalog/versions/:version/activate. */
export interface Activated extends Published {
  changed: boolean;
}

export interface VersionSummary {
  rulesetVersion: string;
  live: boolean;
  origin: 'baseline' | 'bundle';
  basedOn: string | null;
  /** What the version does, as its draft said. */
  description: string | null;
  measures: number;
  documents: number;
  createdAt: string;
  createdBy: string;
  publishedAt: string | null;
  publishedBy: string | null;
  /** The publisher's name alone. */
  publisherName: string | null;
}

export interface Activation {
  rulesetVersion: string;
  previousVersion: string | null;
  action: 'baseline' | 'publish' | 'activate';
  by: string;
  at: string;
}

/** GET /catalog/versions. */
export interface VersionList {
  live: string;
  items: VersionSummary[];
  activations: Activation[];
}

export interface ExpiryItem {
  measureId: string;
  district: District;
  title: string;
  titleEn: string;
  validTo: string;
  /** `priority` entries are counted apart from measures. */
  kind: MeasureKind;
  departments: { id: string; name: string; nameEn: string }[];
  successors: string[];
}

/** Measures expiring within `days` of `asOf` (to `until`), and expired ones with no successor, counted by district and department. */
export interface ExpiryReport {
  asOf: string;
  days: number;
  until: string;
  expiring: ExpiryItem[];
  expiredWithoutSuccessor: ExpiryItem[];
  /** `expiring` and `expiredWithoutSuccessor` count measures; priorities are counted apart. */
  byDistrict: {
    district: District;
    expiring: number;
    expiredWithoutSuccessor: number;
    prioritiesExpiring: number;
    prioritiesExpiredWithoutSuccessor: number;
  }[];
  /** Measures only (priorities have no department to renew them). */
  byDepartment: { departmentId: string; name: string; nameEn: string; district: District; expiring: number; expiredWithoutSuccessor: number }[];
}

/** GET /catalog/expiry: the report on the live version. */
export interface ExpiryResponse extends ExpiryReport {
  rulesetVersion: string;
}
