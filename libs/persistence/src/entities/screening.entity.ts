import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

export type ScreeningState = 'importing' | 'queued' | 'running' | 'paused' | 'completed' | 'failed' | 'cancelled';
export type ScreeningFormat = 'csv' | 'xlsx' | 'ndjson';

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
}

/** An officer's uploaded file of prospects; its runs, prospects and results hang off it. */
@Entity('screening')
@Index('screening_officer', ['officerId', 'createdAt'])
export class ScreeningEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ name: 'officer_id', type: 'uuid' })
  officerId!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ name: 'file_name', type: 'text', nullable: true })
  fileName!: string | null;

  @Column({ type: 'text' })
  format!: ScreeningFormat;

  /** `importing` while the upload request stores the prospects (shown as queued). */
  @Column({ type: 'text' })
  state!: ScreeningState;

  @Column({ type: 'jsonb' })
  options!: ScreeningOptions;

  @Column({ type: 'jsonb' })
  columns!: ScreeningColumns;

  @Column({ type: 'jsonb' })
  warnings!: { message: string; column?: string }[];

  /** Data rows read (blank rows excluded), valid or not. */
  @Column({ name: 'rows_total', type: 'integer' })
  rowsTotal!: number;

  /** Rows that failed validation (stored with their reasons, never screened). */
  @Column({ name: 'rows_failed', type: 'integer' })
  rowsFailed!: number;

  @Column({ name: 'current_run', type: 'integer' })
  currentRun!: number;

  @Column({ type: 'text', nullable: true })
  error!: string | null;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  /** Touched while importing: an import whose process died stops being touched and is failed by the sweeper. */
  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;

  @Column({ name: 'finished_at', type: 'timestamptz', nullable: true })
  finishedAt!: Date | null;
}
