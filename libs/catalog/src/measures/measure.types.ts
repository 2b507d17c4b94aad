import type { ApplicationDetails, District, MeasureKind, SupportType, Validity } from './rule.types';

export interface DistrictRecord {
  code: District;
  name: string;
  nameEn: string;
}

export interface DocumentRecord {
  id: string;
  district: District;
  title: string;
  titleEn: string;
  issuer: string;
  issuerEn: string;
  issuedOn: string | null;
  reference?: string;
  term: string;
  termEn: string;
  validity: Validity;
  /** Ids of earlier documents this one succeeds: their measures point to this document's. */
  supersedes?: string[];
}

/** A document's record with its validity flattened: the shape the API lists and the catalog tables hold. */
export type FlatDocument = Omit<DocumentRecord, 'reference' | 'validity' | 'supersedes'> & {
  reference: string | null;
  validFrom: string | null;
  validTo: string | null;
  validityBasis: Validity['basis'];
};

export function flatDocument(d: DocumentRecord): FlatDocument {
  return {
    id: d.id,
    district: d.district,
    title: d.title,
    titleEn: d.titleEn,
    issuer: d.issuer,
    issuerEn: d.issuerEn,
    issuedOn: d.issuedOn,
    reference: d.reference ?? null,
    term: d.term,
    termEn: d.termEn,
    validFrom: d.validity.validFrom,
    validTo: d.validity.validTo,
    validityBasis: d.validity.basis,
  };
}

export interface DepartmentRecord {
  id: string;
  district: District;
  /** The short name as the documents write it (区商务委, 区投资办…). */
  name: string;
  fullName: string;
  nameEn: string;
}

export interface MeasureDepartment {
  id: string;
  name: string;
  fullName: string;
  nameEn: string;
  source: 'document' | 'inferred';
  /** Why an inferred department runs the programme: its published function. */
  basis?: string;
}

export interface MeasureSource {
  documentId: string;
  documentTitle: string;
  documentTitleEn: string;
  issuer: string;
  issuedOn: string | null;
  /** The heading path as written, joined with " › ". */
  section: string;
  sectionPath: string[];
  quote: string;
}

/** A support measure as the API serves it: the rule's record, resolved against documents and departments. */
export interface Measure {
  id: string;
  district: District;
  title: string;
  titleEn: string;
  summary: string;
  summaryEn: string;
  departments: MeasureDepartment[];
  source: MeasureSource;
  supportType: SupportType[];
  validity: Validity;
  kind: MeasureKind;
  /** Set when the text asks more of the addressee than the profile can express: check `precisionNote` yourself. */
  precision?: 'broad';
  precisionNote?: string;
  precisionNoteEn?: string;
  /** `general` when the only condition is the location; `targeted` otherwise. */
  specificity: 'targeted' | 'general';
  /** Profile fields the rule reads, besides the district. */
  facts: string[];
  /** Sector codes the rule names (for catalog filtering). */
  sectors: string[];
  application?: ApplicationDetails;
  /** The words of the text each condition (by name) and each support type stands on. */
  basis?: { conditions: Record<string, string>; supportTypes: Partial<Record<SupportType, string>> };
  /** Earlier measures this one succeeds (its own `replaces`). */
  replaces?: string[];
  /** Later measures that succeed this one (by `replaces`, or by their document's `supersedes`). */
  successors?: string[];
}

/** A broad measure's precision note, or nothing: carried alike by the measure record and by every result of it. */
export function precisionFields(
  m: Pick<Measure, 'precision' | 'precisionNote' | 'precisionNoteEn'>,
): Pick<Measure, 'precision' | 'precisionNote' | 'precisionNoteEn'> {
  return m.precision ? { precision: m.precision, precisionNote: m.precisionNote, precisionNoteEn: m.precisionNoteEn } : {};
}
