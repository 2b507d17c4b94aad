import type { MeasureKind } from '../measures/rule.types';

/** test/rules/<district>/<documentId>.cases.json: `{ "<measure id>": [case, ...] }`. */
export const CASES_FILE_SCHEMA = {
  $id: 'rule-cases-file',
  type: 'object',
  additionalProperties: {
    type: 'array',
    items: {
      type: 'object',
      additionalProperties: false,
      required: ['case', 'profile', 'expect'],
      properties: {
        case: { type: 'string', minLength: 1 },
        profile: { type: 'object' },
        expect: { enum: ['match', 'no-match', 'not-a-measure'] },
        kind: { enum: ['measure', 'priority'] },
        failed: { type: 'array', minItems: 1, uniqueItems: true, items: { type: 'string', minLength: 1 } },
        missing: { type: 'array', minItems: 1, uniqueItems: true, items: { type: 'string', minLength: 1 } },
        quote: { type: 'string', minLength: 1 },
        asOf: { type: 'string', format: 'date' },
      },
    },
  },
} as const;

export interface CaseDefinition {
  case: string;
  profile: unknown;
  /** `not-a-measure`: the entry was removed from the catalog; no measure quoting `quote` may match the profile. */
  expect: 'match' | 'no-match' | 'not-a-measure';
  /** The entry's kind, asserted against the catalog (required on match and no-match cases). */
  kind?: MeasureKind;
  /** For a no-match: exactly the leaf conditions (by name) that fail. */
  failed?: string[];
  /** For a no-match: exactly the facts (as `plans`, `location.area`, `metrics.employees`) left unknown. */
  missing?: string[];
  quote?: string;
  asOf?: string;
}

export type CasesFile = Record<string, CaseDefinition[]>;
