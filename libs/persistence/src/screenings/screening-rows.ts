import type { CompanyProfile, FieldError } from '@matcher/catalog';
import type { ScreeningColumns, ScreeningFormat, ScreeningOptions, ScreeningRunState } from '@matcher/contracts';

/*
 * The screening tables are read and written in SQL only (set-based inserts, FOR UPDATE SKIP LOCKED, jsonb_to_recordset),
 * so their rows are typed here as PostgreSQL returns them — snake_case columns — rather than as TypeORM entities.
 * The migrations are the schema.
 */

export type ScreeningState = 'importing' | 'queued' | 'running' | 'paused' | 'completed' | 'failed' | 'cancelled';
/** What a screening stores of its options and columns is what the API shows of them. */
export type { ScreeningColumns, ScreeningFormat, ScreeningOptions, ScreeningRunState } from '@matcher/contracts';

/** An officer's uploaded file of prospects (table `screening`); its runs, prospects and results hang off it. */
export interface ScreeningRow {
  id: string;
  officer_id: string;
  name: string;
  file_name: string | null;
  format: ScreeningFormat;
  /** `importing` while the upload request stores the prospects (shown as queued). */
  state: ScreeningState;
  options: ScreeningOptions;
  columns: ScreeningColumns;
  warnings: { message: string; column?: string }[];
  /** Data rows read (blank rows excluded), valid or not. */
  rows_total: number;
  /** Rows that failed validation (stored with their reasons, never screened). */
  rows_failed: number;
  current_run: number;
  error: string | null;
  created_at: Date;
  finished_at: Date | null;
}

/** One pass of a screening's prospects against one ruleset version (table `screening_run`). */
export interface RunRow {
  screening_id: string;
  run: number;
  ruleset_version: string;
  /** The evaluation date, read as text (YYYY-MM-DD). */
  as_of: string;
  state: ScreeningRunState;
  chunks_total: number;
  chunks_done: number;
  /** Prospects screened so far (valid rows). */
  rows_done: number;
  /** Result rows (prospect × district) stored so far. */
  results_stored: number;
  created_at: Date;
  started_at: Date | null;
  /** When the last chunk committed: a run that stops progressing is picked up again by the sweeper. */
  progressed_at: Date | null;
  finished_at: Date | null;
  error: string | null;
}

/** A slice of a run's prospects, planned at import: rows firstRow..lastRow holding `prospects` valid rows. */
export interface ChunkPlan {
  firstRow: number;
  lastRow: number;
  prospects: number;
}

/** A failed row as stored: `sheet_row` when the sheet numbers it differently from its position. */
export interface RowErrorRow {
  row_no: number;
  sheet_row: string | null;
  errors: FieldError[];
}

/** One stored row of a screening file: the validated profile, or the reasons it failed (never both). */
export interface ProspectRow {
  row_no: number;
  sheet_row: string | null;
  name: string | null;
  uscc: string | null;
  profile: CompanyProfile | null;
  errors: FieldError[] | null;
  /** Values read softly or left unknown in a row that was screened (null when none, or not read). */
  warnings?: FieldError[] | null;
}
