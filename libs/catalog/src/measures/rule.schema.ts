import { DISTRICTS, MEASURE_KINDS, SUPPORT_TYPES } from './rule.types';

const KEBAB = '^[a-z0-9]+(-[a-z0-9]+)*$';
/** The paths the compiled evaluator reads: "$.district", "$.employees". */
export const SIMPLE_PATH = '^\\$(\\.[A-Za-z_][A-Za-z0-9_]*)+$';

/**
 * JSON Schema (2020-12) of a rule file, rules/<district>/<documentId>.json: the json-rules-engine subset
 * the catalog is written in (docs/catalog-authoring.md). Every object is closed (additionalProperties:
 * false), so a misspelt key — metadata json-rules-engine would silently carry or drop — is an error.
 * `operators` are the names a leaf may use (the engine's OPERATORS table).
 */
export function ruleFileSchema(operators: readonly string[]) {
  const name = { type: 'string', pattern: KEBAB };
  const text = { type: 'string', minLength: 1 };
  const date = { anyOf: [{ type: 'string', format: 'date' }, { type: 'null' }] };
  const conditionList = { type: 'array', minItems: 1, items: { $ref: '#/$defs/condition' } };
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: 'catalog-rule-file',
    type: 'array',
    items: { $ref: '#/$defs/rule' },
    $defs: {
      rule: {
        type: 'object',
        additionalProperties: false,
        required: ['name', 'conditions', 'event'],
        properties: {
          name,
          priority: { type: 'integer', minimum: 1 },
          conditions: { $ref: '#/$defs/block' },
          event: { $ref: '#/$defs/event' },
        },
      },
      /** A block or a leaf, told apart by the key it carries so errors name the right shape. */
      condition: {
        type: 'object',
        if: { required: ['fact'] },
        then: { $ref: '#/$defs/leaf' },
        else: { $ref: '#/$defs/block' },
      },
      block: {
        type: 'object',
        if: { required: ['all'] },
        then: { $ref: '#/$defs/all' },
        else: { if: { required: ['any'] }, then: { $ref: '#/$defs/any' }, else: { $ref: '#/$defs/not' } },
      },
      all: { type: 'object', additionalProperties: false, required: ['name', 'all'], properties: { name, all: conditionList } },
      any: { type: 'object', additionalProperties: false, required: ['name', 'any'], properties: { name, any: conditionList } },
      not: { type: 'object', additionalProperties: false, required: ['name', 'not'], properties: { name, not: { $ref: '#/$defs/condition' } } },
      leaf: {
        type: 'object',
        additionalProperties: false,
        required: ['name', 'fact', 'operator', 'value'],
        properties: {
          name,
          fact: { type: 'string', minLength: 1 },
          path: { type: 'string', pattern: SIMPLE_PATH },
          operator: { enum: [...operators] },
          // Literals only: an object value would be read by json-rules-engine as a fact reference.
          value: {
            anyOf: [{ type: ['string', 'number', 'boolean'] }, { type: 'array', minItems: 1, uniqueItems: true, items: { type: ['string', 'number'] } }],
          },
        },
      },
      event: {
        type: 'object',
        additionalProperties: false,
        required: ['type', 'params'],
        properties: { type: { const: 'measure-eligible' }, params: { $ref: '#/$defs/params' } },
      },
      params: {
        type: 'object',
        additionalProperties: false,
        required: ['measureId', 'district', 'kind', 'title', 'titleEn', 'summary', 'summaryEn', 'departments', 'source', 'supportType', 'validity'],
        properties: {
          measureId: name,
          district: { enum: [...DISTRICTS] },
          kind: { enum: [...MEASURE_KINDS] },
          precision: { const: 'broad' },
          precisionNote: text,
          precisionNoteEn: text,
          supportTypeNote: text,
          title: text,
          titleEn: text,
          summary: text,
          summaryEn: text,
          departments: {
            type: 'array',
            minItems: 1,
            items: {
              type: 'object',
              additionalProperties: false,
              required: ['name', 'source'],
              properties: { name: text, source: { enum: ['document', 'inferred'] }, basis: text },
            },
          },
          source: {
            type: 'object',
            additionalProperties: false,
            required: ['documentId', 'section', 'quote'],
            properties: {
              documentId: { type: 'string', pattern: KEBAB },
              section: { type: 'array', minItems: 1, items: { type: 'string', pattern: '\\S' } },
              quote: { type: 'string', pattern: '\\S' },
            },
          },
          supportType: { type: 'array', minItems: 1, uniqueItems: true, items: { enum: [...SUPPORT_TYPES] } },
          validity: {
            type: 'object',
            additionalProperties: false,
            required: ['validFrom', 'validTo', 'basis'],
            properties: { validFrom: date, validTo: date, basis: { enum: ['stated', 'plan-period', 'unknown'] } },
          },
          replaces: { type: 'array', minItems: 1, uniqueItems: true, items: name },
          basis: {
            type: 'object',
            additionalProperties: false,
            properties: {
              conditions: { type: 'object', propertyNames: { pattern: KEBAB }, additionalProperties: text },
              supportTypes: { type: 'object', propertyNames: { enum: [...SUPPORT_TYPES] }, additionalProperties: text },
            },
          },
          crossDocument: {
            type: 'array',
            minItems: 1,
            items: {
              type: 'object',
              additionalProperties: false,
              required: ['measureId', 'reason'],
              properties: { measureId: name, reason: text },
            },
          },
          application: {
            type: 'object',
            additionalProperties: false,
            minProperties: 1,
            properties: {
              opens: { type: 'string', format: 'date' },
              closes: { type: 'string', format: 'date' },
              amount: {
                type: 'object',
                additionalProperties: false,
                minProperties: 1,
                properties: { min: { type: 'number', minimum: 0 }, max: { type: 'number', minimum: 0 }, note: text, noteEn: text },
              },
              automatic: { type: 'boolean' },
              channel: {
                type: 'object',
                additionalProperties: false,
                required: ['kind', 'name'],
                properties: { kind: { enum: ['online', 'office'] }, name: text, nameEn: text, url: { type: 'string', pattern: '^https?://' }, address: text },
              },
              contact: text,
            },
          },
        },
      },
    },
  } as const;
}
