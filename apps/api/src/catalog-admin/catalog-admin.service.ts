import { HttpStatus, Inject, Injectable, NotFoundException } from '@nestjs/common';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { applyBundle, BUNDLE_SCHEMA, bundlePath, DISTRICTS, type District, type Measure, type PolicyBundle } from '@matcher/catalog';
import { defaultDistricts, diffCatalogs, matchIds, statusOf, todayInShanghai, type RulesetDiff } from '@matcher/engine';
import { ScreeningRepository, VersionConflict, type RulesetVersionEntity } from '@matcher/persistence';
import { AuditService } from '../audit/audit.service';
import type { AuthenticatedOfficer } from '../auth/authenticated-officer';
import { LiveRuleset, type RulesetSnapshot } from '../catalog/live-ruleset.service';
import { ProblemException } from '../common/problem';
import { CATALOG_CHECKER } from './catalog-admin.tokens';
import { HeavyWorkPool, WorkLimitError } from '../workers/heavy-work.pool';
import type {
  Activated,
  CreatedDraft,
  DraftFinding as Finding,
  DraftImpact,
  DraftView,
  ExpiryItem,
  ExpiryReport,
  MeasureCount,
  Published,
  ScreeningImpact,
  VersionList,
} from '@matcher/contracts';
import { iso } from '../common/iso';
import type { CatalogChecker } from './draft-checker';

const ajv = new Ajv2020({ allErrors: true, strict: false });
addFormats(ajv, ['date']);
const validateBundle = ajv.compile(BUNDLE_SCHEMA);

function actorOf(officer: AuthenticatedOfficer): string {
  return `${officer.name} (${officer.id})`;
}

function unprocessable(detail: string, errors: { path: string; message: string }[], extra: Record<string, unknown> = {}): ProblemException {
  return new ProblemException({ type: 'about:blank#invalid-bundle', status: HttpStatus.UNPROCESSABLE_ENTITY, detail, errors, ...extra });
}

/** A check past the pool's deadline or memory: 422 or 413 saying which. */
async function limited<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (e) {
    if (e instanceof WorkLimitError)
      throw new ProblemException({
        type: e.status === 413 ? 'about:blank#draft-too-large' : 'about:blank#draft-too-slow',
        status: e.status,
        detail: e.message,
        errors: [{ path: '(bundle)', message: e.message }],
        limit: e.limit,
      });
    throw e;
  }
}

/** Drafts, diff, impact, publish and roll back: the admins' side of the live ruleset. */
@Injectable()
export class CatalogAdminService {
  constructor(
    private readonly live: LiveRuleset,
    private readonly screenings: ScreeningRepository,
    private readonly audit: AuditService,
    @Inject(CATALOG_CHECKER) private readonly check: CatalogChecker,
    private readonly pool: HeavyWorkPool,
  ) {}

  /**
   * Makes a draft of the live version with the bundle applied, and runs the rules:check checks on it.
   * A bundle whose envelope is malformed is refused outright (422, nothing stored); a draft with findings
   * is stored, so its findings can be read again, and refused with 422 naming its id.
   */
  async createDraft(body: unknown, officer: AuthenticatedOfficer): Promise<CreatedDraft> {
    if (!validateBundle(body)) {
      const errors = (validateBundle.errors ?? []).map((e) => ({
        path:
          e.instancePath
            .replace(/\/(\d+)(?=\/|$)/g, '[$1]')
            .replace(/\//g, '.')
            .replace(/^\./, '') || '(bundle)',
        message: `${e.message ?? 'is invalid'}${e.keyword === 'additionalProperties' ? ` '${String(e.params.additionalProperty)}'` : ''}`,
      }));
      throw unprocessable('The bundle is not in the policy-bundle/1 format (docs/policy-bundles.md).', errors);
    }
    // The schema checked the envelope (and narrows the type); rules, coverage and cases are left to the catalog checks.
    return this.draftFrom(body, officer);
  }

  private async draftFrom(bundle: PolicyBundle, officer: AuthenticatedOfficer): Promise<CreatedDraft> {
    const base = this.live.liveSnapshot();
    const { content, problems } = applyBundle(base.content, bundle);
    const findings: Finding[] = problems.map((p) => ({ ...p, documentId: null, measureId: null }));
    let version = `draft-${Date.now().toString(36)}`;
    let diff: RulesetDiff | undefined;
    // Built and diffed in the worker pool: a whole catalog's diff costs a few hundred ms the request thread cannot spare.
    const built = await limited(this.pool.buildDraft(base.version, base.content, content));
    if ('buildError' in built)
      findings.push({ path: '(bundle)', documentId: null, measureId: null, message: `the catalog does not build: ${built.buildError}` });
    else {
      version = built.version;
      diff = built.diff;
    }
    // Only what the bundle brings: findings the live version already has are its own (reported by rules:check).
    const known = await limited(this.liveFindings(base));
    for (const f of await limited(Promise.resolve(this.check(content)))) {
      if (known.has(`${f.documentId}|${f.message}`)) continue;
      const path = (f.documentId && bundlePath(bundle, f.documentId, f.measureId ?? undefined)) ?? '(catalog)';
      findings.push({ ...f, path });
    }
    if (!findings.length && version === base.version)
      findings.push({ path: '(bundle)', documentId: null, measureId: null, message: 'the bundle changes nothing the live version serves' });
    return this.live.repository.createDraft({ version, content, bundle, findings, basedOn: base.version, createdBy: actorOf(officer) }).then((row) => {
      const result = { id: row.id, rulesetVersion: version, findings, diff: diff ?? emptyDiff(base.version, version) };
      if (findings.length)
        throw unprocessable(
          `The draft has ${findings.length} findings; it cannot be published until a corrected bundle is uploaded.`,
          findings.map((f) => ({ path: f.path, message: f.message })),
          { draftId: row.id, findings },
        );
      return result;
    });
  }

  private knownFindings?: { version: string; keys: Set<string> };

  /** The live version's own findings (computed once per version). */
  private async liveFindings(base: RulesetSnapshot): Promise<Set<string>> {
    if (this.knownFindings?.version !== base.version)
      this.knownFindings = { version: base.version, keys: new Set((await this.check(base.content)).map((f) => `${f.documentId}|${f.message}`)) };
    return this.knownFindings.keys;
  }

  private async draftRow(id: string): Promise<{ row: RulesetVersionEntity; snapshot: RulesetSnapshot }> {
    let found: { row: RulesetVersionEntity; snapshot: RulesetSnapshot } | null;
    try {
      found = await this.live.draft(id);
    } catch (e) {
      throw unprocessable('The draft does not build; see its findings.', [{ path: 'draft', message: (e as Error).message }]);
    }
    if (!found) throw new NotFoundException(`No draft with id ${id}`);
    return found;
  }

  async draft(id: string): Promise<DraftView> {
    const row = await this.live.repository.draft(id);
    if (!row) throw new NotFoundException(`No draft with id ${id}`);
    const findings = row.findings as Finding[];
    let diff = emptyDiff(this.live.liveSnapshot().version, row.version);
    if (!findings.some((f) => f.message.startsWith('the catalog does not build'))) {
      const { snapshot } = await this.draftRow(id);
      diff = diffCatalogs(this.live.liveSnapshot().catalog, snapshot.catalog);
    }
    return {
      id: row.id,
      rulesetVersion: row.version,
      basedOn: row.basedOn,
      description: (row.bundle as PolicyBundle | null)?.description ?? null,
      createdAt: iso(row.createdAt),
      createdBy: row.createdBy,
      measures: row.measureCount,
      documents: row.documentCount,
      findings,
      diff,
    };
  }

  /** A draft's snapshot for simulation (POST /match with `draft`); 422 when it has findings that keep it from building. */
  async draftSnapshot(id: string): Promise<RulesetSnapshot> {
    return (await this.draftRow(id)).snapshot;
  }

  /**
   * For every saved screening, the prospects that would gain or lose measures in force if the draft went
   * live, on the date a re-run would use (its fixed date, or today). Reads only; nothing is written.
   */
  async impact(id: string): Promise<DraftImpact> {
    const { row, snapshot } = await this.draftRow(id);
    const live = this.live.liveSnapshot();
    const screenings: ScreeningImpact[] = [];
    for (const s of await this.screenings.savedScreenings()) {
      const asOf = s.options.asOf ?? todayInShanghai();
      const inForce = (snap: RulesetSnapshot): ((id: string) => boolean) => {
        const measures = snap.ruleset.measures;
        return (mid) => {
          const m = measures.get(mid);
          return m !== undefined && statusOf(m.validity, asOf) === 'in-force';
        };
      };
      const [liveInForce, draftInForce] = [inForce(live), inForce(snapshot)];
      const gained = new Map<string, number>();
      const lost = new Map<string, number>();
      let prospects = 0;
      let affected = 0;
      for (let after = 0; ;) {
        const page = await this.screenings.profiles(s.id, after, 1000);
        if (!page.length) break;
        after = page[page.length - 1].rowNo;
        for (const p of page) {
          prospects += 1;
          const districts = s.options.districts?.length
            ? (s.options.districts.filter((d) => (DISTRICTS as readonly string[]).includes(d)) as District[])
            : defaultDistricts(p.profile);
          const before = new Set(matchIds(live.ruleset, p.profile, districts).filter(liveInForce));
          const now = new Set(matchIds(snapshot.ruleset, p.profile, districts).filter(draftInForce));
          let changed = false;
          for (const m of now)
            if (!before.has(m)) {
              gained.set(m, (gained.get(m) ?? 0) + 1);
              changed = true;
            }
          for (const m of before)
            if (!now.has(m)) {
              lost.set(m, (lost.get(m) ?? 0) + 1);
              changed = true;
            }
          if (changed) affected += 1;
        }
      }
      const counts = (map: Map<string, number>, snap: RulesetSnapshot): MeasureCount[] =>
        [...map]
          .map(([measureId, n]) => {
            const m = snap.ruleset.measures.get(measureId) as Measure;
            return { measureId, title: m.title, titleEn: m.titleEn, prospects: n };
          })
          .sort((a, b) => b.prospects - a.prospects || (a.measureId < b.measureId ? -1 : 1));
      screenings.push({
        screeningId: s.id,
        name: s.name,
        asOf,
        prospects,
        prospectsAffected: affected,
        gained: counts(gained, snapshot),
        lost: counts(lost, live),
      });
    }
    return { draftId: row.id, from: live.version, to: row.version, screenings };
  }

  async publish(id: string, officer: AuthenticatedOfficer): Promise<Published> {
    const row = await this.live.repository.draft(id);
    if (!row) throw new NotFoundException(`No draft with id ${id}`);
    if ((row.findings as Finding[]).length)
      throw unprocessable(
        'A draft with findings cannot be published.',
        (row.findings as Finding[]).map((f) => ({ path: f.path, message: f.message })),
      );
    try {
      const result = await this.live.publish(id, actorOf(officer));
      if (!result) throw new NotFoundException(`No draft with id ${id}`);
      this.audit.record(
        'catalog.publish',
        result.version,
        { draftId: id, officerId: officer.id },
        { previousVersion: result.previousVersion, by: actorOf(officer) },
        officer.id,
      );
      return { rulesetVersion: result.version, previousVersion: result.previousVersion };
    } catch (e) {
      if (e instanceof VersionConflict)
        throw new ProblemException({
          type: 'about:blank#version-exists',
          status: HttpStatus.CONFLICT,
          detail: `Version ${e.version} is already published; activate it instead.`,
        });
      throw e;
    }
  }

  async activate(version: string, officer: AuthenticatedOfficer): Promise<Activated> {
    const result = await this.live.activate(version, actorOf(officer));
    if (!result) throw new NotFoundException(`No published version ${version}`);
    if (result.changed)
      this.audit.record(
        'catalog.activate',
        result.version,
        { version, officerId: officer.id },
        { previousVersion: result.previousVersion, by: actorOf(officer) },
        officer.id,
      );
    return { rulesetVersion: result.version, previousVersion: result.previousVersion, changed: result.changed };
  }

  async versions(): Promise<VersionList> {
    const [rows, activations] = await Promise.all([this.live.repository.versions(), this.live.repository.activations(50)]);
    return {
      live: this.live.liveSnapshot().version,
      items: rows.map((r) => ({
        rulesetVersion: r.version,
        live: r.live,
        origin: r.origin,
        basedOn: r.basedOn,
        measures: r.measureCount,
        documents: r.documentCount,
        createdAt: iso(r.createdAt),
        createdBy: r.createdBy,
        publishedAt: iso(r.publishedAt),
        publishedBy: r.publishedBy,
      })),
      activations: activations.map((a) => ({ rulesetVersion: a.version, previousVersion: a.previousVersion, action: a.action, by: a.actor, at: iso(a.at) })),
    };
  }
}

/**
 * Measures of the live version ending within `days` of `asOf`, and those already ended that nothing
 * succeeds, with counts by district and by department.
 */
export function expiryReport(measures: readonly Measure[], asOf: string, days: number): ExpiryReport {
  const until = new Date(Date.parse(`${asOf}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
  const item = (m: Measure): ExpiryItem => ({
    measureId: m.id,
    district: m.district,
    title: m.title,
    titleEn: m.titleEn,
    validTo: m.validity.validTo!,
    departments: m.departments.map((d) => ({ id: d.id, name: d.name, nameEn: d.nameEn })),
    successors: m.successors ?? [],
  });
  const byValidTo = (a: ExpiryItem, b: ExpiryItem): number => (a.validTo < b.validTo ? -1 : a.validTo > b.validTo ? 1 : a.measureId < b.measureId ? -1 : 1);
  const expiring = measures
    .filter((m) => statusOf(m.validity, asOf) === 'in-force' && m.validity.validTo !== null && m.validity.validTo <= until)
    .map(item)
    .sort(byValidTo);
  const expiredWithoutSuccessor = measures
    .filter((m) => statusOf(m.validity, asOf) === 'expired' && !m.successors?.length)
    .map(item)
    .sort(byValidTo);
  const byDistrict = DISTRICTS.map((district) => ({
    district,
    expiring: expiring.filter((x) => x.district === district).length,
    expiredWithoutSuccessor: expiredWithoutSuccessor.filter((x) => x.district === district).length,
  }));
  const departments = new Map<
    string,
    { departmentId: string; name: string; nameEn: string; district: District; expiring: number; expiredWithoutSuccessor: number }
  >();
  const count = (list: ExpiryItem[], key: 'expiring' | 'expiredWithoutSuccessor'): void => {
    for (const x of list)
      for (const d of x.departments) {
        const row = departments.get(d.id) ?? {
          departmentId: d.id,
          name: d.name,
          nameEn: d.nameEn,
          district: x.district,
          expiring: 0,
          expiredWithoutSuccessor: 0,
        };
        row[key] += 1;
        departments.set(d.id, row);
      }
  };
  count(expiring, 'expiring');
  count(expiredWithoutSuccessor, 'expiredWithoutSuccessor');
  const byDepartment = [...departments.values()].sort(
    (a, b) => b.expiring + b.expiredWithoutSuccessor - (a.expiring + a.expiredWithoutSuccessor) || (a.departmentId < b.departmentId ? -1 : 1),
  );
  return { asOf, days, until, expiring, expiredWithoutSuccessor, byDistrict, byDepartment };
}

function emptyDiff(from: string, to: string): RulesetDiff {
  return {
    from,
    to,
    added: [],
    removed: [],
    changed: [],
    documents: { added: [], removed: [], changed: [] },
    summary: { zh: '无法比较', en: 'Not comparable' },
  };
}
