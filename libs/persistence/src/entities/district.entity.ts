import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity('district')
export class DistrictEntity {
  @PrimaryColumn({ type: 'text' })
  code!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ name: 'name_en', type: 'text' })
  nameEn!: string;
}
