import { Injectable } from '@nestjs/common';
import type { DepartmentList, DepartmentSummary } from '@matcher/contracts';
import { LiveRuleset } from '../catalog/live-ruleset.service';

/** Departments with how many measures of the live ruleset name them, and how (document-named or inferred). */
@Injectable()
export class DepartmentsService {
  constructor(private readonly live: LiveRuleset) {}

  list(): DepartmentList {
    const { departments, measures } = this.live.catalog;
    const counts = new Map<string, DepartmentSummary['measures']>(departments.map((d) => [d.id, { total: 0, document: 0, inferred: 0 }]));
    for (const m of measures)
      for (const d of m.departments) {
        const c = counts.get(d.id);
        if (!c) continue;
        c.total += 1;
        c[d.source] += 1;
      }
    const items = departments.map((d) => ({
      id: d.id,
      district: d.district,
      name: d.name,
      fullName: d.fullName,
      nameEn: d.nameEn,
      measures: counts.get(d.id)!,
    }));
    // By district, then most measures first, then id: as the catalog pages list them.
    items.sort((a, b) =>
      a.district !== b.district ? (a.district < b.district ? -1 : 1) : b.measures.total - a.measures.total || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
    );
    return { total: items.length, items };
  }
}
