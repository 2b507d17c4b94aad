/** The profile's fields and codes as the taxonomy describes them (no data here: taxonomy.ts loads it). */

export interface CodeLabel {
  code: string;
  zh: string;
  en: string;
  /** For hierarchical sectors: the parent code. */
  parent?: string;
  /** Set on codes of the documented profile extension (not in v1). */
  extension?: true;
  /**
   * False on a qualification a company cannot plausibly acquire by deciding to (老字号 needs decades of history):
   * never offered as the one change that would make a measure apply.
   */
  changeable?: false;
  /** The plans or sectors (a sector and everything beneath it) that make this code a likely next step or fit for a company. */
  pointedBy?: { plans?: string[]; sectors?: string[] };
  /** A role that is a kind of organisation (a university, a park operator, a bank) rather than a trait of an ordinary company. */
  organisation?: true;
}

export type FactKey =
  | 'location.district'
  | 'location.area'
  | 'sectors'
  | 'headquarters'
  | 'headquartersRecognition'
  | 'qualifications'
  | 'roles'
  | 'ownership'
  | 'size'
  | 'listing'
  | 'plans'
  | 'talent'
  | 'additionalSectors'
  | 'additionalRoles'
  | 'additionalTalent'
  | 'additionalQualifications'
  | 'additionalPlans'
  | 'metrics.employees'
  | 'metrics.annualRevenueWan'
  | 'metrics.annualTaxWan'
  | 'metrics.rdExpenseRatio'
  | 'metrics.foundedYear'
  | 'metrics.inventionPatents'
  | 'metrics.pctApplications';

export interface ProfileField {
  key: FactKey;
  kind: 'code' | 'codes' | 'number';
  section: 'location' | 'sectors' | 'headquarters' | 'qualifications' | 'roles' | 'company' | 'plans' | 'talent' | 'metrics';
  zh: string;
  en: string;
  hintZh: string;
  hintEn: string;
  unit?: { zh: string; en: string };
  codes?: CodeLabel[];
}
