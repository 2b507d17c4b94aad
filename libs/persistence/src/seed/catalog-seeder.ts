import type { DataSource, EntityManager } from 'typeorm';
import { documentText, flatDocument, type Catalog } from '@matcher/catalog';
import { CatalogStateEntity } from '../entities/catalog-state.entity';
import { DepartmentEntity } from '../entities/department.entity';
import { DistrictEntity } from '../entities/district.entity';
import { MeasureDepartmentEntity } from '../entities/measure-department.entity';
import { MeasureEntity } from '../entities/measure.entity';
import { PolicyDocumentEntity } from '../entities/policy-document.entity';

const STATE_KEY = 'catalog';
/** Serialises seeding between service instances starting together on one PostgreSQL. */
const SEED_LOCK = 4_242_001;

export interface SeedResult {
  seeded: boolean;
  rulesetVersion: string;
  counts: { districts: number; departments: number; documents: number; measures: number };
}

export async function storedRulesetVersion(manager: EntityManager): Promise<string | null> {
  const state = await manager.findOneBy(CatalogStateEntity, { key: STATE_KEY });
  return state?.rulesetVersion ?? null;
}

/**
 * Writes the catalog into the database in one transaction: districts, departments, documents (with full
 * text), measures and their departments. Idempotent; skipped when the stored version already equals the
 * catalog's unless `force`.
 */
export async function seedCatalog(dataSource: DataSource, catalog: CatalogWithTexts, options: { force?: boolean } = {}): Promise<SeedResult> {
  return dataSource.transaction((m) => writeCatalogMirror(m, catalog, options));
}

type CatalogWithTexts = Catalog & { texts?: Readonly<Record<string, string>> };

/**
 * The catalog tables as a mirror of one catalog, inside the caller's transaction: what SQL needs to join
 * (screening filters by department). Skipped when they already hold that version unless `force`.
 */
export async function writeCatalogMirror(m: EntityManager, catalog: CatalogWithTexts, options: { force?: boolean } = {}): Promise<SeedResult> {
  {
    await m.query('SELECT pg_advisory_xact_lock($1)', [SEED_LOCK]);
    const current = await storedRulesetVersion(m);
    const seeded = options.force === true || current !== catalog.version;
    if (seeded) {
      await m.upsert(
        DistrictEntity,
        catalog.districts.map((d) => ({ code: d.code, name: d.name, nameEn: d.nameEn })),
        ['code'],
      );
      await m.upsert(
        DepartmentEntity,
        catalog.departments.map((d) => ({ ...d })),
        ['id'],
      );
      await m.upsert(
        PolicyDocumentEntity,
        catalog.documents.map((d) => ({
          ...flatDocument(d),
          fullText: catalog.texts?.[d.id] ?? documentText(d.id),
        })),
        ['id'],
      );
      // Measures no longer in the catalog go; their department links cascade.
      const ids = catalog.measures.map((x) => x.id);
      await m.query('DELETE FROM measure WHERE NOT (id = ANY($1::text[]))', [ids]);
      const ruleById = new Map(catalog.rules.map((r) => [r.name, r]));
      const rows = catalog.measures.map((x, position) => ({
        id: x.id,
        district: x.district,
        documentId: x.source.documentId,
        position,
        title: x.title,
        titleEn: x.titleEn,
        supportType: x.supportType,
        validFrom: x.validity.validFrom,
        validTo: x.validity.validTo,
        specificity: x.specificity,
        sectors: x.sectors,
        searchText: [x.title, x.titleEn, x.summary, x.summaryEn, x.source.quote].join('\n').toLowerCase(),
        record: x,
        rule: ruleById.get(x.id)!,
      }));
      for (let i = 0; i < rows.length; i += 100) await m.upsert(MeasureEntity, rows.slice(i, i + 100), ['id']);
      await m.query('DELETE FROM measure_department');
      const links = catalog.measures.flatMap((x) => x.departments.map((d, position) => ({ measureId: x.id, departmentId: d.id, source: d.source, position })));
      for (let i = 0; i < links.length; i += 500) await m.insert(MeasureDepartmentEntity, links.slice(i, i + 500));
      await m.upsert(CatalogStateEntity, { key: STATE_KEY, rulesetVersion: catalog.version, measureCount: catalog.measures.length }, ['key']);
    }
    // One transaction is one connection: counted one after another.
    const districts = await m.count(DistrictEntity);
    const departments = await m.count(DepartmentEntity);
    const documents = await m.count(PolicyDocumentEntity);
    const measures = await m.count(MeasureEntity);
    return { seeded, rulesetVersion: catalog.version, counts: { districts, departments, documents, measures } };
  }
}
