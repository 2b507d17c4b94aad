import { Column, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/** Which ruleset version the catalog tables hold, so a start with newer rules re-seeds them. */
@Entity('catalog_state')
export class CatalogStateEntity {
  @PrimaryColumn({ type: 'text' })
  key!: string;

  @Column({ name: 'ruleset_version', type: 'text' })
  rulesetVersion!: string;

  @Column({ name: 'measure_count', type: 'integer' })
  measureCount!: number;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
