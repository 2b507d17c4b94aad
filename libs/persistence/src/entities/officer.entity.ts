import { Column, Entity, PrimaryColumn } from 'typeorm';

export type OfficerRole = 'officer' | 'admin';

@Entity('officer')
export class OfficerEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'text' })
  name!: string;

  /** `officer` sees its own screenings; `admin` also manages officers and keys. */
  @Column({ type: 'text' })
  role!: OfficerRole;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
