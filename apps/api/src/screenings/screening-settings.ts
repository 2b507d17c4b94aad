import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { plainToInstance, Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Max, Min, validateSync } from 'class-validator';
import { Environment } from '../config/environment';

const toInt = ({ value }: { value: unknown }): unknown => (value === undefined || value === '' ? undefined : Number(value));

export type RunnerKind = 'auto' | 'pg-boss' | 'in-process';

/**
 * Settings of screening jobs, read from the same validated environment as the rest of the service (tests pass
 * them as AppModule.forRoot overrides). A bad value stops the start with a message naming it.
 */
export class ScreeningSettings {
  /** Largest upload accepted, in bytes (413 beyond). */
  @IsOptional()
  @IsInt()
  @Min(1024)
  @Transform(toInt)
  SCREENING_MAX_UPLOAD_BYTES = 200 * 1024 * 1024;

  /** Most data rows one file may hold (413 beyond). */
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(10_000_000)
  @Transform(toInt)
  SCREENING_MAX_ROWS = 1_000_000;

  /**
   * Columns one CSV/XLSX file may have (its header, any row, and the widest cell of a workbook) and distinct keys
   * NDJSON lines may use together (413 beyond): the import reads no more, and every column costs memory per row.
   */
  @IsOptional()
  @IsInt()
  @Min(10)
  @Max(16_384)
  @Transform(toInt)
  SCREENING_MAX_COLUMNS = 1000;

  /** XLSX bounds (a small zip can decompress to gigabytes): all entries decompressed, in bytes (413 beyond). */
  @IsOptional()
  @IsInt()
  @Min(1024)
  @Transform(toInt)
  SCREENING_XLSX_MAX_BYTES = 1024 * 1024 * 1024;

  /** Shared strings one workbook may hold (exceljs keeps them in memory; 413 beyond). */
  @IsOptional()
  @IsInt()
  @Min(1)
  @Transform(toInt)
  SCREENING_XLSX_MAX_SHARED_STRINGS = 1_000_000;

  /** Worksheet cells one workbook may hold (413 beyond). */
  @IsOptional()
  @IsInt()
  @Min(1)
  @Transform(toInt)
  SCREENING_XLSX_MAX_CELLS = 30_000_000;

  /** Longest time reading one workbook may take (422 beyond). */
  @IsOptional()
  @IsInt()
  @Min(1)
  @Transform(toInt)
  SCREENING_XLSX_MAX_SECONDS = 300;

  /**
   * Longest time reading a CSV or NDJSON file in the worker pool may take (422 beyond): a preview, or an import
   * together with the writing of its rows (the reading waits for each batch to be written).
   */
  @IsOptional()
  @IsInt()
  @Min(1)
  @Transform(toInt)
  SCREENING_READ_SECONDS = 900;

  /** Prospects per chunk: one transaction writes a chunk's results together with its done mark. */
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(20_000)
  @Transform(toInt)
  SCREENING_CHUNK_ROWS = 1000;

  /**
   * Who runs the chunks: `pg-boss` (a queue in PostgreSQL; instances share the work), `in-process` (the embedded
   * database's default), `auto` = pg-boss with DATABASE_URL, else in-process.
   */
  @IsOptional()
  @IsIn(['auto', 'pg-boss', 'in-process'])
  SCREENING_RUNNER: RunnerKind = 'auto';

  /** Chunk loops on this instance; 0 = this instance accepts uploads and queues them but screens nothing. */
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(16)
  @Transform(toInt)
  SCREENING_WORKERS = 2;

  /** pg-boss jobs queued per run: up to this many workers, on any instances, share one run's chunks. */
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(64)
  @Transform(toInt)
  SCREENING_JOBS_PER_RUN = 2;

  /** Pause after each chunk, per worker (throttles screening on a shared database; 0 = none). */
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(60_000)
  @Transform(toInt)
  SCREENING_THROTTLE_MS = 0;

  /** A run without progress for this long (its worker died) is handed to a worker again. */
  @IsOptional()
  @IsInt()
  @Min(5)
  @Transform(toInt)
  SCREENING_STALE_SECONDS = 120;

  /** A finished screening (completed, failed or cancelled) unchanged for this many days is deleted with its rows. */
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(3650)
  @Transform(toInt)
  SCREENING_RETENTION_DAYS = 180;

  /** Where uploads are streamed before they are read (removed afterwards). */
  @IsOptional()
  @IsString()
  SCREENING_UPLOAD_DIR = join(tmpdir(), 'matcher-uploads');
}

export function screeningSettingsFrom(env: Environment): ScreeningSettings {
  // The Environment instance carries every variable it was built from, declared there or not.
  const raw = Object.fromEntries(Object.entries(env as unknown as Record<string, unknown>).filter(([k]) => k.startsWith('SCREENING_')));
  const settings = plainToInstance(ScreeningSettings, raw, { exposeDefaultValues: true });
  const errors = validateSync(settings, { skipMissingProperties: false, whitelist: false });
  if (errors.length) throw new Error(`Invalid configuration:\n- ${errors.flatMap((e) => Object.values(e.constraints ?? {})).join('\n- ')}`);
  return settings;
}
