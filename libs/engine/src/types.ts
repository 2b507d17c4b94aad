import type { District, Measure, MeasureDepartment, MeasureSource, SupportType } from '@matcher/catalog/types';
import type { MeasureStatus } from './validity';

export type { MeasureStatus };

/*
 * The engine's result types. This module and ./validity import nothing of Node or of the catalog's loaders, so the
 * API contract (`@matcher/contracts`, through `@matcher/engine/types`) re-exports them for the web app as well.
 */

/** A condition, or a fact that satisfied it, said in both languages. */
export interface Words {
  zh: string;
  en: string;
}

/** A rule's conditions as a tree of sentences (GET /measures/:id). */
export type RuleWords =
  | ({ name: string; kind: 'condition'; fact: string; basis?: string } & Words)
  | { name: string; kind: 'all' | 'any' | 'not'; zh: string; en: string; children: RuleWords[] };

export type Scenario = 'current-location' | 'relocation';

export const DEFAULT_NEAR_MISS_LIMIT = 10;
export const MAX_NEAR_MISS_LIMIT = 100;

export interface MatchOptions {
  districts?: District[];
  asOf: string;
  includeExpired?: boolean;
  /** How many near misses to return, best first (default 10, 0–100); `nearMissesTotal` counts them all. */
  nearMissLimit?: number;
}

/** The words of the policy text a condition encodes (原文要求「工业企业」), shown beside the company's fact. */
export interface BasisField {
  basis?: string;
}

/**
 * Conditions of which any one is enough (an `any` block of the rule), in one sentence: "满足其一：A 或 B" /
 * "One of: A or B". `conditions` names the leaf conditions it stands for.
 */
export interface AnyOf extends Words {
  conditions: string[];
}

export interface HeldCondition extends Words, BasisField {
  condition: string;
  fact: string;
  values: unknown[];
}

export interface FailedCondition extends Words, BasisField {
  condition: string;
  fact: string;
  /** What the profile said for this fact. */
  profileValue: unknown;
  /** Codes (or the threshold) that would satisfy the condition. */
  satisfiedBy: unknown;
  /** The profile gave a parent sector where the rule needs a child: more detail needed. */
  detailNeeded: boolean;
}

/** `basis`: the text's words for every open condition on this fact, joined with 、. */
export interface MissingFact extends Words, BasisField {
  fact: string;
  /** Codes (or thresholds) the rule would accept for this fact. */
  satisfiedBy: unknown[];
}

/** A text that asks more of the addressee than the profile can say: the company checks `note` itself. */
export interface PrecisionFields {
  precision?: 'broad';
  precisionNote?: string;
  precisionNoteEn?: string;
}

/** A department as match result v1 names it. */
export type ResultDepartment = Pick<MeasureDepartment, 'name' | 'nameEn' | 'source'>;

/** The source as match result v1 gives it; the heading path and the English title are on the measure record. */
export type ResultSource = Pick<MeasureSource, 'documentId' | 'documentTitle' | 'issuer' | 'issuedOn' | 'section' | 'quote'>;

/**
 * Match result v1 per measure, plus `specificity`, `factsUsed` and, for a broad measure, its precision note.
 * The measure's summary, department ids and full names are one GET /api/v1/measures/:id away: an answer
 * repeats no prose of the catalog beyond what v1 asks for.
 */
export interface MeasureResult extends PrecisionFields {
  measureId: string;
  district: District;
  title: string;
  titleEn: string;
  departments: ResultDepartment[];
  source: ResultSource;
  supportType: SupportType[];
  /** Always `measure` here: district priorities are listed apart (`priorities`). */
  kind: Measure['kind'];
  status: MeasureStatus;
  validFrom: string | null;
  validTo: string | null;
  scenario: Scenario;
  specificity: Measure['specificity'];
  explanation: HeldCondition[];
  /** How many of the profile's facts (besides the district) the rule used. */
  factsUsed: number;
  /** Set when the company satisfies two or more alternatives of one `any` block: they read as alternatives. */
  anyOf?: AnyOf[];
  /** Set when a measure in force ends within 60 days of `asOf`: the days left (0 = its last day is `asOf`). */
  endsInDays?: number;
}

/**
 * A measure within reach: which one, its state, and what would decide it. Lean on purpose; departments,
 * summary and source quote are one GET /api/v1/measures/:id away.
 * - `needs-info`: undecided only because the profile leaves `missing` facts unknown;
 * - `one-change`: one known condition fails, on a fact a company can change (`failed`: any one of them,
 *   satisfied, makes the measure apply).
 */
export interface NearMiss
  extends
    Pick<
      MeasureResult,
      'measureId' | 'district' | 'title' | 'titleEn' | 'kind' | 'status' | 'validTo' | 'scenario' | 'specificity' | 'factsUsed' | 'endsInDays'
    >,
    PrecisionFields {
  reason: 'needs-info' | 'one-change';
  missing: MissingFact[];
  failed: FailedCondition[];
  /**
   * Set when two or more of what is listed are alternatives, any one enough: for `one-change` all the failed
   * conditions; for `needs-info` the open conditions each of which, once the company says it holds, decides the measure.
   */
  anyOf?: AnyOf[];
}

export interface PriorityResult {
  measureId: string;
  district: District;
  title: string;
  titleEn: string;
  /** The heading path as written, joined with " › ". */
  section: string;
  quote: string;
  documentId: string;
  status: MeasureStatus;
  validFrom: string | null;
  validTo: string | null;
  scenario: Scenario;
  /** What of the profile the priority names (its conditions that held, the district aside). */
  names: HeldCondition[];
  /** As on a measure: set when the plan is in force and ends within 60 days of `asOf`. */
  endsInDays?: number;
}

export interface QuestionOption {
  value: unknown;
  measures: number;
}

export interface Question extends Words {
  fact: string;
  /** How many undecided measures still in force (or of unstated term) this fact would help decide. */
  decides: number;
  measureIds: string[];
  /** Codes the undecided rules would accept, most useful first. "None of these" is always a valid answer too. */
  options: QuestionOption[];
}

export interface StatusCounts {
  total: number;
  inForce: number;
  termUnknown: number;
  notYetInForce: number;
  expired: number;
}

export interface MatchSummary {
  matches: StatusCounts;
  /** Matches that name something about the company beyond its district, and those that apply to every company there. */
  targeted: number;
  general: number;
  nearMisses: { total: number; needsInfo: number; oneChange: number };
  priorities: number;
  /** The latest date on which any matched measure is or was in force (its end date); null when none states one. */
  lastInForce: string | null;
  /** The truth as of the date, in one or two sentences. */
  headline: Words;
  /** Set when no undecided measure is in force: why there are no questions. */
  questionsNote: Words | null;
}

export interface MatchOutcome {
  asOf: string;
  districts: District[];
  matches: MeasureResult[];
  priorities: PriorityResult[];
  nearMisses: NearMiss[];
  nearMissesTotal: number;
  questions: Question[];
  summary: MatchSummary;
}

export interface DistrictComparison {
  district: District;
  scenario: Scenario;
  /**
   * Matched measures (kind `measure`) as of the date: all of them, those in force, those of unstated term
   * (neither in force nor expired as far as the text says), expired; targeted and general; near misses and priorities.
   */
  counts: {
    matches: number;
    inForce: number;
    termUnknown: number;
    expired: number;
    targeted: number;
    general: number;
    nearMisses: number;
    priorities: number;
  };
  /** Matched measures per support type: all, and in force. */
  bySupportType: { supportType: SupportType; measures: number; inForce: number }[];
  byDepartment: {
    departmentId: string;
    name: string;
    nameEn: string;
    /** Each with its state and term, so a badge can say when it ended. */
    measures: Pick<MeasureResult, 'measureId' | 'title' | 'titleEn' | 'status' | 'validFrom' | 'validTo'>[];
  }[];
  /** Matches that reward something about the company no other district's matches reward. */
  onlyHere: (Pick<MeasureResult, 'measureId' | 'title' | 'titleEn' | 'status' | 'validFrom' | 'validTo'> & { uniqueFacts: string[] })[];
  /** District priorities that name the company's sector, with the state of the plan that sets them. */
  sectorPriorities: Pick<PriorityResult, 'measureId' | 'title' | 'titleEn' | 'section' | 'names' | 'status' | 'validFrom' | 'validTo'>[];
}

export interface Comparison {
  asOf: string;
  districts: DistrictComparison[];
  /** Which district offers the company more, as of the date, in one sentence. */
  verdict: Words;
}

/** One difference of a changed measure, said in both languages. */
export interface MeasureChange extends Words {
  field: string;
}

export interface MeasureDiffEntry {
  measureId: string;
  district: string;
  title: string;
  titleEn: string;
  documentId: string;
}

export interface RulesetDiff {
  from: string;
  to: string;
  added: MeasureDiffEntry[];
  removed: MeasureDiffEntry[];
  changed: (MeasureDiffEntry & { changes: MeasureChange[] })[];
  documents: { added: string[]; removed: string[]; changed: string[] };
  /** The whole difference in a few sentences. */
  summary: Words;
}
