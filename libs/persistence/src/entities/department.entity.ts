import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

@Entity('department')
@Index(['district', 'name'], { unique: true })
export class DepartmentEntity {
  @PrimaryColumn({ type: 'text' })
  id!: string;

  @Column({ type: 'text' })
  district!: string;

  /** The short name as the documents write it (区商务委…). */
  @Column({ type: 'text' })
  name!: string;

  @Column({ name: 'full_name', type: 'text' })
  fullName!: string;

  @Column({ name: 'name_en', type: 'text' })
  nameEn!: string;
}
