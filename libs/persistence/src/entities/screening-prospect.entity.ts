import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { CompanyProfile, FieldError } from '@matcher/catalog';

/** One data row of a screening file: the validated profile, or the reasons it failed (never both). */
@Entity('screening_prospect')
export class ScreeningProspectEntity {
  @PrimaryColumn({ name: 'screening_id', type: 'uuid' })
  screeningId!: string;

  /**
   * The prospect's position: the row as a spreadsheet shows it (header = 1) or the NDJSON line number while rows
   * ascend; a row that comes out of order, repeats or lies past the last sheet row takes the next number instead.
   */
  @PrimaryColumn({ name: 'row_no', type: 'integer' })
  row!: number;

  /** The row number the sheet itself gives (XLSX `<row r>`), when it differs or may differ from the position. */
  @Column({ name: 'sheet_row', type: 'bigint', nullable: true })
  sheetRow!: string | null;

  @Column({ type: 'text', nullable: true })
  name!: string | null;

  @Column({ type: 'text', nullable: true })
  uscc!: string | null;

  @Column({ type: 'jsonb', nullable: true })
  profile!: CompanyProfile | null;

  @Column({ type: 'jsonb', nullable: true })
  errors!: FieldError[] | null;
}
