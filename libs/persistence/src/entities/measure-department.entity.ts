import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

@Entity('measure_department')
export class MeasureDepartmentEntity {
  @PrimaryColumn({ name: 'measure_id', type: 'text' })
  measureId!: string;

  @Index()
  @PrimaryColumn({ name: 'department_id', type: 'text' })
  departmentId!: string;

  /** "document" when the document names the department for this measure, "inferred" otherwise. */
  @Column({ type: 'text' })
  source!: string;

  @Column({ type: 'integer' })
  position!: number;
}
