import { Column, Entity, PrimaryColumn } from 'typeorm';

export type ScreeningRunState = 'queued' | 'running' | 'paused' | 'completed' | 'failed' | 'cancelled';

/** One pass of a screening's prospects against one ruleset version. */
@Entity('screening_run')
export class ScreeningRunEntity {
  @PrimaryColumn({ name: 'screening_id', type: 'uuid' })
  screeningId!: string;

  @PrimaryColumn({ type: 'integer' })
  run!: number;

  @Column({ name: 'ruleset_version', type: 'text' })
  rulesetVersion!: string;

  @Column({ name: 'as_of', type: 'date' })
  asOf!: string;

  @Column({ type: 'text' })
  state!: ScreeningRunState;

  @Column({ name: 'chunks_total', type: 'integer' })
  chunksTotal!: number;

  @Column({ name: 'chunks_done', type: 'integer' })
  chunksDone!: number;

  /** Prospects screened so far (valid rows). */
  @Column({ name: 'rows_done', type: 'integer' })
  rowsDone!: number;

  /** Result rows (prospect × district) stored so far. */
  @Column({ name: 'results_stored', type: 'integer' })
  resultsStored!: number;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'started_at', type: 'timestamptz', nullable: true })
  startedAt!: Date | null;

  /** When the last chunk committed: a run that stops progressing is picked up again by the sweeper. */
  @Column({ name: 'progressed_at', type: 'timestamptz', nullable: true })
  progressedAt!: Date | null;

  @Column({ name: 'finished_at', type: 'timestamptz', nullable: true })
  finishedAt!: Date | null;

  @Column({ type: 'text', nullable: true })
  error!: string | null;
}
