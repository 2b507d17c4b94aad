import { Column, CreateDateColumn, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import type { CatalogContent } from '@matcher/catalog';

export type RulesetStatus = 'draft' | 'published';

/** One ruleset version: a draft, or published (immutable). Exactly one published version is live. */
@Entity('ruleset_version')
export class RulesetVersionEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  /** The content hash X-Ruleset-Version reports. */
  @Column({ type: 'text' })
  version!: string;

  @Column({ type: 'text' })
  status!: RulesetStatus;

  @Column({ type: 'boolean' })
  live!: boolean;

  /** `baseline`: the shipped rules/ and seeds/; `bundle`: uploaded by an admin. */
  @Column({ type: 'text' })
  origin!: 'baseline' | 'bundle';

  /** The live version a draft was made against. */
  @Column({ name: 'based_on', type: 'text', nullable: true })
  basedOn!: string | null;

  @Column({ type: 'jsonb' })
  content!: CatalogContent;

  /** The bundle a draft was made from, as uploaded. */
  @Column({ type: 'jsonb', nullable: true })
  bundle!: unknown;

  @Column({ type: 'jsonb' })
  findings!: unknown[];

  /** Counts up with every edit of a draft: the ETag an editor sends back in If-Match. */
  @Column({ type: 'integer', default: 1 })
  revision!: number;

  @Column({ type: 'text', nullable: true })
  description!: string | null;

  @Column({ name: 'measure_count', type: 'integer' })
  measureCount!: number;

  @Column({ name: 'document_count', type: 'integer' })
  documentCount!: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'created_by', type: 'text' })
  createdBy!: string;

  @Column({ name: 'published_at', type: 'timestamptz', nullable: true })
  publishedAt!: Date | null;

  @Column({ name: 'published_by', type: 'text', nullable: true })
  publishedBy!: string | null;
}

/** Who made which version live, and when: publishing, rolling back or forward, the baseline import. */
@Entity('ruleset_activation')
export class RulesetActivationEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ type: 'text' })
  version!: string;

  @Column({ name: 'previous_version', type: 'text', nullable: true })
  previousVersion!: string | null;

  @Column({ type: 'text' })
  action!: 'baseline' | 'publish' | 'activate';

  @Column({ type: 'text' })
  actor!: string;

  @CreateDateColumn({ type: 'timestamptz' })
  at!: Date;
}

/** One edit of a draft in place: who made it, when, and what it did. */
@Entity('ruleset_draft_edit')
export class RulesetDraftEditEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ name: 'draft_id', type: 'uuid' })
  draftId!: string;

  /** The draft's revision this edit made. */
  @Column({ type: 'integer' })
  revision!: number;

  @Column({ type: 'text' })
  action!: string;

  @Column({ type: 'text' })
  target!: string;

  @Column({ type: 'jsonb' })
  summary!: { zh: string; en: string };

  @Column({ type: 'text' })
  actor!: string;

  @CreateDateColumn({ type: 'timestamptz' })
  at!: Date;
}
