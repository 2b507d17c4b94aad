import { HeavyWorkPool } from '../../apps/api/src/workers/heavy-work.pool';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Test, type TestingModule } from '@nestjs/testing';
import { catalogFromContent, loadCatalogContent, type CompanyProfile, type District } from '@matcher/catalog';
import { defaultDistricts, matchIds, type Ruleset } from '@matcher/engine';
import {
  createOfficer,
  openDatabase,
  RulesetRepository,
  ScreeningRepository,
  ScreeningResultsRepository,
  seedCatalog,
  type OpenDatabase,
  type ScreeningOptions,
  type ScreeningRow,
} from '@matcher/persistence';
import { LiveRuleset, type BaselineCatalog, type RulesetSnapshot } from '../../apps/api/src/catalog/live-ruleset.service';
import { validateEnvironment, Environment } from '../../apps/api/src/config/environment';
import { ScreeningImportService } from '../../apps/api/src/screenings/screening-import.service';
import { ScreeningProcessor } from '../../apps/api/src/screenings/screening-processor.service';
import { ScreeningResultsService } from '../../apps/api/src/screenings/screening-results.service';
import { ScreeningSettings, screeningSettingsFrom } from '../../apps/api/src/screenings/screening-settings';
import { ScreeningStore } from '../../apps/api/src/screenings/screening-store.service';
import { aProfile, aUscc } from '../factories/profile.factory';

/**
 * The screening services on a fresh embedded database (PGlite, migrated, catalog seeded), wired by Nest without
 * HTTP. Prospects are stored by the import service from an NDJSON file, as an upload would store them.
 */
export interface ScreeningFixture {
  db: OpenDatabase;
  ruleset: Ruleset;
  module: TestingModule;
  store: ScreeningStore;
  /** The screening tables, read directly. */
  screenings: ScreeningRepository;
  importer: ScreeningImportService;
  processor: ScreeningProcessor;
  results: ScreeningResultsService;
  officerId: string;
  /** A processor of another ruleset on the same database (another instance after a rules change). */
  processorFor(ruleset: Ruleset): ScreeningProcessor;
  /** Imports the profiles as one NDJSON file (row n = line n) and returns the screening with its first run queued. */
  screen(profiles: CompanyProfile[], options: ScreeningOptions): Promise<ScreeningRow>;
  close(): Promise<void>;
}

const content = loadCatalogContent();
/** The shipped catalog, as the service imports it at its first start. */
export const catalog: BaselineCatalog = { ...catalogFromContent(content), content };

/**
 * The live ruleset of another instance that runs `ruleset` (a rules release this instance has not loaded). Only
 * its live snapshot is set: the processor reads nothing else from it.
 */
function liveOn(repository: RulesetRepository, ruleset: Ruleset): LiveRuleset {
  const live = new LiveRuleset(repository, catalog, undefined);
  const snapshot: Pick<RulesetSnapshot, 'version' | 'ruleset'> = { version: ruleset.version, ruleset };
  Object.assign(live, { live: snapshot });
  return live;
}

/** Where the fixture keeps its data: the embedded PGlite by default, or a PostgreSQL database (exports then read through a cursor, as the app does there). */
export interface FixtureDatabase {
  databaseUrl?: string;
}

export async function openScreeningFixture(env: Record<string, unknown> = {}, where: FixtureDatabase = {}): Promise<ScreeningFixture> {
  const db = await openDatabase({ databaseUrl: where.databaseUrl, dataDir: 'memory://' });
  const uploads = mkdtempSync(join(tmpdir(), 'matcher-medium-'));
  try {
    await seedCatalog(db.dataSource, catalog);
    const repository = new RulesetRepository(db.dataSource, false);
    const live = new LiveRuleset(repository, catalog, undefined);
    await live.start();
    const ruleset = live.ruleset;
    const environment = validateEnvironment(env);
    const settings = screeningSettingsFrom(environment);
    const module = await Test.createTestingModule({
      providers: [
        { provide: ScreeningRepository, useValue: new ScreeningRepository(db.dataSource) },
        { provide: ScreeningResultsRepository, useValue: new ScreeningResultsRepository(db.dataSource, { cursors: !db.embedded }) },
        { provide: LiveRuleset, useValue: live },
        { provide: Environment, useValue: environment },
        { provide: ScreeningSettings, useValue: settings },
        ScreeningStore,
        // Workbooks are measured in the worker pool; its threads start only when one is.
        HeavyWorkPool,
        ScreeningImportService,
        ScreeningProcessor,
        ScreeningResultsService,
      ],
    }).compile();
    const store = module.get(ScreeningStore);
    const importer = module.get(ScreeningImportService);
    const officer = await createOfficer(db.dataSource.manager, '测试专员', 'officer');
    let files = 0;
    return {
      db,
      ruleset,
      module,
      store,
      screenings: module.get(ScreeningRepository),
      importer,
      processor: module.get(ScreeningProcessor),
      results: module.get(ScreeningResultsService),
      officerId: officer.id,
      processorFor: (other) => {
        const elsewhere = liveOn(repository, other);
        const screenings = new ScreeningRepository(db.dataSource);
        return new ScreeningProcessor(screenings, elsewhere, new ScreeningStore(screenings, elsewhere), settings);
      },
      async screen(profiles, options) {
        const path = join(uploads, `prospects-${++files}.ndjson`);
        writeFileSync(path, profiles.map((p) => JSON.stringify(p)).join('\n') + '\n');
        const outcome = await importer.import(
          { path, originalName: 'prospects.ndjson', mimeType: 'application/x-ndjson', size: 0 },
          { officerId: officer.id, options, lang: 'en' },
        );
        expect(outcome.prospects).toBe(profiles.length);
        expect(outcome.run?.state).toBe('queued');
        return outcome.screening;
      },
      async close() {
        await module.close();
        await db.close();
        rmSync(uploads, { recursive: true, force: true });
      },
    };
  } catch (err) {
    await db.close();
    rmSync(uploads, { recursive: true, force: true });
    throw err;
  }
}

const SECTORS = [['professional-services/testing-certification'], ['digital/software'], ['digital/software', 'ai/models-algorithms'], ['ai/robotics'], []];
const QUALIFICATIONS = [['high-tech-enterprise'], ['srdi-sme'], [], ['high-tech-enterprise', 'srdi-sme']];
const PLACES: CompanyProfile['location'][] = [
  { district: 'jingan', area: 'jingan/shibei' },
  { district: 'xuhui' },
  { district: 'qingpu' },
  { district: 'other-shanghai' },
  { district: 'jingan' },
  { district: 'xuhui', area: 'xuhui/west-bund' },
];

/**
 * `count` varied prospects from the profile factory: every district (and one outside the three, evaluated in all
 * of them), several sectors and qualifications, some with plans and metrics. Names are numbered out of row order
 * (so sorting by name differs from row order); every seventh has no name.
 */
export function prospects(count: number): CompanyProfile[] {
  return Array.from({ length: count }, (_, i) => {
    const sectors = SECTORS[i % SECTORS.length];
    const qualifications = QUALIFICATIONS[i % QUALIFICATIONS.length];
    const profile = aProfile({
      location: PLACES[i % PLACES.length],
      ...(sectors.length ? { sectors } : {}),
      ...(qualifications.length ? { qualifications } : {}),
      ...(i % 3 === 0 ? { roles: ['professional-service-institution'], plans: ['international-standards', 'brand-building'] } : {}),
      ...(i % 4 === 1 ? { metrics: { employees: 20 + i * 10, annualRevenueWan: 500 * i } } : {}),
      ...(i % 5 === 2 ? { uscc: aUscc(`91310106${String(i).padStart(2, '0')}MA1FL12`) } : {}),
    });
    if (i % 7 !== 6) profile.name = `company ${String((i * 7) % count).padStart(3, '0')}`;
    return profile;
  });
}

/** What the engine says, per prospect and district, in the order results are keyed (row, then district code). */
export function expectedResults(
  ruleset: Ruleset,
  profiles: CompanyProfile[],
  districts?: District[],
): { row: number; district: District; scenario: string; ids: string[] }[] {
  return profiles.flatMap((p, i) =>
    [...(districts ?? defaultDistricts(p))].sort().map((d) => ({
      row: i + 1,
      district: d,
      scenario: p.location.district === d ? 'current-location' : 'relocation',
      ids: matchIds(ruleset, p, [d]),
    })),
  );
}
