import { HttpStatus, Inject, Injectable, NotFoundException } from '@nestjs/common';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import {
  applyBundle,
  applyDraftEdit,
  BUNDLE_SCHEMA,
  bundlePath,
  DISTRICTS,
  editMessage,
  EditRefused,
  rebaseContent,
  type CatalogContent,
  type District,
  type Measure,
  type PolicyBundle,
} from '@matcher/catalog';
import { catalogEvaluator, defaultDistricts, diffCatalogs, matchIds, statusOf, todayInShanghai, type RulesetDiff } from '@matcher/engine';
import {
  BaseMoved,
  DraftChangedSince,
  ScreeningRepository,
  VersionConflict,
  type RulesetDraftEditEntity,
  type RulesetVersionEntity,
} from '@matcher/persistence';
import { AuditService } from '../audit/audit.service';
import type { AuthenticatedOfficer } from '../auth/authenticated-officer';
import { LiveRuleset, type RulesetSnapshot } from '../catalog/live-ruleset.service';
import { ProblemException } from '../common/problem';
import { CATALOG_CHECKER } from './catalog-admin.tokens';
import { HeavyWorkPool, WorkLimitError } from '../workers/heavy-work.pool';
import type {
  Activated,
  CreatedDraft,
  DraftDocument,
  DraftDocumentSummary,
  DraftEdit,
  DraftEditRecord,
  DraftFinding as Finding,
  DraftMeasure,
  Rebased,
  DraftImpact,
  DraftView,
  ExpiryItem,
  ExpiryReport,
  MeasureCount,
  Published,
  ScreeningImpact,
  VersionList,
  VersionPreview,
} from '@matcher/contracts';
import { iso } from '../common/iso';
import type { CatalogChecker } from './draft-checker';

const ajv = new Ajv2020({ allErrors: true, strict: false });
addFormats(ajv, ['date']);
const validateBundle = ajv.compile(BUNDLE_SCHEMA);

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

function actorOf(officer: AuthenticatedOfficer): string {
  return `${officer.name} (${officer.id})`;
}

/** "张三 (uuid)" → "张三": the name a person reads. */
export function nameOf(actor: string | null): string | null {
  return actor === null ? null : actor.replace(/ \([0-9a-f-]{36}\)$/i, '');
}

function editRecord(e: RulesetDraftEditEntity): DraftEditRecord {
  return {
    revision: e.revision,
    action: e.action as DraftEditRecord['action'],
    target: e.target,
    summary: e.summary,
    by: nameOf(e.actor) ?? e.actor,
    at: iso(e.at),
  };
}

/** `"7"` or `W/"7"` → 7; undefined when absent or not a revision. */
export function revisionOf(ifMatch: string | undefined): number | undefined {
  const m = /^(?:W\/)?"?(\d{1,9})"?$/.exec((ifMatch ?? '').trim());
  return m ? Number(m[1]) : undefined;
}

function unprocessable(detail: string, errors: { path: string; message: string }[], extra: Record<string, unknown> = {}): ProblemException {
  return new ProblemException({ type: 'about:blank#invalid-bundle', status: HttpStatus.UNPROCESSABLE_ENTITY, detail, errors, ...extra });
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
    return this.live.repository
      .createDraft({ version, content, bundle, findings, basedOn: base.version, createdBy: actorOf(officer), description: bundle.description ?? null })
      .then((row) => {
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
    const live = this.live.liveSnapshot();
    let diff = emptyDiff(live.version, row.version);
    if (!findings.some((f) => f.message.startsWith('the catalog does not build'))) {
      const { snapshot } = await this.draftRow(id);
      diff = diffCatalogs(live.catalog, snapshot.catalog);
    }
    const liveIds = new Set(live.content.documents.map((d) => d.id));
    const summary = (d: CatalogContent['documents'][number], content: CatalogContent, withdrawn: boolean): DraftDocumentSummary => ({
      id: d.id,
      district: d.district,
      title: d.title,
      titleEn: d.titleEn,
      term: d.term,
      termEn: d.termEn,
      validity: d.validity,
      measures: content.rules[d.id]?.length ?? 0,
      withdrawn,
    });
    const draftIds = new Set(row.content.documents.map((d) => d.id));
    return {
      id: row.id,
      rulesetVersion: row.version,
      basedOn: row.basedOn,
      basedOnLive: row.basedOn === live.version,
      description: row.description ?? (row.bundle as PolicyBundle | null)?.description ?? null,
      createdAt: iso(row.createdAt),
      createdBy: nameOf(row.createdBy) ?? row.createdBy,
      revision: row.revision,
      measures: row.measureCount,
      documents: row.documentCount,
      findings,
      diff,
      documentList: [
        ...row.content.documents.map((d) => summary(d, row.content, false)),
        ...live.content.documents.filter((d) => !draftIds.has(d.id) && liveIds.has(d.id)).map((d) => summary(d, live.content, true)),
      ],
      edits: (await this.live.repository.draftEdits(row.id)).map(editRecord),
    };
  }

  /** A document of a draft for editing: its record, text, measures (with those the draft withdrew) and the district's directory. */
  async draftDocument(id: string, documentId: string): Promise<DraftDocument> {
    const row = await this.live.repository.draft(id);
    if (!row) throw new NotFoundException(`No draft with id ${id}`);
    const live = this.live.liveSnapshot().content;
    const inDraft = row.content.documents.find((d) => d.id === documentId);
    const doc = inDraft ?? live.documents.find((d) => d.id === documentId);
    if (!doc) throw new NotFoundException(`No document ${documentId} in the draft`);
    const source = inDraft ? row.content : live;
    const measureOf = (r: CatalogContent['rules'][string][number], content: CatalogContent, withdrawn: boolean): DraftMeasure => {
      const p = r.event.params;
      return {
        measureId: p.measureId,
        kind: p.kind,
        title: p.title,
        titleEn: p.titleEn,
        summary: p.summary,
        summaryEn: p.summaryEn,
        supportType: p.supportType,
        departments: p.departments,
        validity: p.validity,
        ...(p.application ? { application: p.application } : {}),
        ...(p.replaces ? { replaces: p.replaces } : {}),
        quote: p.source.quote,
        section: p.source.section,
        conditions: r.conditions,
        ...(p.basis ? { basis: p.basis } : {}),
        cases: (content.cases[doc.id]?.[r.name] ?? []).map((c) => ({ case: c.case, profile: c.profile, expect: c.expect === 'match' ? 'match' : 'no-match' })),
        withdrawn,
      };
    };
    const names = new Set((source.rules[doc.id] ?? []).map((r) => r.name));
    const measures = [
      ...(source.rules[doc.id] ?? []).map((r) => measureOf(r, source, false)),
      ...(inDraft ? (live.rules[doc.id] ?? []).filter((r) => !names.has(r.name)).map((r) => measureOf(r, live, true)) : []),
    ];
    return {
      document: {
        id: doc.id,
        district: doc.district,
        title: doc.title,
        titleEn: doc.titleEn,
        term: doc.term,
        termEn: doc.termEn,
        validity: doc.validity,
        measures: source.rules[doc.id]?.length ?? 0,
        withdrawn: !inDraft,
        issuer: doc.issuer,
        issuerEn: doc.issuerEn,
        issuedOn: doc.issuedOn,
        ...(doc.reference ? { reference: doc.reference } : {}),
        ...(doc.supersedes ? { supersedes: doc.supersedes } : {}),
      },
      text: source.texts[doc.id] ?? '',
      measures,
      directory: row.content.departments
        .filter((d) => d.district === doc.district)
        .map((d) => ({ id: d.id, name: d.name, fullName: d.fullName, nameEn: d.nameEn })),
    };
  }

  /** The findings a content has that the live version does not, each placed on its document, measure and field. */
  private async findingsOf(content: CatalogContent): Promise<{ version: string; findings: Finding[] }> {
    const base = this.live.liveSnapshot();
    const findings: Finding[] = [];
    let version = `draft-${Date.now().toString(36)}`;
    // Built in the worker pool, like an uploaded bundle's draft.
    const built = await limited(this.pool.buildDraft(base.version, base.content, content));
    if ('buildError' in built)
      findings.push({ path: '(draft)', documentId: null, measureId: null, message: `the catalog does not build: ${built.buildError}` });
    else version = built.version;
    const known = await limited(this.liveFindings(base));
    for (const f of await limited(Promise.resolve(this.check(content)))) {
      if (known.has(`${f.documentId}|${f.message}`)) continue;
      const path = f.measureId ? `measures.${f.measureId}` : f.documentId ? `documents.${f.documentId}` : '(catalog)';
      findings.push({ ...f, path: f.field ? `${path}.${f.field}` : path });
    }
    return { version, findings };
  }

  /**
   * One edit of a draft in place, checked as rules:check checks. `ifMatch` must be the draft's revision (its
   * ETag): an edit made on an older revision answers 409 with the edits made since, so nothing is lost.
   */
  async edit(id: string, ifMatch: string | undefined, body: DraftEdit, officer: AuthenticatedOfficer, lang: 'zh' | 'en' = 'zh'): Promise<DraftView> {
    const revision = revisionOf(ifMatch);
    if (revision === undefined)
      throw new ProblemException({
        type: 'about:blank#if-match-required',
        status: HttpStatus.PRECONDITION_REQUIRED,
        title: 'Precondition Required',
        detail:
          lang === 'zh'
            ? '请在 If-Match 中带上草稿的 ETag，以免覆盖他人在此期间的修改。'
            : 'Send the draft’s ETag in If-Match, so an edit never overwrites one made meanwhile.',
        errors: [{ path: 'If-Match', message: lang === 'zh' ? '必填：读取草稿时得到的 ETag' : 'is required: the ETag of the draft as you read it' }],
      });
    const row = await this.live.repository.draft(id);
    if (!row) throw new NotFoundException(`No draft with id ${id}`);
    if (row.revision !== revision) throw await this.changedSince(id, row.revision, revision, lang);
    let result;
    try {
      result = applyDraftEdit(row.content, this.live.liveSnapshot().content, body, catalogEvaluator());
    } catch (e) {
      if (e instanceof EditRefused)
        throw new ProblemException({
          type: 'about:blank#invalid-edit',
          status: HttpStatus.UNPROCESSABLE_ENTITY,
          detail: lang === 'zh' ? '修改无效，请查看各字段的错误。' : 'The edit is not valid; see errors for each field.',
          errors: e.problems.map((p) => ({ path: p.path, message: editMessage(p.message, lang) })),
        });
      throw e;
    }
    const { version, findings } = await this.findingsOf(result.content);
    await this.store(
      id,
      revision,
      { version, content: result.content, findings },
      { action: body.action, target: result.target, summary: result.summary },
      officer,
      lang,
    );
    return this.draft(id);
  }

  private async store(
    id: string,
    revision: number,
    next: { version: string; content: CatalogContent; findings: Finding[]; basedOn?: string },
    edit: { action: string; target: string; summary: { zh: string; en: string } },
    officer: AuthenticatedOfficer,
    lang: 'zh' | 'en' = 'zh',
  ): Promise<void> {
    try {
      const saved = await this.live.repository.updateDraft(id, revision, next, { ...edit, actor: actorOf(officer) });
      if (!saved) throw new NotFoundException(`No draft with id ${id}`);
      this.audit.record(
        'catalog.draft-edit',
        saved.version,
        { draftId: id, officerId: officer.id },
        { ...edit, revision: saved.revision, by: actorOf(officer) },
      );
    } catch (e) {
      if (e instanceof DraftChangedSince) throw this.conflict(e.revision, e.edits.map(editRecord), lang);
      throw e;
    }
  }

  private async changedSince(id: string, current: number, had: number, lang: 'zh' | 'en' = 'zh'): Promise<ProblemException> {
    const edits = (await this.live.repository.draftEdits(id)).filter((e) => e.revision > had).map(editRecord);
    return this.conflict(current, edits, lang);
  }

  private conflict(revision: number, changes: DraftEditRecord[], lang: 'zh' | 'en' = 'zh'): ProblemException {
    const words = changes.map((c) => `${c.by}: ${c.summary[lang]}`).join(lang === 'zh' ? '；' : '; ');
    return new ProblemException({
      type: 'about:blank#draft-changed',
      status: HttpStatus.CONFLICT,
      detail:
        lang === 'zh'
          ? `您读取草稿后，草稿已被修改（现为第 ${revision} 版）：${words || '另一项修改'}。请重新读取后再修改。`
          : `The draft was changed since you read it (now revision ${revision}): ${words || 'another edit'}. Read it again and redo your edit.`,
      revision,
      changes,
    });
  }

  /**
   * Rebuilds a draft made on an earlier live version on the one live now: what the draft changed is kept,
   * what was published since is taken in. Parts both changed differently are conflicts: answered 409
   * unless `prefer` says whose to keep.
   */
  async rebase(id: string, ifMatch: string | undefined, prefer: 'draft' | 'live' | undefined, officer: AuthenticatedOfficer): Promise<Rebased> {
    const row = await this.live.repository.draft(id);
    if (!row) throw new NotFoundException(`No draft with id ${id}`);
    const revision = revisionOf(ifMatch) ?? row.revision;
    if (row.revision !== revision) throw await this.changedSince(id, row.revision, revision);
    const live = this.live.liveSnapshot();
    if (row.basedOn === live.version) return { rulesetVersion: row.version, basedOn: live.version, revision: row.revision, conflicts: [] };
    const base = row.basedOn ? await this.live.published(row.basedOn) : null;
    if (!base) throw new NotFoundException(`The version ${row.basedOn ?? '(none)'} the draft was made on is not stored`);
    const merged = rebaseContent(base.content, row.content, live.content, prefer ?? 'draft');
    if (merged.conflicts.length && !prefer)
      throw new ProblemException({
        type: 'about:blank#rebase-conflicts',
        status: HttpStatus.CONFLICT,
        detail: `The draft and the versions published since both changed ${merged.conflicts.length} parts; say whose to keep (prefer: draft or live).`,
        conflicts: merged.conflicts,
      });
    const { version, findings } = await this.findingsOf(merged.content);
    await this.store(
      id,
      revision,
      { version, content: merged.content, findings, basedOn: live.version },
      {
        action: 'rebase',
        target: live.version,
        summary: { zh: `基于现行版本 ${live.version} 重建草稿`, en: `Rebuilt on the live version ${live.version}` },
      },
      officer,
    );
    return { rulesetVersion: version, basedOn: live.version, revision: revision + 1, conflicts: merged.conflicts };
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
    return { draftId: row.id, from: live.version, to: row.version, screenings: await this.screeningImpact(live, snapshot) };
  }

  /** What making a published version live again would change: the diff in words and the saved screenings affected. */
  async versionPreview(version: string): Promise<VersionPreview> {
    const target = await this.live.published(version);
    if (!target) throw new NotFoundException(`No published version ${version}`);
    const live = this.live.liveSnapshot();
    return { from: live.version, to: version, diff: diffCatalogs(live.catalog, target.catalog), screenings: await this.screeningImpact(live, target) };
  }

  private async screeningImpact(live: RulesetSnapshot, snapshot: RulesetSnapshot): Promise<ScreeningImpact[]> {
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
        asOf,
        prospects,
        prospectsAffected: affected,
        gained: counts(gained, snapshot),
        lost: counts(lost, live),
      });
    }
    return screenings;
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
      if (e instanceof BaseMoved) {
        const [from, to] = await Promise.all([e.basedOn ? this.live.published(e.basedOn) : null, this.live.published(e.live)]);
        throw new ProblemException({
          type: 'about:blank#base-moved',
          status: HttpStatus.CONFLICT,
          detail: `Another version (${e.live}) was published after this draft was started on ${e.basedOn ?? '—'}; rebuild the draft on it (POST …/rebase) and review it again.`,
          basedOn: e.basedOn,
          live: e.live,
          publishedSince: from && to ? diffCatalogs(from.catalog, to.catalog) : null,
        });
      }
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
        description: r.description,
        measures: r.measureCount,
        documents: r.documentCount,
        createdAt: iso(r.createdAt),
        createdBy: r.createdBy,
        publishedAt: iso(r.publishedAt),
        publishedBy: r.publishedBy,
        publisherName: nameOf(r.publishedBy),
      })),
      activations: activations.map((a) => ({
        rulesetVersion: a.version,
        previousVersion: a.previousVersion,
        action: a.action,
        by: nameOf(a.actor) ?? a.actor,
        at: iso(a.at),
      })),
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
    kind: m.kind,
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
  // Measures and priorities counted apart: a priority is nothing to apply for, so its end is not a lapse of support.
  const count = (list: ExpiryItem[], district: District, kind: Measure['kind']): number =>
    list.filter((x) => x.district === district && x.kind === kind).length;
  const byDistrict = DISTRICTS.map((district) => ({
    district,
    expiring: count(expiring, district, 'measure'),
    expiredWithoutSuccessor: count(expiredWithoutSuccessor, district, 'measure'),
    prioritiesExpiring: count(expiring, district, 'priority'),
    prioritiesExpiredWithoutSuccessor: count(expiredWithoutSuccessor, district, 'priority'),
  }));
  const departments = new Map<
    string,
    { departmentId: string; name: string; nameEn: string; district: District; expiring: number; expiredWithoutSuccessor: number }
  >();
  const tally = (list: ExpiryItem[], key: 'expiring' | 'expiredWithoutSuccessor'): void => {
    for (const x of list.filter((i) => i.kind === 'measure'))
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
  tally(expiring, 'expiring');
  tally(expiredWithoutSuccessor, 'expiredWithoutSuccessor');
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
