import {
  toMeasure,
  type BlockCondition,
  type Condition,
  type DepartmentRecord,
  type District,
  type DocumentRecord,
  type LeafCondition,
  type MeasureKind,
  type RuleBasis,
  type RuleDefinition,
  type SupportType,
  type Validity,
} from '@matcher/catalog';
import { Ruleset } from '@matcher/engine';

export const IN_FORCE: Validity = { validFrom: '2024-12-09', validTo: '2025-12-31', basis: 'stated' };
export const PLAN_PERIOD: Validity = { validFrom: '2021-01-01', validTo: '2025-12-31', basis: 'plan-period' };
export const TERM_UNKNOWN: Validity = { validFrom: null, validTo: null, basis: 'unknown' };

/** Leaf conditions in the catalog's vocabulary (docs/catalog-authoring.md). */
export const leaf = {
  location: (district: string): LeafCondition => ({ name: 'location', fact: 'location', path: '$.district', operator: 'equal', value: district }),
  area: (areas: string[], name = 'area'): LeafCondition => ({ name, fact: 'location', path: '$.area', operator: 'in', value: areas }),
  sectors: (codes: string[], name = 'sector'): LeafCondition => ({ name, fact: 'sectors', operator: 'sectorIn', value: codes }),
  hasAny: (fact: string, codes: string[], name = fact): LeafCondition => ({ name, fact, operator: 'hasAny', value: codes }),
  oneOf: (fact: string, codes: string[], name = fact): LeafCondition => ({ name, fact, operator: 'in', value: codes }),
  metric: (metric: string, operator: string, value: number, name = metric): LeafCondition => ({ name, fact: 'metrics', path: `$.${metric}`, operator, value }),
};

export const all = (name: string, ...conditions: Condition[]): BlockCondition => ({ name, all: conditions });
export const any = (name: string, ...conditions: Condition[]): BlockCondition => ({ name, any: conditions });
export const not = (name: string, condition: Condition): BlockCondition => ({ name, not: condition });

let sequence = 0;

export interface RuleOptions {
  id?: string;
  district?: District;
  /** Conditions after the location condition every rule starts with. */
  conditions?: Condition[];
  validity?: Validity;
  title?: string;
  kind?: MeasureKind;
  /** The words of the text per condition name and per support type (docs/catalog-authoring.md, "Basis"). */
  basis?: RuleBasis;
  quote?: string;
  supportType?: SupportType[];
  documentId?: string;
}

/** A catalog rule: `all[location == district, ...conditions]` with a complete measure record. */
export function aRule(options: RuleOptions = {}): RuleDefinition {
  const district = options.district ?? 'jingan';
  const id = options.id ?? `test-rule-${++sequence}`;
  return {
    name: id,
    conditions: { name: 'eligibility', all: [leaf.location(district), ...(options.conditions ?? [])] },
    event: {
      type: 'measure-eligible',
      params: {
        measureId: id,
        district,
        kind: options.kind ?? 'measure',
        title: options.title ?? `测试措施 ${id}`,
        titleEn: `Test measure ${id}`,
        summary: '测试用措施。',
        summaryEn: 'A measure for tests.',
        departments: [{ name: '区商务委', source: 'inferred' }],
        source: { documentId: options.documentId ?? 'test-document', section: ['一、测试'], quote: options.quote ?? '测试。' },
        supportType: options.supportType ?? ['facilitation'],
        validity: options.validity ?? IN_FORCE,
        ...(options.basis ? { basis: options.basis } : {}),
      },
    },
  };
}

const TEST_DOCUMENT: DocumentRecord = {
  id: 'test-document',
  district: 'jingan',
  title: '测试文件',
  titleEn: 'Test document',
  issuer: '测试',
  issuerEn: 'Test',
  issuedOn: '2024-12-09',
  term: '测试',
  termEn: 'Test',
  validity: IN_FORCE,
};

/** Rules compiled into a Ruleset, with measure records resolved against a test document and department. */
export function aRuleset(rules: RuleDefinition[]): Ruleset {
  const documents = new Map([[TEST_DOCUMENT.id, TEST_DOCUMENT]]);
  const departments = new Map<string, DepartmentRecord>(
    (['xuhui', 'jingan', 'qingpu'] as const).map((d) => [
      `${d}:区商务委`,
      { id: `${d}-commerce`, district: d, name: '区商务委', fullName: '区商务委员会', nameEn: 'Commission of Commerce' },
    ]),
  );
  return new Ruleset({ version: 'test', rules, measures: rules.map((r) => toMeasure(r, documents, departments)) });
}
