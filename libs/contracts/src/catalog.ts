import type { CodeLabel, District, FlatDocument, Measure, MeasureDepartment, MeasureKind, MeasureStatus, ProfileField, RuleWords, SupportType } from './common';

/** A code with its labels in both languages (support types, statuses). */
export interface LabelledCode<C extends string = string> {
  code: C;
  zh: string;
  en: string;
}

export interface TaxonomyCode extends CodeLabel {
  /** Everyday names (the catalog's synonym table): 生物医药, 高企, 民企… */
  synonyms: string[];
  /** Sector fields: the codes beneath this one. */
  children?: string[];
}

export interface TaxonomyField extends Omit<ProfileField, 'codes'> {
  /** Column headers an upload may use for this field. */
  headerAliases: string[];
  codes?: TaxonomyCode[];
  /** Everyday names that mean more than one code of this field. */
  ambiguous?: Record<string, string[]>;
}

/** GET /taxonomy: every code of profile v1 and its extension; the form is built from it. */
export interface Taxonomy {
  profileVersion: string;
  fields: TaxonomyField[];
  districts: District[];
  supportTypes: LabelledCode<SupportType>[];
  statuses: LabelledCode<MeasureStatus>[];
}

/** A measure as GET /measures lists it: the catalog's record, with its status as of the date. */
export interface MeasureItem extends Measure {
  status: MeasureStatus;
  asOf: string;
}

/** GET /measures and GET /departments/:id/measures. */
export interface MeasureList {
  total: number;
  limit: number;
  offset: number;
  asOf: string;
  items: MeasureItem[];
}

/** GET /measures?…: the filters, and paging. */
export interface MeasureQuery {
  district?: District;
  department?: string;
  sector?: string;
  kind?: MeasureKind;
  supportType?: SupportType;
  status?: MeasureStatus;
  asOf?: string;
  q?: string;
  limit?: number;
  offset?: number;
}

/** GET /measures/:id. */
export interface MeasureDetail extends MeasureItem {
  rule: RuleWords;
  sourceParagraph: { before: string; quote: string; after: string } | null;
  /** [start, end) of the quote in the document's full text as GET /documents/:id serves it, for highlighting. */
  quoteRange: [number, number] | null;
}

/** A department with how many measures name it, by the document or by inference. */
export interface DepartmentSummary extends Omit<MeasureDepartment, 'source' | 'basis'> {
  district: District;
  measures: { total: number; document: number; inferred: number };
}

/** GET /departments. */
export interface DepartmentList {
  total: number;
  items: DepartmentSummary[];
}

/** A source document as GET /documents lists it (without its text). */
export interface DocumentItem extends FlatDocument {
  /** Ids of earlier documents this one succeeds, when it says. */
  supersedes?: string[];
  measures: number;
}

/** GET /documents. */
export interface DocumentList {
  total: number;
  items: DocumentItem[];
}

/** GET /documents/:id: the document, its full text and the measures drawn from it. */
export interface DocumentDetail extends FlatDocument {
  supersedes?: string[];
  fullText: string;
  measures: { id: string; title: string; titleEn: string }[];
}
