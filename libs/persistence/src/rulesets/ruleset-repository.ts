import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import type { DataSource, EntityManager } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { catalogFromContent, type CatalogContent } from '@matcher/catalog';
import { RulesetActivationEntity, RulesetDraftEditEntity, RulesetVersionEntity } from '../entities/ruleset-version.entity';
import { writeCatalogMirror } from '../seed/catalog-seeder';

/** Serialises switches of the live version (and the baseline import) between instances on one PostgreSQL. */
const LIVE_LOCK = 4_242_002;
/** The channel every instance listens on; the payload is the version made live. */
export const LIVE_CHANNEL = 'ruleset_live';

export type RulesetSummary = Omit<RulesetVersionEntity, 'content' | 'bundle'>;

const SUMMARY_COLUMNS = {
  id: true,
  version: true,
  status: true,
  live: true,
  origin: true,
  basedOn: true,
  findings: true,
  revision: true,
  description: true,
  measureCount: true,
  documentCount: true,
  createdAt: true,
  createdBy: true,
  publishedAt: true,
  publishedBy: true,
} as const;

/** TypeORM's deep-partial type does not accept the content's nested records; the row is complete. */
function asInsert(row: RulesetVersionEntity): QueryDeepPartialEntity<RulesetVersionEntity> {
  return row as unknown as QueryDeepPartialEntity<RulesetVersionEntity>;
}

export interface ActivationResult {
  version: string;
  previousVersion: string | null;
  changed: boolean;
}

function countsOf(content: CatalogContent): { measureCount: number; documentCount: number } {
  return { measureCount: Object.values(content.rules).reduce((n, r) => n + r.length, 0), documentCount: content.documents.length };
}

/** Makes `row` the one live version, mirrors it into the catalog tables and records who did it. In the caller's transaction. */
async function makeLive(
  m: EntityManager,
  row: RulesetVersionEntity,
  action: RulesetActivationEntity['action'],
  actor: string,
  notify: boolean,
): Promise<ActivationResult> {
  const current = await m.findOne(RulesetVersionEntity, { where: { live: true }, select: { id: true, version: true } });
  if (current?.id === row.id) return { version: row.version, previousVersion: row.version, changed: false };
  if (current) await m.update(RulesetVersionEntity, { id: current.id }, { live: false });
  await m.update(RulesetVersionEntity, { id: row.id }, { live: true });
  await writeCatalogMirror(m, catalogFromContent(row.content));
  await m.insert(RulesetActivationEntity, { version: row.version, previousVersion: current?.version ?? null, action, actor });
  // Delivered to every listener when the transaction commits, never before.
  if (notify) await m.query('SELECT pg_notify($1, $2)', [LIVE_CHANNEL, row.version]);
  return { version: row.version, previousVersion: current?.version ?? null, changed: true };
}

/**
 * Ruleset versions: the only code that reads or writes ruleset_version and ruleset_activation.
 * `notify` is off on the embedded database, where every instance is this process.
 */
export class RulesetRepository {
  constructor(
    private readonly dataSource: DataSource,
    private readonly notify: boolean,
  ) {}

  /**
   * Imports the shipped content as a published version unless a published version has its hash already.
   * It goes live when nothing is live yet, or when no admin has published or activated a version since the
   * last baseline (a deployment shipping revised rules); what an admin made live stays live. Idempotent.
   */
  async importBaseline(content: CatalogContent, version: string): Promise<{ imported: boolean; live: boolean }> {
    return this.dataSource.transaction(async (m) => {
      await m.query('SELECT pg_advisory_xact_lock($1)', [LIVE_LOCK]);
      let row = await m.findOne(RulesetVersionEntity, {
        where: { version, status: 'published' },
        select: { id: true, version: true, live: true, origin: true },
      });
      const imported = !row;
      if (!row) {
        row = Object.assign(new RulesetVersionEntity(), {
          id: randomUUID(),
          version,
          status: 'published',
          live: false,
          origin: 'baseline',
          basedOn: null,
          content,
          bundle: null,
          findings: [],
          revision: 1,
          description: null,
          ...countsOf(content),
          createdBy: 'baseline',
          publishedAt: new Date(),
          publishedBy: 'baseline',
        } satisfies Omit<RulesetVersionEntity, 'createdAt'>);
        await m.insert(RulesetVersionEntity, asInsert(row));
      }
      const live = await m.findOne(RulesetVersionEntity, { where: { live: true }, select: { id: true } });
      const last = await m.find(RulesetActivationEntity, { order: { id: 'DESC' }, take: 1 });
      // Until an admin publishes or activates, the live version follows what the deployment ships.
      if (!live || last.length === 0 || last[0].action === 'baseline') {
        if (live?.id !== row.id) await makeLive(m, await m.findOneByOrFail(RulesetVersionEntity, { id: row.id }), 'baseline', 'baseline', this.notify);
        return { imported, live: true };
      }
      return { imported, live: live.id === row.id };
    });
  }

  /** The live version with its content (null before the baseline import). */
  live(): Promise<RulesetVersionEntity | null> {
    return this.dataSource.getRepository(RulesetVersionEntity).findOneBy({ live: true });
  }

  async liveVersion(): Promise<string | null> {
    const row = await this.dataSource.getRepository(RulesetVersionEntity).findOne({ where: { live: true }, select: { version: true } });
    return row?.version ?? null;
  }

  published(version: string): Promise<RulesetVersionEntity | null> {
    return this.dataSource.getRepository(RulesetVersionEntity).findOneBy({ version, status: 'published' });
  }

  draft(id: string): Promise<RulesetVersionEntity | null> {
    return this.dataSource.getRepository(RulesetVersionEntity).findOneBy({ id, status: 'draft' });
  }

  async createDraft(input: {
    version: string;
    content: CatalogContent;
    bundle: unknown;
    findings: unknown[];
    basedOn: string;
    createdBy: string;
    description: string | null;
  }): Promise<RulesetVersionEntity> {
    const row = Object.assign(new RulesetVersionEntity(), {
      id: randomUUID(),
      revision: 1,
      status: 'draft' as const,
      live: false,
      origin: 'bundle' as const,
      publishedAt: null,
      publishedBy: null,
      ...countsOf(input.content),
      ...input,
    });
    await this.dataSource.getRepository(RulesetVersionEntity).insert(asInsert(row));
    return this.dataSource.getRepository(RulesetVersionEntity).findOneByOrFail({ id: row.id });
  }

  /**
   * Stores an edit of a draft if the draft is still at `revision` (optimistic concurrency): the new content,
   * version and findings, the revision counted up, and the edit recorded with who and when. Throws
   * `DraftChangedSince` with the edits made since when another edit came first; null when there is no such draft.
   */
  async updateDraft(
    id: string,
    revision: number,
    next: { version: string; content: CatalogContent; findings: unknown[]; basedOn?: string },
    edit: { action: string; target: string; summary: { zh: string; en: string }; actor: string },
  ): Promise<RulesetVersionEntity | null> {
    return this.dataSource.transaction(async (m) => {
      const result = await m
        .createQueryBuilder()
        .update(RulesetVersionEntity)
        .set(
          asInsert({
            version: next.version,
            content: next.content,
            findings: next.findings,
            ...countsOf(next.content),
            ...(next.basedOn ? { basedOn: next.basedOn } : {}),
            revision: revision + 1,
          } as unknown as RulesetVersionEntity),
        )
        .where('id = :id AND status = :status AND revision = :revision', { id, status: 'draft', revision })
        .execute();
      if (!result.affected) {
        const row = await m.findOne(RulesetVersionEntity, { where: { id, status: 'draft' }, select: { id: true, revision: true } });
        if (!row) return null;
        const since = await m.find(RulesetDraftEditEntity, { where: { draftId: id }, order: { revision: 'DESC' } });
        throw new DraftChangedSince(
          row.revision,
          since.filter((e) => e.revision > revision),
        );
      }
      await m.insert(RulesetDraftEditEntity, { draftId: id, revision: revision + 1, ...edit });
      return m.findOneByOrFail(RulesetVersionEntity, { id });
    });
  }

  /** A draft's edits, newest first. */
  draftEdits(id: string, limit = 200): Promise<RulesetDraftEditEntity[]> {
    return this.dataSource.getRepository(RulesetDraftEditEntity).find({ where: { draftId: id }, order: { revision: 'DESC' }, take: limit });
  }

  /** Published versions, newest first, without their content. */
  versions(): Promise<RulesetSummary[]> {
    return this.dataSource.getRepository(RulesetVersionEntity).find({
      where: { status: 'published' },
      select: SUMMARY_COLUMNS,
      order: { publishedAt: 'DESC', createdAt: 'DESC' },
    });
  }

  /** Who made which version live, newest first. */
  activations(limit = 100): Promise<RulesetActivationEntity[]> {
    return this.dataSource.getRepository(RulesetActivationEntity).find({ order: { id: 'DESC' }, take: limit });
  }

  /**
   * Publishes a draft and makes it live in one transaction. Null when the draft is gone (already
   * published); throws `VersionConflict` when a published version has the same content.
   */
  async publish(draftId: string, actor: string): Promise<ActivationResult | null> {
    return this.dataSource.transaction(async (m) => {
      await m.query('SELECT pg_advisory_xact_lock($1)', [LIVE_LOCK]);
      const draft = await m.findOneBy(RulesetVersionEntity, { id: draftId, status: 'draft' });
      if (!draft) return null;
      // A draft made on a version no longer live would undo what was published since: it is rebased first.
      const live = await m.findOne(RulesetVersionEntity, { where: { live: true }, select: { version: true } });
      if (live && draft.basedOn !== live.version) throw new BaseMoved(draft.basedOn, live.version);
      const existing = await m.findOne(RulesetVersionEntity, { where: { version: draft.version, status: 'published' }, select: { id: true } });
      if (existing) throw new VersionConflict(draft.version);
      await m.update(RulesetVersionEntity, { id: draft.id }, { status: 'published', publishedAt: new Date(), publishedBy: actor });
      return makeLive(m, { ...draft, status: 'published' }, 'publish', actor, this.notify);
    });
  }

  /** Makes a published version live again (roll back or forward). Null when there is no such version. */
  async activate(version: string, actor: string): Promise<ActivationResult | null> {
    return this.dataSource.transaction(async (m) => {
      await m.query('SELECT pg_advisory_xact_lock($1)', [LIVE_LOCK]);
      const row = await m.findOneBy(RulesetVersionEntity, { version, status: 'published' });
      if (!row) return null;
      return makeLive(m, row, 'activate', actor, this.notify);
    });
  }
}

/** A draft's base is no longer the live version. */
export class BaseMoved extends Error {
  constructor(
    readonly basedOn: string | null,
    readonly live: string,
  ) {
    super(`the draft was made on ${basedOn ?? 'nothing'}; ${live} is live now`);
  }
}

/** An edit sent with a revision another edit has moved past. */
export class DraftChangedSince extends Error {
  constructor(
    readonly revision: number,
    readonly edits: RulesetDraftEditEntity[],
  ) {
    super(`the draft is at revision ${revision}`);
  }
}

export class VersionConflict extends Error {
  constructor(readonly version: string) {
    super(`version ${version} is already published`);
  }
}

/**
 * Listens for switches of the live version on PostgreSQL with a connection of its own, reconnecting after
 * a loss; after every (re)connect it calls `onConnect` so a switch missed while disconnected is caught up.
 */
export function listenForLiveVersion(url: string, onVersion: (version: string) => void, onConnect: () => void): { close(): Promise<void> } {
  let client: Client | undefined;
  let closed = false;
  let timer: NodeJS.Timeout | undefined;
  const connect = async (): Promise<void> => {
    if (closed) return;
    const c = new Client({ connectionString: url });
    c.on('notification', (n) => {
      if (n.channel === LIVE_CHANNEL && n.payload) onVersion(n.payload);
    });
    c.on('error', () => retry(c));
    c.on('end', () => retry(c));
    try {
      await c.connect();
      await c.query(`LISTEN ${LIVE_CHANNEL}`);
      client = c;
      onConnect();
    } catch {
      retry(c);
    }
  };
  const failed = new WeakSet<Client>();
  const retry = (c: Client): void => {
    // error and end both fire for one loss: reconnect once per client.
    if (closed || failed.has(c)) return;
    failed.add(c);
    if (client === c) client = undefined;
    void c.end().catch(() => undefined);
    timer = setTimeout(() => {
      timer = undefined;
      void connect();
    }, 1000);
    timer.unref();
  };
  void connect();
  return {
    async close() {
      closed = true;
      if (timer) clearTimeout(timer);
      await client?.end().catch(() => undefined);
    },
  };
}
