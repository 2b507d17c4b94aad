import type { CompanyProfile, District, FieldError, MatchSummary, MeasureDepartment, MeasureStatus, Scenario } from './common';
import type { MatchResponse } from './match';
import type { Page } from './common';

/*
 * Screenings: officers' uploads of prospects, screened in the background. Timestamps are ISO 8601 strings.
 */

export type ScreeningFormat = 'csv' | 'xlsx' | 'ndjson';
/** A screening's state as a client sees it. */
export type ScreeningState = 'queued' | 'running' | 'paused' | 'completed' | 'failed' | 'cancelled';
export type ScreeningRunState = 'queued' | 'running' | 'paused' | 'completed' | 'failed' | 'cancelled';

export interface ScreeningOptions {
  /** Districts every prospect is evaluated in; absent = each prospect's default (its own, or all three). */
  districts?: string[];
  /** Fixed evaluation date; absent = today (Asia/Shanghai) when each run is created. */
  asOf?: string;
}

export interface ScreeningColumns {
  /** Columns read, in file order, and the profile field each fills. */
  mapped: { header: string; field: string }[];
  /** Columns that name no profile field (reported once, not fatal) or were mapped to null. */
  ignored: { header: string; reason: 'unknown' | 'mapped-to-null'; suggestions?: string[] }[];
  /** The file's header row as given, in order (CSV and XLSX): exports give these columns back first. */
  headers?: string[];
}

/** A code offered to the officer: where it is stored, and its labels. */
export interface CodeChoice {
  field: string;
  code: string;
  zh: string;
  en: string;
}

/**
 * A row error: the profile path, the message (in the officer's language), the column and the value it came
 * from; an unknown or ambiguous value carries the codes to choose from.
 */
export interface RowError extends FieldError {
  column?: string;
  value?: string;
  reason?: 'unknown-value' | 'ambiguous-value';
  /** Ambiguous: every code the value may mean. Unknown: the closest valid codes. */
  candidates?: CodeChoice[];
}

/** A row that could not be read: its position, the spreadsheet's own row number when it differs, and why. */
export interface FailedRow {
  row: number;
  sheetRow?: number;
  errors: RowError[];
}

/** GET /screenings (in `items`). */
export interface ScreeningSummary {
  id: string;
  name: string;
  state: ScreeningState;
  format: ScreeningFormat;
  fileName: string | null;
  rowsTotal: number;
  /** Rows finished in the current run: failed rows (reported) plus prospects screened. */
  rowsDone: number;
  rowsFailed: number;
  /** Prospects screened in the current run. */
  rowsScreened: number;
  createdAt: string;
  finishedAt: string | null;
  currentRun: number;
}

export interface ScreeningList {
  items: ScreeningSummary[];
}

export interface ScreeningRun {
  run: number;
  rulesetVersion: string;
  asOf: string;
  state: ScreeningRunState;
  rowsDone: number;
  chunksDone: number;
  chunksTotal: number;
  resultsStored: number;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  error: string | null;
}

/** GET /screenings/:id; also the answer of POST /screenings, POST /:id/rerun and a cancelling DELETE /:id. */
export interface ScreeningDetail extends ScreeningSummary {
  options: ScreeningOptions;
  columns: ScreeningColumns;
  warnings: { message: string; column?: string }[];
  /** The first rows that could not be read; GET /screenings/:id/row-errors pages them all. */
  rowErrors: FailedRow[];
  /** True when rowErrors shows only the first of rowsFailed. */
  rowErrorsTruncated: boolean;
  runs: ScreeningRun[];
  error: string | null;
}

/** GET /screenings/:id/row-errors. */
export type RowErrorPage = Page<FailedRow>;

/** A value the import could not read by itself: unknown (with the closest codes) or ambiguous (with every candidate). */
export interface ValueIssue {
  column: string;
  field: string;
  value: string;
  reason: 'unknown-value' | 'ambiguous-value';
  message: string;
  candidates: CodeChoice[];
  /** Rows holding it (the first few) and how many in all. */
  rows: number[];
  count: number;
}

/** POST /screenings/preview: what an upload would read, before anything is stored or screened. */
export interface ImportPreview {
  format: ScreeningFormat;
  encoding?: string;
  columns: { index: number; header: string; field: string | null; source: 'recognised' | 'mapping' | 'unknown' | 'ignored'; suggestions: string[] }[];
  sampleRows: { row: number; cells: unknown[] }[];
  rowsTotal: number;
  rowsValid: number;
  rowsFailed: number;
  values: ValueIssue[];
  rowErrors: { row: number; errors: RowError[] }[];
  /** Problems of the columns themselves (no district column, two columns for one field…): the upload would be refused. */
  errors: FieldError[];
  fields: { key: string; kind: string; zh: string; en: string }[];
}

/** A measure a prospect matched, as the results list it. */
export interface ScreeningResultMeasure {
  measureId: string;
  title: string;
  titleEn: string;
  /** `removed`: the measure is no longer in the live version. */
  status: MeasureStatus | 'removed';
  /** Last day in force (null: no term stated). */
  validTo: string | null;
  /** As in a match: set when the measure is in force and ends within 60 days of the run's date. */
  endsInDays?: number;
  departments: Pick<MeasureDepartment, 'id' | 'name' | 'nameEn' | 'source'>[];
}

/** One prospect × evaluated district. */
export interface ScreeningResultRow {
  row: number;
  name: string | null;
  uscc: string | null;
  district: District;
  scenario: Scenario;
  matchCount: number;
  inForceCount: number;
  /** Matched measures that state no term, and those expired, as of the run's date (with inForceCount: the company view's states). */
  termUnknownCount?: number;
  expiredCount?: number;
  measures: ScreeningResultMeasure[];
}

/** GET /screenings/:id/results. */
export interface ScreeningResults extends Page<ScreeningResultRow> {
  run: number;
  rulesetVersion: string;
  asOf: string;
}

/** GET /screenings/:id/results?…: filters, sort and paging. */
export interface ScreeningResultsQuery {
  run?: number;
  district?: District;
  department?: string;
  measure?: string;
  sort?: 'row' | '-matchCount' | 'matchCount' | 'name';
  limit?: number;
  offset?: number;
}

/** GET /screenings/:id/prospects/:row for a row that could not be read. */
export interface ProspectErrors {
  row: number;
  sheetRow?: number;
  name: string | null;
  uscc: string | null;
  errors: RowError[] | null;
}

/** GET /screenings/:id/prospects/:row: the prospect evaluated in full, as POST /match answers (nothing recorded). */
export interface ProspectMatch extends Omit<MatchResponse, 'evaluationId' | 'summary'> {
  row: number;
  sheetRow?: number;
  name: string | null;
  uscc: string | null;
  profile: CompanyProfile;
  summary: MatchSummary;
  /** What of the row was read softly or left unknown (the prospect was screened without it); absent when nothing. */
  warnings?: RowError[];
}

export type ProspectResult = ProspectMatch | ProspectErrors;

/** GET /screenings/:id/changes: per prospect × district, the measures gained and lost between two runs. */
export interface ScreeningChanges {
  fromRun: number;
  toRun: number;
  fromRulesetVersion: string;
  toRulesetVersion: string;
  total: number;
  gainedTotal: number;
  lostTotal: number;
  limit: number;
  offset: number;
  items: { row: number; name: string | null; district: District; gained: string[]; lost: string[] }[];
  /** Titles of the measures named in `items`; null for one no longer in the live version. */
  measures: Record<string, { title: string; titleEn: string } | null>;
}
