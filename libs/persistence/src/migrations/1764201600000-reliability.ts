import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 12: a prospect keeps the spreadsheet's own row number beside its position (XLSX rows may come in any
 * order, repeat, or carry numbers past an integer), and the web app's sign-in becomes a server-side session:
 * random token (only its digest stored), expiring, revocable, tied to the key it was opened with.
 */
export class Reliability1764201600000 implements MigrationInterface {
  name = 'Reliability1764201600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE screening_prospect ADD COLUMN sheet_row bigint`);
    await q.query(`CREATE TABLE officer_session (
      token_hash text PRIMARY KEY,
      key_id uuid NOT NULL REFERENCES api_key(id) ON DELETE CASCADE,
      created_at timestamptz NOT NULL,
      expires_at timestamptz NOT NULL,
      revoked_at timestamptz)`);
    await q.query(`CREATE INDEX officer_session_expires ON officer_session (expires_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE officer_session`);
    await q.query(`ALTER TABLE screening_prospect DROP COLUMN sheet_row`);
  }
}
