import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A prospect keeps the officer's own cells (the export gives the list back with the answer after it) and the
 * warnings of a row screened with some of its values read softly or left unknown.
 */
export class ProspectCells1764892800000 implements MigrationInterface {
  name = 'ProspectCells1764892800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE screening_prospect ADD COLUMN cells jsonb, ADD COLUMN warnings jsonb`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE screening_prospect DROP COLUMN cells, DROP COLUMN warnings`);
  }
}
