import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Screening jobs (issue 7). A screening is an uploaded file of prospects; each run screens the stored
 * prospects against one ruleset version. A run is cut into chunks of prospect rows; a chunk's results are
 * written in the same transaction that marks the chunk done, and results are unique per
 * (screening, run, row, district), so a restarted or second worker can neither lose nor double a row.
 * The large tables (prospects, results) carry no foreign keys: they are written in bulk and removed
 * explicitly with their screening.
 */
export class Screenings1763913600000 implements MigrationInterface {
  name = 'Screenings1763913600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE screening (
      id uuid PRIMARY KEY,
      officer_id uuid NOT NULL REFERENCES officer(id) ON DELETE CASCADE,
      name text NOT NULL,
      file_name text,
      format text NOT NULL CHECK (format IN ('csv', 'xlsx', 'ndjson')),
      state text NOT NULL CHECK (state IN ('importing', 'queued', 'running', 'paused', 'completed', 'failed', 'cancelled')),
      options jsonb NOT NULL,
      columns jsonb NOT NULL,
      warnings jsonb NOT NULL,
      rows_total integer NOT NULL DEFAULT 0,
      rows_failed integer NOT NULL DEFAULT 0,
      current_run integer NOT NULL DEFAULT 0,
      error text,
      created_at timestamptz NOT NULL,
      updated_at timestamptz NOT NULL,
      finished_at timestamptz)`);
    await q.query(`CREATE INDEX screening_officer ON screening (officer_id, created_at)`);
    await q.query(`CREATE INDEX screening_active ON screening (state) WHERE state IN ('importing', 'queued', 'running', 'paused')`);
    await q.query(`CREATE TABLE screening_run (
      screening_id uuid NOT NULL REFERENCES screening(id) ON DELETE CASCADE,
      run integer NOT NULL,
      ruleset_version text NOT NULL,
      as_of date NOT NULL,
      state text NOT NULL CHECK (state IN ('queued', 'running', 'paused', 'completed', 'failed', 'cancelled')),
      chunks_total integer NOT NULL,
      chunks_done integer NOT NULL DEFAULT 0,
      rows_done integer NOT NULL DEFAULT 0,
      results_stored integer NOT NULL DEFAULT 0,
      created_at timestamptz NOT NULL,
      started_at timestamptz,
      progressed_at timestamptz,
      finished_at timestamptz,
      error text,
      PRIMARY KEY (screening_id, run))`);
    await q.query(`CREATE TABLE screening_chunk (
      screening_id uuid NOT NULL,
      run integer NOT NULL,
      chunk integer NOT NULL,
      first_row integer NOT NULL,
      last_row integer NOT NULL,
      prospects integer NOT NULL,
      done_at timestamptz,
      PRIMARY KEY (screening_id, run, chunk),
      FOREIGN KEY (screening_id, run) REFERENCES screening_run(screening_id, run) ON DELETE CASCADE)`);
    await q.query(`CREATE TABLE screening_prospect (
      screening_id uuid NOT NULL,
      row_no integer NOT NULL,
      name text,
      uscc text,
      profile jsonb,
      errors jsonb,
      PRIMARY KEY (screening_id, row_no),
      CONSTRAINT screening_prospect_profile_or_errors CHECK ((profile IS NULL) <> (errors IS NULL)))`);
    await q.query(`CREATE INDEX screening_prospect_errors ON screening_prospect (screening_id, row_no) WHERE errors IS NOT NULL`);
    await q.query(`CREATE TABLE screening_result (
      screening_id uuid NOT NULL,
      run integer NOT NULL,
      row_no integer NOT NULL,
      district text NOT NULL,
      scenario text NOT NULL CHECK (scenario IN ('current-location', 'relocation')),
      measure_ids text[] NOT NULL,
      match_count integer NOT NULL,
      in_force_count integer NOT NULL,
      PRIMARY KEY (screening_id, run, row_no, district))`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['screening_result', 'screening_prospect', 'screening_chunk', 'screening_run', 'screening']) await q.query(`DROP TABLE ${t}`);
  }
}
