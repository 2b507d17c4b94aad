import { Column, Entity, PrimaryColumn } from 'typeorm';

/** What one prospect matched in one evaluated district in one run. Unique per (screening, run, row, district). */
@Entity('screening_result')
export class ScreeningResultEntity {
  @PrimaryColumn({ name: 'screening_id', type: 'uuid' })
  screeningId!: string;

  @PrimaryColumn({ type: 'integer' })
  run!: number;

  @PrimaryColumn({ name: 'row_no', type: 'integer' })
  row!: number;

  @PrimaryColumn({ type: 'text' })
  district!: string;

  @Column({ type: 'text' })
  scenario!: 'current-location' | 'relocation';

  @Column({ name: 'measure_ids', type: 'text', array: true })
  measureIds!: string[];

  @Column({ name: 'match_count', type: 'integer' })
  matchCount!: number;

  @Column({ name: 'in_force_count', type: 'integer' })
  inForceCount!: number;
}
