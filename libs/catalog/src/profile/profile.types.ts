/** Company profile v1 (../shared/spec/company-profile.schema.json). Every field but location.district is optional. */
export interface CompanyProfile {
  name?: string;
  uscc?: string;
  location: { district: string; area?: string };
  sectors?: string[];
  headquarters?: string[];
  headquartersRecognition?: string;
  qualifications?: string[];
  roles?: string[];
  ownership?: string;
  size?: string;
  listing?: string;
  plans?: string[];
  talent?: string[];
  /** Extension (optional): sector codes profile v1 lacks, evaluated as sectors. */
  additionalSectors?: string[];
  /** Extension (optional): role codes profile v1 lacks, evaluated as roles. */
  additionalRoles?: string[];
  /** Extension (optional): talent codes profile v1 lacks, evaluated as talent. */
  additionalTalent?: string[];
  /** Extension (optional): qualification codes profile v1 lacks, evaluated as qualifications. */
  additionalQualifications?: string[];
  /** Extension (optional): plan codes profile v1 lacks (seeking a recognition, say), evaluated as plans. */
  additionalPlans?: string[];
  metrics?: {
    employees?: number;
    annualRevenueWan?: number;
    annualTaxWan?: number;
    rdExpenseRatio?: number;
    foundedYear?: number;
    inventionPatents?: number;
    pctApplications?: number;
  };
}

export interface FieldError {
  /** Where in the request: "profile.sectors[2]". */
  path: string;
  message: string;
}
