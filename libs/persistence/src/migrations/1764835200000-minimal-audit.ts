import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The audit keeps what reproduces an answer and nothing that says who the company is: the officer an
 * evaluation was made for (officers read back only their own), and no company name or credit code in
 * records written before the service dropped them.
 */
export class MinimalAudit1764835200000 implements MigrationInterface {
  name = 'MinimalAudit1764835200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE evaluation ADD COLUMN officer_id uuid`);
    await q.query(`CREATE INDEX evaluation_officer ON evaluation (officer_id) WHERE officer_id IS NOT NULL`);
    await q.query(
      `UPDATE evaluation SET officer_id = (request->>'officerId')::uuid
        WHERE request->>'officerId' ~ '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$'`,
    );
    await q.query(`UPDATE evaluation SET request = request #- '{profile,name}' #- '{profile,uscc}' WHERE request->'profile' ?| array['name', 'uscc']`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX evaluation_officer`);
    await q.query(`ALTER TABLE evaluation DROP COLUMN officer_id`);
  }
}
