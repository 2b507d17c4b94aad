import type { DataSource } from 'typeorm';
import type { CompanyProfile } from '@matcher/catalog';
import type { ScreeningOptions } from '../entities/screening.entity';

export interface SavedScreening {
  id: string;
  name: string;
  officerId: string;
  options: ScreeningOptions;
  rowsTotal: number;
}

/** Every screening with stored prospects (any officer's), oldest first: what a ruleset change would affect. */
export async function savedScreenings(dataSource: DataSource): Promise<SavedScreening[]> {
  const rows: { id: string; name: string; officer_id: string; options: ScreeningOptions; rows_total: number }[] = await dataSource.query(
    `SELECT id, name, officer_id, options, rows_total FROM screening WHERE state <> 'importing' ORDER BY created_at, id`,
  );
  return rows.map((r) => ({ id: r.id, name: r.name, officerId: r.officer_id, options: r.options, rowsTotal: r.rows_total }));
}

/** A page of a screening's valid prospects after row `afterRow`, in row order. */
export async function screeningProfiles(
  dataSource: DataSource,
  screeningId: string,
  afterRow: number,
  limit: number,
): Promise<{ rowNo: number; profile: CompanyProfile }[]> {
  const rows: { row_no: number; profile: CompanyProfile }[] = await dataSource.query(
    `SELECT row_no, profile FROM screening_prospect WHERE screening_id = $1 AND row_no > $2 AND profile IS NOT NULL ORDER BY row_no LIMIT $3`,
    [screeningId, afterRow, limit],
  );
  return rows.map((r) => ({ rowNo: r.row_no, profile: r.profile }));
}
