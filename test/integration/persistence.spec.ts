import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { documentText, loadCatalog, type Catalog } from '@matcher/catalog';
import {
  createDataSource,
  EvaluationEntity,
  MeasureEntity,
  MIGRATIONS,
  openDatabase,
  PolicyDocumentEntity,
  seedCatalog,
  startEmbeddedPostgres,
  type EmbeddedPostgres,
} from '@matcher/persistence';
import { backends } from '../support/backends';

/**
 * Persistence on both databases: migrations from an empty database (down and up again), the catalog seed
 * (idempotent, transactional, concurrent-safe, nothing dropped on the way into jsonb), and audit rows.
 * Every test after the migration block works on the migrated database the block leaves behind.
 */

const catalog = loadCatalog();
const CORE_TABLES = ['catalog_state', 'department', 'district', 'evaluation', 'measure', 'measure_department', 'policy_document'];

/** Recursively key-sorted JSON: equal strings mean equal content, nothing dropped, nothing added. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

async function tables(ds: DataSource): Promise<string[]> {
  const rows: { table_name: string }[] = await ds.query(
    `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name`,
  );
  return rows.map((r) => r.table_name);
}

/** Tables, columns and indexes of the public schema: what a migration changes. */
async function schemaFingerprint(ds: DataSource): Promise<unknown> {
  const columns = await ds.query(
    `SELECT table_name, column_name, data_type, is_nullable FROM information_schema.columns WHERE table_schema = 'public' AND table_name <> 'migrations' ORDER BY table_name, column_name`,
  );
  const indexes = await ds.query(
    `SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename <> 'migrations' ORDER BY tablename, indexname`,
  );
  return { columns, indexes };
}

async function executedMigrations(ds: DataSource): Promise<string[]> {
  const rows: { name: string }[] = await ds.query('SELECT name FROM migrations ORDER BY id');
  return rows.map((r) => r.name);
}

/** Everything the seed writes, in a comparable form (jsonb and full texts as digests, dates as text). */
async function catalogSnapshot(ds: DataSource): Promise<unknown> {
  return {
    state: await ds.query('SELECT key, ruleset_version, measure_count FROM catalog_state ORDER BY key'),
    districts: await ds.query('SELECT code, name, name_en FROM district ORDER BY code'),
    departments: await ds.query('SELECT id, district, name, full_name, name_en FROM department ORDER BY id'),
    documents: await ds.query(
      'SELECT id, district, title, title_en, issuer, issuer_en, issued_on::text, reference, term, term_en, valid_from::text, valid_to::text, validity_basis, md5(full_text) AS text FROM policy_document ORDER BY id',
    ),
    measures: await ds.query(
      'SELECT id, district, document_id, position, title, title_en, support_type, valid_from::text, valid_to::text, specificity, sectors, md5(search_text) AS search, md5(record::text) AS record, md5(rule::text) AS rule FROM measure ORDER BY id',
    ),
    links: await ds.query('SELECT measure_id, department_id, source, position FROM measure_department ORDER BY measure_id, position'),
  };
}

const expectedCounts = (c: Catalog) => ({ districts: 3, departments: c.departments.length, documents: 5, measures: c.measures.length });

describe.each(backends())('persistence on $name', (backend) => {
  let url: string;
  let embedded: EmbeddedPostgres | undefined;
  let adminUrl: string | undefined;
  let ds: DataSource;
  const extra: DataSource[] = [];

  beforeAll(async () => {
    adminUrl = await backend.create();
    if (adminUrl) url = adminUrl;
    else {
      embedded = await startEmbeddedPostgres();
      url = embedded.url;
    }
    ds = createDataSource(url);
    await ds.initialize();
  }, 120_000);

  afterAll(async () => {
    for (const d of [...extra, ds]) if (d?.isInitialized) await d.destroy();
    await embedded?.stop();
    await backend.drop(adminUrl);
  }, 60_000);

  const another = async (): Promise<DataSource> => {
    const d = createDataSource(url);
    extra.push(d);
    await d.initialize();
    return d;
  };

  describe('migrations', () => {
    it('run up from an empty database, each one recorded', async () => {
      expect(await tables(ds)).toEqual([]);
      expect(await ds.showMigrations()).toBe(true);
      const ran = await ds.runMigrations({ transaction: 'each' });
      expect(ran).toHaveLength(MIGRATIONS.length);
      expect(await ds.showMigrations()).toBe(false);
      expect(await tables(ds)).toEqual(expect.arrayContaining([...CORE_TABLES, 'migrations']));
      expect(await executedMigrations(ds)).toEqual(ran.map((m) => m.name));
      // Nothing left to do: a second run is a no-op.
      expect(await ds.runMigrations({ transaction: 'each' })).toEqual([]);
    });

    it('undo the last migration, then apply it again to the same schema', async () => {
      const before = await schemaFingerprint(ds);
      const names = await executedMigrations(ds);
      await ds.undoLastMigration({ transaction: 'each' });
      expect(await executedMigrations(ds)).toEqual(names.slice(0, -1));
      expect(await ds.showMigrations()).toBe(true);
      expect(await schemaFingerprint(ds)).not.toEqual(before);
      const ran = await ds.runMigrations({ transaction: 'each' });
      expect(ran.map((m) => m.name)).toEqual(names.slice(-1));
      expect(await schemaFingerprint(ds)).toEqual(before);
      expect(await executedMigrations(ds)).toEqual(names);
    });

    it('every migration reverts, down to an empty schema, and the whole chain applies again', async () => {
      const before = await schemaFingerprint(ds);
      for (let i = 0; i < MIGRATIONS.length; i++) await ds.undoLastMigration({ transaction: 'each' });
      expect(await executedMigrations(ds)).toEqual([]);
      expect(await tables(ds)).toEqual(['migrations']);
      expect(await ds.runMigrations({ transaction: 'each' })).toHaveLength(MIGRATIONS.length);
      expect(await schemaFingerprint(ds)).toEqual(before);
    });

    it('openDatabase on a migrated database runs nothing and closes cleanly', async () => {
      const names = await executedMigrations(ds);
      const db = await openDatabase({ databaseUrl: url, dataDir: 'memory://' });
      try {
        expect(db.embedded).toBe(false);
        expect(await db.dataSource.showMigrations()).toBe(false);
        expect(await db.dataSource.query('SELECT 1 AS one')).toEqual([{ one: 1 }]);
      } finally {
        await db.close();
      }
      expect(db.dataSource.isInitialized).toBe(false);
      expect(await executedMigrations(ds)).toEqual(names);
    });
  });

  describe('catalog seed', () => {
    it('seeds an empty catalog, and a second seed finds it current', async () => {
      const first = await seedCatalog(ds, catalog);
      expect(first).toEqual({ seeded: true, rulesetVersion: catalog.version, counts: expectedCounts(catalog) });
      const snapshot = await catalogSnapshot(ds);
      const second = await seedCatalog(ds, catalog);
      expect(second).toEqual({ seeded: false, rulesetVersion: catalog.version, counts: expectedCounts(catalog) });
      expect(await catalogSnapshot(ds)).toEqual(snapshot);
      expect(await ds.query('SELECT key, ruleset_version, measure_count FROM catalog_state')).toEqual([
        { key: 'catalog', ruleset_version: catalog.version, measure_count: catalog.measures.length },
      ]);
    });

    it('a forced re-seed rewrites the same rows', async () => {
      const before = await catalogSnapshot(ds);
      const forced = await seedCatalog(ds, catalog, { force: true });
      expect(forced).toEqual({ seeded: true, rulesetVersion: catalog.version, counts: expectedCounts(catalog) });
      expect(await catalogSnapshot(ds)).toEqual(before);
    });

    it("stores every measure's record and rule exactly as the catalog has them (no metadata dropped)", async () => {
      const rows = await ds.getRepository(MeasureEntity).find({ order: { position: 'ASC' } });
      expect(rows.map((r) => r.id)).toEqual(catalog.measures.map((m) => m.id));
      const ruleById = new Map(catalog.rules.map((r) => [r.name, r]));
      rows.forEach((row, position) => {
        const m = catalog.measures[position];
        expect(canonical(row.record)).toBe(canonical(m));
        expect(canonical(row.rule)).toBe(canonical(ruleById.get(m.id)));
        expect(row).toMatchObject({
          district: m.district,
          documentId: m.source.documentId,
          position,
          title: m.title,
          titleEn: m.titleEn,
          supportType: m.supportType,
          validFrom: m.validity.validFrom,
          validTo: m.validity.validTo,
          specificity: m.specificity,
          sectors: m.sectors,
        });
        expect(row.searchText).toBe(row.searchText.toLowerCase());
        expect(row.searchText).toContain(m.title.toLowerCase());
        expect(row.searchText).toContain(m.titleEn.toLowerCase());
      });
      // The Jing'an example keeps its document-named departments in order inside the stored record.
      const quality = rows.find((r) => r.id === 'jingan-2024-professional-services-quality');
      expect(quality?.record.departments.map((d) => `${d.name}/${d.source}`)).toEqual([
        '区司法局/document',
        '区财政局/document',
        '区人力资源社会保障局/document',
        '区市场监管局/document',
        '区投资办/document',
      ]);
    });

    it("stores each measure's departments in order, with their source", async () => {
      const links: { measure_id: string; department_id: string; source: string; position: number }[] = await ds.query(
        'SELECT measure_id, department_id, source, position FROM measure_department ORDER BY measure_id, position',
      );
      const expected = catalog.measures
        .flatMap((m) => m.departments.map((d, position) => ({ measure_id: m.id, department_id: d.id, source: d.source, position })))
        .sort((a, b) => (a.measure_id < b.measure_id ? -1 : a.measure_id > b.measure_id ? 1 : a.position - b.position));
      expect(links).toEqual(expected);
      expect(new Set(links.map((l) => l.source))).toEqual(new Set(['document', 'inferred']));
    });

    it('stores the districts, the department directory and the five documents with their full text', async () => {
      expect(await ds.query('SELECT code, name, name_en AS "nameEn" FROM district ORDER BY code')).toEqual(
        [...catalog.districts].sort((a, b) => (a.code < b.code ? -1 : 1)).map((d) => ({ code: d.code, name: d.name, nameEn: d.nameEn })),
      );
      expect(await ds.query('SELECT id, district, name, full_name AS "fullName", name_en AS "nameEn" FROM department ORDER BY id')).toEqual(
        [...catalog.departments]
          .sort((a, b) => (a.id < b.id ? -1 : 1))
          .map((d) => ({ id: d.id, district: d.district, name: d.name, fullName: d.fullName, nameEn: d.nameEn })),
      );
      const docs = await ds.getRepository(PolicyDocumentEntity).find({ order: { id: 'ASC' } });
      expect(docs.map((d) => d.id)).toEqual(catalog.documents.map((d) => d.id).sort());
      for (const doc of docs) {
        const c = catalog.documents.find((d) => d.id === doc.id)!;
        expect(doc).toMatchObject({
          district: c.district,
          title: c.title,
          titleEn: c.titleEn,
          issuer: c.issuer,
          issuerEn: c.issuerEn,
          issuedOn: c.issuedOn,
          reference: c.reference ?? null,
          term: c.term,
          termEn: c.termEn,
          validFrom: c.validity.validFrom,
          validTo: c.validity.validTo,
          validityBasis: c.validity.basis,
        });
        expect(doc.fullText).toBe(documentText(doc.id));
      }
    });

    it('a seed that fails midway leaves the previous catalog intact (one transaction)', async () => {
      const before = await catalogSnapshot(ds);
      const broken: Catalog = structuredClone(catalog);
      broken.version = `${catalog.version}-broken`;
      // Written early in the seed: a measure row would show it if the transaction leaked.
      broken.measures[0].title = 'HALF-WRITTEN';
      broken.measures.push({ ...structuredClone(broken.measures[1]), id: 'zz-new-measure-that-must-not-stay' });
      broken.rules.push({ ...structuredClone(broken.rules[1]), name: 'zz-new-measure-that-must-not-stay' });
      // Written last: a department link the directory does not hold violates its foreign key.
      const last = broken.measures[broken.measures.length - 2];
      last.departments = [...last.departments, { ...last.departments[0], id: 'no-such-department' }];

      // TypeORM logs the failed statement (all its parameters) through console.log: keep the output readable.
      const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
      try {
        await expect(seedCatalog(ds, broken)).rejects.toThrow(/foreign key|no-such-department/i);
      } finally {
        log.mockRestore();
      }
      expect(await catalogSnapshot(ds)).toEqual(before);
      expect(await ds.query(`SELECT count(*)::int AS n FROM measure WHERE title = 'HALF-WRITTEN' OR id = 'zz-new-measure-that-must-not-stay'`)).toEqual([
        { n: 0 },
      ]);

      // The database is still usable and the real catalog is still current.
      expect(await seedCatalog(ds, catalog)).toMatchObject({ seeded: false, counts: expectedCounts(catalog) });
    });

    it('two concurrent seeds do not conflict, and only one of them rewrites a stale catalog', async () => {
      const before = await catalogSnapshot(ds);
      const other = await another();

      // Forced on two connection pools at once: both finish, nothing duplicated or lost.
      const forced = await Promise.all([seedCatalog(ds, catalog, { force: true }), seedCatalog(other, catalog, { force: true })]);
      for (const r of forced) expect(r).toEqual({ seeded: true, rulesetVersion: catalog.version, counts: expectedCounts(catalog) });
      expect(await catalogSnapshot(ds)).toEqual(before);

      // A stale version: the lock serialises the two, so the second sees the first's work and skips.
      await ds.query(`UPDATE catalog_state SET ruleset_version = 'stale' WHERE key = 'catalog'`);
      const racing = await Promise.all([seedCatalog(ds, catalog), seedCatalog(other, catalog)]);
      expect(racing.map((r) => r.seeded).sort()).toEqual([false, true]);
      for (const r of racing) expect(r.counts).toEqual(expectedCounts(catalog));
      expect(await catalogSnapshot(ds)).toEqual(before);
    }, 30_000);

    it('serves concurrent queries from one pool without failing', async () => {
      const results = await Promise.all(Array.from({ length: 8 }, (_, i) => ds.query('SELECT pg_sleep(0.02), $1::int AS n', [i])));
      expect(results.map((r: { n: number }[]) => r[0].n)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    });
  });

  describe('evaluations', () => {
    const request = {
      profile: {
        name: '上海某检测认证有限公司',
        location: { district: 'jingan', area: 'jingan/shibei' },
        sectors: ['professional-services/testing-certification'],
        metrics: { employees: 120, rdExpenseRatio: 0.05 },
      },
      districts: ['jingan', 'xuhui'],
      asOf: '2025-06-01',
      includeExpired: false,
      note: null,
    };
    const summary = {
      asOf: '2025-06-01',
      districts: ['jingan', 'xuhui'],
      matches: ['jingan-2024-professional-services-quality'],
      nearMisses: 3,
      questions: ['plans'],
    };

    it('insert and read back with their jsonb request and summary intact', async () => {
      const repo = ds.getRepository(EvaluationEntity);
      const createdAt = new Date('2025-06-01T08:30:00.123Z');
      const rows = [
        Object.assign(new EvaluationEntity(), { id: randomUUID(), createdAt, kind: 'match', rulesetVersion: catalog.version, request, summary }),
        Object.assign(new EvaluationEntity(), {
          id: randomUUID(),
          createdAt,
          kind: 'compare',
          rulesetVersion: catalog.version,
          request: { profile: request.profile },
          summary: { counts: { xuhui: { matches: 1 } } },
        }),
      ];
      const values = rows as QueryDeepPartialEntity<EvaluationEntity>[];
      await ds.createQueryBuilder().insert().into(EvaluationEntity).values(values).execute();
      // The audit queue re-sends a batch after a failure: a row already written is ignored, not an error.
      await ds.createQueryBuilder().insert().into(EvaluationEntity).values(values).orIgnore().execute();

      const back = await repo.findOneByOrFail({ id: rows[0].id });
      expect(back.kind).toBe('match');
      expect(back.rulesetVersion).toBe(catalog.version);
      expect(back.createdAt).toBeInstanceOf(Date);
      expect(back.createdAt.toISOString()).toBe(createdAt.toISOString());
      expect(canonical(back.request)).toBe(canonical(request));
      expect(canonical(back.summary)).toBe(canonical(summary));
      expect(await repo.countBy({ id: rows[1].id })).toBe(1);

      // It is real jsonb: operators work on it.
      const [hit] = await ds.query(
        `SELECT request->'profile'->'location'->>'district' AS district, (request->'profile'->'metrics'->>'employees')::int AS employees FROM evaluation WHERE summary @> $1::jsonb`,
        [JSON.stringify({ matches: ['jingan-2024-professional-services-quality'] })],
      );
      expect(hit).toEqual({ district: 'jingan', employees: 120 });
      const [type] = await ds.query(`SELECT jsonb_typeof(request) AS t FROM evaluation WHERE id = $1`, [rows[0].id]);
      expect(type).toEqual({ t: 'object' });
    });
  });
});
