import type {
  AnyOf,
  ApplicationDetails,
  CompanyProfile,
  Comparison,
  District,
  FailedCondition,
  FieldError,
  HeldCondition,
  Lang,
  MatchSummary,
  MeasureResult,
  MissingFact,
  NearMiss,
  PriorityResult,
  Question,
  Words,
} from './common';

/** The options every evaluation takes. */
export interface ValidityOptions {
  /** YYYY-MM-DD; default today in Asia/Shanghai. */
  asOf?: string;
  includeExpired?: boolean;
}

export interface AnswerOptions extends ValidityOptions {
  districts?: District[];
  nearMissLimit?: number;
}

/** POST /match. The profile is company profile v1 (+ the documented extension), checked by the server. */
export interface MatchRequest extends AnswerOptions {
  profile: CompanyProfile;
  lang?: Lang;
  /** Administrators: simulate against a draft, or against another published version. */
  draft?: string;
  rulesetVersion?: string;
}

/** POST /match/compare. */
export interface CompareRequest extends ValidityOptions {
  profile: CompanyProfile;
  lang?: Lang;
}

/** A worded item with `text` in the language the request asked for (both languages stay). */
export type InLanguage<T extends Words> = T & { text: string };

/** A measure that succeeds an expired one. */
export interface Successor {
  measureId: string;
  title: string;
  titleEn: string;
  validFrom: string | null;
  validTo: string | null;
}

/** How to apply, when the measure says, and for an expired measure what succeeds it. */
export interface Lifecycle {
  application?: ApplicationDetails;
  successors?: Successor[];
}

/** A match of POST /match: match result v1 (+ specificity, factsUsed), its conditions worded in the request's language. */
export interface MatchedMeasure extends Omit<MeasureResult, 'explanation' | 'anyOf'>, Lifecycle {
  explanation: InLanguage<HeldCondition>[];
  anyOf?: InLanguage<AnyOf>[];
}

export interface NearMissResult extends Omit<NearMiss, 'missing' | 'failed' | 'anyOf'>, Lifecycle {
  missing: InLanguage<MissingFact>[];
  failed: InLanguage<FailedCondition>[];
  anyOf?: InLanguage<AnyOf>[];
}

export interface PriorityMatch extends Omit<PriorityResult, 'names'> {
  names: InLanguage<HeldCondition>[];
}

/** POST /match. */
export interface MatchResponse {
  rulesetVersion: string;
  evaluationId: string;
  lang: Lang;
  asOf: string;
  districts: District[];
  matches: MatchedMeasure[];
  priorities: PriorityMatch[];
  nearMisses: NearMissResult[];
  nearMissesTotal: number;
  questions: InLanguage<Question>[];
  /** The summary, its headline also in the language asked for. */
  summary: Omit<MatchSummary, 'headline'> & { headline: InLanguage<Words> };
}

/** POST /match/compare. */
export interface CompareResponse extends Comparison {
  rulesetVersion: string;
  evaluationId: string;
}

export type BatchDetail = 'compact' | 'full';

/** POST /match/batch (application/json). */
export interface BatchRequest extends AnswerOptions {
  profiles: unknown[];
  detail?: BatchDetail;
}

/**
 * A match in a compact batch: what applies, its state and why, with department names — the measure record
 * itself (summary, source quote) is one GET /api/v1/measures/:id away rather than repeated per prospect.
 */
export type CompactMatch = Pick<
  MeasureResult,
  'measureId' | 'district' | 'title' | 'titleEn' | 'status' | 'validFrom' | 'validTo' | 'scenario' | 'specificity'
> & {
  departments: { name: string; nameEn: string; source: string }[];
  documentId: string;
  explanation: Words[];
};

/** A near miss in a compact batch: which measure, why, and which facts or conditions decide it. */
export type CompactNearMiss = Pick<NearMiss, 'measureId' | 'district' | 'status' | 'scenario' | 'reason'> & {
  missing: string[];
  failed: Pick<FailedCondition, 'condition' | 'fact' | 'satisfiedBy' | 'detailNeeded'>[];
};

/** A district priority naming the prospect, in a compact batch: which one and what of the profile it names ("fact:value"). */
export type CompactPriority = Pick<PriorityResult, 'measureId' | 'district' | 'title' | 'titleEn' | 'status' | 'scenario'> & { names: string[] };

/** One profile's answer in a batch, in input order: compact by default, the POST /match shapes with detail=full. */
export interface BatchMatch {
  index: number;
  matches: CompactMatch[] | MeasureResult[];
  priorities: CompactPriority[] | PriorityResult[];
  nearMisses: CompactNearMiss[] | NearMiss[];
  nearMissesTotal: number;
  summary: Pick<MatchSummary, 'matches' | 'lastInForce' | 'headline'> | MatchSummary;
}

/** A profile of the batch that is not valid: its errors, paths under `profiles[index]`. */
export interface BatchFailure {
  index: number;
  errors: FieldError[];
}

export type BatchResult = BatchMatch | BatchFailure;

/** POST /match/batch (application/json); application/x-ndjson streams the results one per line. */
export interface BatchResponse {
  rulesetVersion: string;
  asOf: string;
  results: BatchResult[];
}
