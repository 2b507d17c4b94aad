import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** An officer's API key. Only its SHA-256 digest is stored; the key is shown once, when created. */
@Entity('api_key')
export class ApiKeyEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Index()
  @Column({ name: 'officer_id', type: 'uuid' })
  officerId!: string;

  @Index({ unique: true })
  @Column({ name: 'key_hash', type: 'text' })
  keyHash!: string;

  /** The first characters, to tell keys apart in listings. */
  @Column({ type: 'text' })
  hint!: string;

  @Column({ type: 'text' })
  label!: string;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt!: Date | null;
}
