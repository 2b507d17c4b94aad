/** The json-rules-engine rule format the catalog is written in (see docs/catalog-authoring.md). */
export interface LeafCondition {
  name: string;
  fact: string;
  path?: string;
  operator: string;
  value: unknown;
  params?: Record<string, unknown>;
  priority?: number;
}

export interface AllCondition {
  name: string;
  all: Condition[];
  priority?: number;
}
export interface AnyCondition {
  name: string;
  any: Condition[];
  priority?: number;
}
export interface NotCondition {
  name: string;
  not: Condition;
  priority?: number;
}
export type BlockCondition = AllCondition | AnyCondition | NotCondition;
export type Condition = LeafCondition | BlockCondition;

/** The two languages every label and sentence is written in. */
export type Lang = 'zh' | 'en';

export const DISTRICTS = ['xuhui', 'jingan', 'qingpu'] as const;
export type District = (typeof DISTRICTS)[number];

export const SUPPORT_TYPES = ['funding', 'recognition', 'financing', 'talent-services', 'space', 'facilitation', 'platform', 'other'] as const;
export type SupportType = (typeof SUPPORT_TYPES)[number];

/**
 * `measure`: support, a service, recognition, funding, financing, space, a platform or facilitation that an
 * enterprise, institution or person can receive, use or apply for. `priority`: the district says it will develop,
 * attract or lay out an industry, an activity or an area — worth knowing for a location decision, nothing to apply for.
 */
export const MEASURE_KINDS = ['measure', 'priority'] as const;
export type MeasureKind = (typeof MEASURE_KINDS)[number];

export type ValidityBasis = 'stated' | 'plan-period' | 'unknown';

export interface Validity {
  validFrom: string | null;
  validTo: string | null;
  basis: ValidityBasis;
}

export interface RuleDepartmentRef {
  name: string;
  source: 'document' | 'inferred';
  /** Why an inferred department runs this programme: its published function, in a few words. */
  basis?: string;
}

/**
 * The words of the text each part of a rule stands on (docs/catalog-authoring.md, "Basis"): per leaf condition name
 * (the district leaf aside), the phrase it encodes; per support type, the instrument words that justify it.
 */
export interface RuleBasis {
  conditions?: Record<string, string>;
  supportTypes?: Partial<Record<SupportType, string>>;
}

/** An entry of another document whose quote is (nearly) the same sentence, and why the two differ. */
export interface CrossDocumentNote {
  measureId: string;
  reason: string;
}

/** What a rule's event carries: the measure's catalog record as authored. */
export interface MeasureParams {
  measureId: string;
  district: District;
  kind: MeasureKind;
  /**
   * `broad`: the text requires something of the addressee the profile cannot express (a named national platform,
   * "global influence"); the answer tells the company to check that condition itself, in the words of the note.
   */
  precision?: 'broad';
  precisionNote?: string;
  precisionNoteEn?: string;
  /** Why a measure's only support type is `other` (rules:check asks for one). */
  supportTypeNote?: string;
  title: string;
  titleEn: string;
  summary: string;
  summaryEn: string;
  departments: RuleDepartmentRef[];
  source: { documentId: string; section: string[]; quote: string };
  supportType: SupportType[];
  validity: Validity;
  /** Ids of earlier measures (of this or an earlier ruleset) this one succeeds. */
  replaces?: string[];
  basis?: RuleBasis;
  crossDocument?: CrossDocumentNote[];
  /** How to apply, when the document says: shown as given, never inferred. */
  application?: ApplicationDetails;
}

/** Optional application details of a measure. Every field is optional; the shipped seeds carry none. */
export interface ApplicationDetails {
  /** The application window, as dates YYYY-MM-DD. */
  opens?: string;
  closes?: string;
  /** The amount in yuan: a fixed sum (min = max), a range, or a ceiling (max only); `note` in words. */
  amount?: { min?: number; max?: number; note?: string; noteEn?: string };
  /** 免申即享: granted without an application. */
  automatic?: boolean;
  /** Where to apply: an online service or an office. */
  channel?: { kind: 'online' | 'office'; name: string; nameEn?: string; url?: string; address?: string };
  contact?: string;
}

export interface RuleDefinition {
  name: string;
  priority?: number;
  conditions: BlockCondition;
  event: { type: 'measure-eligible'; params: MeasureParams };
}

export function isLeaf(c: Condition): c is LeafCondition {
  return (c as LeafCondition).fact !== undefined;
}

export function childrenOf(c: BlockCondition): Condition[] {
  if ('all' in c) return c.all;
  if ('any' in c) return c.any;
  return [c.not];
}

/** Leaves in depth-first order — the order json-rules-engine reports them in. */
export function leavesOf(c: Condition): LeafCondition[] {
  if (isLeaf(c)) return [c];
  return childrenOf(c).flatMap(leavesOf);
}

/** "location" + "$.district" → "location.district": the profile field a leaf reads. */
export function factKeyOf(leaf: LeafCondition): string {
  return leaf.path ? `${leaf.fact}.${leaf.path.replace(/^\$\./, '')}` : leaf.fact;
}
