import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity('policy_document')
export class PolicyDocumentEntity {
  @PrimaryColumn({ type: 'text' })
  id!: string;

  @Column({ type: 'text' })
  district!: string;

  @Column({ type: 'text' })
  title!: string;

  @Column({ name: 'title_en', type: 'text' })
  titleEn!: string;

  @Column({ type: 'text' })
  issuer!: string;

  @Column({ name: 'issuer_en', type: 'text' })
  issuerEn!: string;

  @Column({ name: 'issued_on', type: 'date', nullable: true })
  issuedOn!: string | null;

  @Column({ type: 'text', nullable: true })
  reference!: string | null;

  @Column({ type: 'text' })
  term!: string;

  @Column({ name: 'term_en', type: 'text' })
  termEn!: string;

  @Column({ name: 'valid_from', type: 'date', nullable: true })
  validFrom!: string | null;

  @Column({ name: 'valid_to', type: 'date', nullable: true })
  validTo!: string | null;

  @Column({ name: 'validity_basis', type: 'text' })
  validityBasis!: string;

  @Column({ name: 'full_text', type: 'text' })
  fullText!: string;
}
