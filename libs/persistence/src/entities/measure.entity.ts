import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { Measure, RuleDefinition } from '@matcher/catalog';

@Entity('measure')
export class MeasureEntity {
  @PrimaryColumn({ type: 'text' })
  id!: string;

  @Index()
  @Column({ type: 'text' })
  district!: string;

  @Column({ name: 'document_id', type: 'text' })
  documentId!: string;

  /** Position in the ruleset, so listings keep the documents' order. */
  @Column({ type: 'integer' })
  position!: number;

  @Column({ type: 'text' })
  title!: string;

  @Column({ name: 'title_en', type: 'text' })
  titleEn!: string;

  @Column({ name: 'support_type', type: 'text', array: true })
  supportType!: string[];

  @Column({ name: 'valid_from', type: 'date', nullable: true })
  validFrom!: string | null;

  @Column({ name: 'valid_to', type: 'date', nullable: true })
  validTo!: string | null;

  @Column({ type: 'text' })
  specificity!: string;

  @Column({ type: 'text', array: true })
  sectors!: string[];

  /** Lower-cased titles, summaries and quote (zh and en) for text search. */
  @Column({ name: 'search_text', type: 'text' })
  searchText!: string;

  /** The whole measure record as the API serves it. */
  @Column({ type: 'jsonb' })
  record!: Measure;

  /** The json-rules-engine rule, verbatim. */
  @Column({ type: 'jsonb' })
  rule!: RuleDefinition;
}
