import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { CompanyProfile, FieldError } from '@matcher/catalog';

/** One data row of a screening file: the validated profile, or the reasons it failed (never both). */
@Entity('screening_prospect')
export class ScreeningProspectEntity {
  @PrimaryColumn({ name: 'screening_id', type: 'uuid' })
  screeningId!: string;

  /** The row as a spreadsheet shows it (header = 1) or the NDJSON line number. */
  @PrimaryColumn({ name: 'row_no', type: 'integer' })
  row!: number;

  @Column({ type: 'text', nullable: true })
  name!: string | null;

  @Column({ type: 'text', nullable: true })
  uscc!: string | null;

  @Column({ type: 'jsonb', nullable: true })
  profile!: CompanyProfile | null;

  @Column({ type: 'jsonb', nullable: true })
  errors!: FieldError[] | null;
}
