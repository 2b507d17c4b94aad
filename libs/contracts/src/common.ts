/*
 * The engine's and the catalog's own types, re-exported: they are the one definition of these shapes.
 * Type-only, from the node-free entries, so the web app can import the contract.
 */
export type {
  ApplicationDetails,
  CodeLabel,
  CompanyProfile,
  District,
  FactKey,
  FieldError,
  FlatDocument,
  Lang,
  Measure,
  MeasureDepartment,
  MeasureKind,
  MeasureSource,
  ProfileField,
  SupportType,
  Validity,
  ValidityBasis,
} from '@matcher/catalog/types';
export type {
  AnyOf,
  Comparison,
  DistrictComparison,
  FailedCondition,
  HeldCondition,
  MatchOutcome,
  MatchSummary,
  MeasureChange,
  MeasureDiffEntry,
  MeasureResult,
  MeasureStatus,
  MissingFact,
  NearMiss,
  PrecisionFields,
  PriorityResult,
  Question,
  QuestionOption,
  RuleWords,
  RulesetDiff,
  Scenario,
  StatusCounts,
  Words,
} from '@matcher/engine/types';

/** A list answer paged by `limit` and `offset`; `total` counts every item that matched. */
export interface Page<T> {
  total: number;
  limit: number;
  offset: number;
  items: T[];
}
