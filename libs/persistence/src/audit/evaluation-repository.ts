import type { DataSource } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { EvaluationEntity } from '../entities/evaluation.entity';

/** The audit trail of evaluations: written in batches, read one by one. */
export class EvaluationRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Inserts the records in one statement; a record whose id is stored already is skipped (a retried batch). */
  async insert(records: EvaluationEntity[]): Promise<void> {
    await this.dataSource
      .createQueryBuilder()
      .insert()
      .into(EvaluationEntity)
      .values(records as QueryDeepPartialEntity<EvaluationEntity>[])
      .orIgnore()
      .execute();
  }

  find(id: string): Promise<EvaluationEntity | null> {
    return this.dataSource.getRepository(EvaluationEntity).findOneBy({ id });
  }
}
