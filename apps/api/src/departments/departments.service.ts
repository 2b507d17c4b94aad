import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

export interface DepartmentSummary {
  id: string;
  district: string;
  name: string;
  fullName: string;
  nameEn: string;
  measures: { total: number; document: number; inferred: number };
}

@Injectable()
export class DepartmentsService {
  constructor(private readonly dataSource: DataSource) {}

  async list(): Promise<{ total: number; items: DepartmentSummary[] }> {
    const rows: { id: string; district: string; name: string; full_name: string; name_en: string; total: string; document: string; inferred: string }[] =
      await this.dataSource.query(`
      SELECT d.id, d.district, d.name, d.full_name, d.name_en,
             count(md.measure_id) AS total,
             count(md.measure_id) FILTER (WHERE md.source = 'document') AS document,
             count(md.measure_id) FILTER (WHERE md.source = 'inferred') AS inferred
        FROM department d LEFT JOIN measure_department md ON md.department_id = d.id
       GROUP BY d.id ORDER BY d.district, count(md.measure_id) DESC, d.id`);
    const items = rows.map((r) => ({
      id: r.id,
      district: r.district,
      name: r.name,
      fullName: r.full_name,
      nameEn: r.name_en,
      measures: { total: Number(r.total), document: Number(r.document), inferred: Number(r.inferred) },
    }));
    return { total: items.length, items };
  }
}
