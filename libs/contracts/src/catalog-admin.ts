import type { District, RulesetDiff } from './common';

/*
 * The catalog's lifecycle (administrators): drafts from policy bundles, their impact, publishing and
 * activating versions; and the expiry report (officers). Timestamps are ISO 8601 strings.
 */

/** A finding of the catalog checks: where in the bundle (or the catalog), and on which document and measure. */
export interface DraftFinding {
  path: string;
  documentId: string | null;
  measureId: string | null;
  message: string;
}

/** POST /catalog/drafts (201). */
export interface CreatedDraft {
  id: string;
  findings: DraftFinding[];
  diff: RulesetDiff;
  rulesetVersion: string;
}

/** GET /catalog/drafts/:id. */
export interface DraftView {
  id: string;
  rulesetVersion: string;
  basedOn: string | null;
  description: string | null;
  createdAt: string;
  createdBy: string;
  measures: number;
  documents: number;
  findings: DraftFinding[];
  /** Against the version live now. */
  diff: RulesetDiff;
}

export interface MeasureCount {
  measureId: string;
  title: string;
  titleEn: string;
  prospects: number;
}

export interface ScreeningImpact {
  screeningId: string;
  name: string;
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
  measures: number;
  documents: number;
  createdAt: string;
  createdBy: string;
  publishedAt: string | null;
  publishedBy: string | null;
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
  byDistrict: { district: District; expiring: number; expiredWithoutSuccessor: number }[];
  byDepartment: { departmentId: string; name: string; nameEn: string; district: District; expiring: number; expiredWithoutSuccessor: number }[];
}

/** GET /catalog/expiry: the report on the live version. */
export interface ExpiryResponse extends ExpiryReport {
  rulesetVersion: string;
}
