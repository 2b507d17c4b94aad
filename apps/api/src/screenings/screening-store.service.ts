import { Injectable, NotFoundException } from '@nestjs/common';
import { todayInShanghai } from '@matcher/engine';
import { ScreeningRepository, type ChunkPlan, type RowErrorRow, type RunRow, type ScreeningRow } from '@matcher/persistence';
import type { FailedRow, RowErrorPage, ScreeningDetail, ScreeningRun, ScreeningSummary } from '@matcher/contracts';
import { LiveRuleset } from '../catalog/live-ruleset.service';
import { iso } from '../common/iso';

/** Rows with errors shown in the screening's detail; all of them are paged at GET /screenings/:id/row-errors. */
export const ROW_ERRORS_SHOWN = 100;

const int = (v: unknown): number => Number(v ?? 0);

/** Screenings, runs and chunks as the API shows them: an officer's own only, the views, new runs on the live ruleset. */
@Injectable()
export class ScreeningStore {
  constructor(
    private readonly screenings: ScreeningRepository,
    private readonly live: LiveRuleset,
  ) {}

  /** The officer's screening, or 404 — another officer's screening does not exist for them. */
  async owned(id: string, officerId: string): Promise<ScreeningRow> {
    const row = await this.screenings.owned(id, officerId);
    if (!row) throw new NotFoundException(`No screening with id ${id}`);
    return row;
  }

  screening(id: string): Promise<ScreeningRow | undefined> {
    return this.screenings.screening(id);
  }

  run(screeningId: string, run: number): Promise<RunRow | undefined> {
    return this.screenings.run(screeningId, run);
  }

  summary(s: ScreeningRow, run: Pick<RunRow, 'rows_done'> | undefined): ScreeningSummary {
    const screened = int(run?.rows_done);
    return {
      id: s.id,
      name: s.name,
      state: s.state === 'importing' ? 'queued' : s.state,
      format: s.format,
      fileName: s.file_name,
      rowsTotal: int(s.rows_total),
      rowsDone: int(s.rows_failed) + screened,
      rowsFailed: int(s.rows_failed),
      rowsScreened: screened,
      createdAt: iso(s.created_at),
      finishedAt: iso(s.finished_at),
      currentRun: int(s.current_run),
    };
  }

  runView(r: RunRow): ScreeningRun {
    return {
      run: r.run,
      rulesetVersion: r.ruleset_version,
      asOf: r.as_of,
      state: r.state,
      rowsDone: int(r.rows_done),
      chunksDone: int(r.chunks_done),
      chunksTotal: int(r.chunks_total),
      resultsStored: int(r.results_stored),
      createdAt: iso(r.created_at),
      startedAt: iso(r.started_at),
      finishedAt: iso(r.finished_at),
      error: r.error,
    };
  }

  /** The failed rows, paged, in row order. */
  async rowErrors(s: ScreeningRow, limit: number, offset: number): Promise<RowErrorPage> {
    const rows = await this.screenings.rowErrors(s.id, limit, offset);
    return { total: int(s.rows_failed), limit, offset, items: rows.map(rowError) };
  }

  async list(officerId: string): Promise<ScreeningSummary[]> {
    const rows = await this.screenings.list(officerId);
    return rows.map((r) => this.summary(r, { rows_done: r.rows_done ?? 0 }));
  }

  async detail(s: ScreeningRow): Promise<ScreeningDetail> {
    const runs = await this.screenings.runs(s.id);
    const errors = await this.screenings.firstRowErrors(s.id, ROW_ERRORS_SHOWN);
    const current = runs.find((r) => r.run === s.current_run);
    return {
      ...this.summary(s, current),
      options: s.options,
      columns: s.columns,
      warnings: s.warnings,
      rowErrors: errors.map(rowError),
      rowErrorsTruncated: int(s.rows_failed) > errors.length,
      runs: runs.map((r) => this.runView(r)),
      error: s.error,
    };
  }

  /**
   * Creates run `run` of a screening against the current ruleset, with its chunks (given, or copied from the
   * previous run), and makes it the current run, in the transaction `tx`. A run without prospects is complete at once.
   */
  createRun(tx: ScreeningRepository, screening: Pick<ScreeningRow, 'id' | 'options'>, run: number, chunks: ChunkPlan[] | 'copy'): Promise<RunRow> {
    return tx.createRun(screening.id, run, this.live.ruleset.version, screening.options.asOf ?? todayInShanghai(), chunks);
  }

  /** Removes a screening with its prospects, runs, chunks and results, in one transaction. */
  remove(id: string): Promise<void> {
    return this.screenings.remove(id);
  }

  /** Cancels a queued, running or paused screening: its current run stops after the chunk in flight. */
  cancel(id: string): Promise<boolean> {
    return this.screenings.cancel(id);
  }
}

/** A failed row; `sheetRow` when the sheet numbers it differently from its position. */
function rowError(e: RowErrorRow): FailedRow {
  return e.sheet_row === null ? { row: e.row_no, errors: e.errors } : { row: e.row_no, sheetRow: Number(e.sheet_row), errors: e.errors };
}
