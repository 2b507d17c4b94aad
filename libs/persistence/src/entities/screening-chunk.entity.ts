import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * A slice of a run: the prospects with row numbers first_row..last_row. `done_at` is set in the transaction
 * that writes the slice's results; a worker claims an undone chunk with FOR UPDATE SKIP LOCKED.
 */
@Entity('screening_chunk')
export class ScreeningChunkEntity {
  @PrimaryColumn({ name: 'screening_id', type: 'uuid' })
  screeningId!: string;

  @PrimaryColumn({ type: 'integer' })
  run!: number;

  @PrimaryColumn({ type: 'integer' })
  chunk!: number;

  @Column({ name: 'first_row', type: 'integer' })
  firstRow!: number;

  @Column({ name: 'last_row', type: 'integer' })
  lastRow!: number;

  /** Valid prospects in the slice. */
  @Column({ type: 'integer' })
  prospects!: number;

  @Column({ name: 'done_at', type: 'timestamptz', nullable: true })
  doneAt!: Date | null;
}
