import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** The audit trail: one row per evaluation served. */
@Entity('evaluation')
export class EvaluationEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Index()
  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  /** match | compare | batch */
  @Column({ type: 'text' })
  kind!: string;

  @Column({ name: 'ruleset_version', type: 'text' })
  rulesetVersion!: string;

  /** The officer whose key or session made it; null for the public match (nobody reads those back). */
  @Column({ name: 'officer_id', type: 'uuid', nullable: true })
  officerId!: string | null;

  @Column({ type: 'jsonb' })
  request!: Record<string, unknown>;

  /** Counts and the measure ids matched per district, not the whole response. */
  @Column({ type: 'jsonb' })
  summary!: Record<string, unknown>;
}
