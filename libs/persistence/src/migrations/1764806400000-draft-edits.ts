import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Drafts edited in place: a revision counted up by every edit (the ETag an editor sends back), the
 * description a version carries, and who made which edit when.
 */
export class DraftEdits1764806400000 implements MigrationInterface {
  name = 'DraftEdits1764806400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE ruleset_version ADD COLUMN revision integer NOT NULL DEFAULT 1`);
    await q.query(`ALTER TABLE ruleset_version ADD COLUMN description text`);
    await q.query(`UPDATE ruleset_version SET description = bundle->>'description' WHERE bundle ? 'description'`);
    await q.query(`CREATE TABLE ruleset_draft_edit (
      id bigserial PRIMARY KEY,
      draft_id uuid NOT NULL REFERENCES ruleset_version (id) ON DELETE CASCADE,
      revision integer NOT NULL,
      action text NOT NULL,
      target text NOT NULL,
      summary jsonb NOT NULL,
      actor text NOT NULL,
      at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (draft_id, revision))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE ruleset_draft_edit`);
    await q.query(`ALTER TABLE ruleset_version DROP COLUMN description`);
    await q.query(`ALTER TABLE ruleset_version DROP COLUMN revision`);
  }
}
