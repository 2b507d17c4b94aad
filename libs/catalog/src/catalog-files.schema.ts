/**
 * JSON Schemas (2020-12) of the catalog's record files, the one definition both the repository's files
 * (seeds/catalog/*.json, rules/<district>/<id>.departments.json) and a policy bundle's copies of them are
 * held to: what catalog:bundle writes from the files is what the upload accepts.
 */

export const KEBAB = '^[a-z0-9]+(-[a-z0-9]+)*$';
const date = { anyOf: [{ type: 'string', format: 'date' }, { type: 'null' }] };
const text = { type: 'string', minLength: 1 };
const district = { enum: ['xuhui', 'jingan', 'qingpu'] };

/** A record of seeds/catalog/documents.json (DocumentRecord). */
export const DOCUMENT_RECORD_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'district', 'title', 'titleEn', 'issuer', 'issuerEn', 'issuedOn', 'term', 'termEn', 'validity'],
  properties: {
    id: { type: 'string', pattern: KEBAB, maxLength: 100 },
    district,
    title: text,
    titleEn: text,
    issuer: text,
    issuerEn: text,
    issuedOn: date,
    reference: text,
    term: text,
    termEn: text,
    validity: {
      type: 'object',
      additionalProperties: false,
      required: ['validFrom', 'validTo', 'basis'],
      properties: { validFrom: date, validTo: date, basis: { enum: ['stated', 'plan-period', 'unknown'] } },
    },
    supersedes: { type: 'array', uniqueItems: true, items: { type: 'string', pattern: KEBAB } },
  },
} as const;

/** A line of rules/<district>/<id>.departments.json (DocumentDepartment). */
export const DOCUMENT_DEPARTMENT_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'fullName'],
  properties: { name: text, fullName: text, nameEn: text },
} as const;

/** A record of seeds/catalog/departments.json, the directory (DepartmentRecord). */
export const DEPARTMENT_RECORD_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'district', 'name', 'fullName', 'nameEn'],
  properties: { id: { type: 'string', pattern: KEBAB }, district, name: text, fullName: text, nameEn: text },
} as const;
