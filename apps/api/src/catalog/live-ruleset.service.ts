import { AsyncLocalStorage } from 'node:async_hooks';
import { Logger } from '@nestjs/common';
import { catalogFromContent, documentText, type Catalog, type CatalogContent, type LiveCatalog } from '@matcher/catalog';
import { Ruleset } from '@matcher/engine';
import { listenForLiveVersion, RulesetRepository, type RulesetVersionEntity } from '@matcher/persistence';

/** One ruleset version ready to serve: its catalog (with document texts) and its compiled rules. */
export interface RulesetSnapshot {
  version: string;
  catalog: LiveCatalog;
  ruleset: Ruleset;
  content: CatalogContent;
}

/** The catalog a deployment ships, as content to store (a catalog given without content is turned into one). */
export type BaselineCatalog = Catalog & { content?: CatalogContent };

/** A catalog's content by document: what rules/, seeds/ and test/rules/ would hold for it. */
export function contentOf(catalog: BaselineCatalog): CatalogContent {
  if (catalog.content) return catalog.content;
  const texts: Record<string, string> = {};
  for (const d of catalog.documents) {
    try {
      texts[d.id] = (catalog as { texts?: Record<string, string> }).texts?.[d.id] ?? documentText(d.id);
    } catch {
      texts[d.id] = '';
    }
  }
  const rules: CatalogContent['rules'] = {};
  for (const r of catalog.rules) (rules[r.event.params.source.documentId] ??= []).push(r);
  return {
    districts: catalog.districts,
    documents: catalog.documents,
    departments: catalog.departments,
    texts,
    rules,
    coverage: {},
    documentDepartments: {},
    cases: {},
  };
}

/** Builds a servable snapshot; the stored version string is authoritative (it is what responses name). */
export function snapshotOf(version: string, content: CatalogContent): RulesetSnapshot {
  const catalog = { ...catalogFromContent(content), version };
  return { version, catalog, ruleset: new Ruleset(catalog), content };
}

/**
 * The live ruleset in memory, the one source every request reads the catalog and rules from. A switch
 * (publish, roll back, or another instance's switch heard through LISTEN/NOTIFY) replaces one reference:
 * a request pinned to the snapshot it started with finishes on it.
 */
export class LiveRuleset {
  private readonly logger = new Logger('Ruleset');
  private live!: RulesetSnapshot;
  private readonly pinned = new AsyncLocalStorage<RulesetSnapshot>();
  /** Recently used versions and drafts besides the live one (simulation, roll back), compiled once. */
  private readonly recent = new Map<string, RulesetSnapshot>();
  private listener?: { close(): Promise<void> };
  private switching: Promise<void> = Promise.resolve();
  private readonly listeners = new Set<(s: RulesetSnapshot) => void>();

  constructor(
    readonly repository: RulesetRepository,
    private readonly baseline: BaselineCatalog,
    private readonly databaseUrl: string | undefined,
  ) {}

  /** Imports the shipped baseline (idempotent), loads the live version, and on PostgreSQL listens for switches. */
  async start(): Promise<void> {
    const content = contentOf(this.baseline);
    const result = await this.repository.importBaseline(content, this.baseline.version);
    const row = await this.repository.live();
    if (!row) throw new Error('no live ruleset version after the baseline import');
    this.live = snapshotOf(row.version, row.content);
    this.logger.log(
      `ruleset ${this.live.version} live (${this.live.catalog.measures.length} measures); shipped baseline ${this.baseline.version} ${result.imported ? 'imported' : 'already stored'}`,
    );
    if (this.databaseUrl)
      this.listener = listenForLiveVersion(
        this.databaseUrl,
        (version) => void this.follow(version),
        () => void this.catchUp(),
      );
  }

  async stop(): Promise<void> {
    await this.listener?.close();
  }

  /** The snapshot this request is pinned to, or the live one outside a request. */
  get current(): RulesetSnapshot {
    return this.pinned.getStore() ?? this.live;
  }

  /** The ruleset this request is pinned to (the live one outside a request): what services evaluate with. */
  get ruleset(): Ruleset {
    return this.current.ruleset;
  }

  get catalog(): LiveCatalog {
    return this.current.catalog;
  }

  get version(): string {
    return this.current.version;
  }

  /** The live snapshot, ignoring any pin: what a new request starts on. */
  liveSnapshot(): RulesetSnapshot {
    return this.live;
  }

  /** Runs `fn` (and everything it awaits) on `snapshot`. */
  run<T>(snapshot: RulesetSnapshot, fn: () => T): T {
    return this.pinned.run(snapshot, fn);
  }

  onSwitch(listener: (s: RulesetSnapshot) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** A published version's snapshot (the live one, or built from storage); null when there is none. */
  async published(version: string): Promise<RulesetSnapshot | null> {
    if (version === this.live.version) return this.live;
    const hit = this.recent.get(`v:${version}`);
    if (hit) return hit;
    const row = await this.repository.published(version);
    return row ? this.remember(`v:${version}`, snapshotOf(row.version, row.content)) : null;
  }

  /** A draft's snapshot, or null when there is no such draft. Throws when its content does not build. */
  async draft(id: string): Promise<{ row: RulesetVersionEntity; snapshot: RulesetSnapshot } | null> {
    const row = await this.repository.draft(id);
    if (!row) return null;
    // Keyed by revision too: a draft edited in place is a new snapshot.
    const key = `d:${id}:${row.revision}`;
    const snapshot = this.recent.get(key) ?? this.remember(key, snapshotOf(row.version, row.content));
    return { row, snapshot };
  }

  private remember(key: string, s: RulesetSnapshot): RulesetSnapshot {
    this.recent.delete(key);
    this.recent.set(key, s);
    while (this.recent.size > 4) this.recent.delete(this.recent.keys().next().value!);
    return s;
  }

  /** Publishes a draft and switches this instance at once; other instances follow the notification. */
  async publish(draftId: string, actor: string): Promise<{ version: string; previousVersion: string | null } | null> {
    const result = await this.repository.publish(draftId, actor);
    if (result) await this.follow(result.version);
    return result;
  }

  async activate(version: string, actor: string): Promise<{ version: string; previousVersion: string | null; changed: boolean } | null> {
    const result = await this.repository.activate(version, actor);
    if (result) await this.follow(result.version);
    return result;
  }

  /** Switches to `version` (one at a time, in the order heard). */
  follow(version: string): Promise<void> {
    this.switching = this.switching.then(async () => {
      if (version === this.live.version) return;
      try {
        const next = await this.published(version);
        if (!next) return;
        this.live = next;
        this.recent.delete(`v:${version}`);
        this.logger.log(`ruleset ${version} is live (${next.catalog.measures.length} measures)`);
        for (const l of this.listeners) l(next);
      } catch (e) {
        this.logger.error(`could not switch to ruleset ${version}: ${(e as Error).message}`);
      }
    });
    return this.switching;
  }

  /** After (re)connecting the listener: a switch made while it was away is followed now. */
  private async catchUp(): Promise<void> {
    try {
      const version = await this.repository.liveVersion();
      if (version) await this.follow(version);
    } catch {
      // The database is away; the next reconnect catches up.
    }
  }
}
