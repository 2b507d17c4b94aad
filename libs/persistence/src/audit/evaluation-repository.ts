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

  /**
   * Deletes the records made before `cutoff`, in slices of `slice` rows so that no statement holds the table
   * for long; returns how many went.
   */
  async deleteCreatedBefore(cutoff: Date, slice = 5000): Promise<number> {
    let total = 0;
    for (;;) {
      // Counted by a SELECT around the DELETE, so the driver answers rows whatever it does with a DELETE's result.
      const [{ n }] = await this.dataSource.query<{ n: number }[]>(
        `WITH doomed AS (SELECT id FROM evaluation WHERE created_at < $1 LIMIT $2),
              gone AS (DELETE FROM evaluation e USING doomed WHERE e.id = doomed.id RETURNING 1)
         SELECT count(*)::int AS n FROM gone`,
        [cutoff, slice],
      );
      total += n;
      if (n < slice) return total;
    }
  }
}
