import type { MigrationInterface, QueryRunner } from 'typeorm';

export class OfficersAndKeys1763827200000 implements MigrationInterface {
  name = 'OfficersAndKeys1763827200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE officer (
      id uuid PRIMARY KEY,
      name text NOT NULL,
      role text NOT NULL CHECK (role IN ('officer', 'admin')),
      created_at timestamptz NOT NULL)`);
    await q.query(`CREATE TABLE api_key (
      id uuid PRIMARY KEY,
      officer_id uuid NOT NULL REFERENCES officer(id) ON DELETE CASCADE,
      key_hash text NOT NULL,
      hint text NOT NULL,
      label text NOT NULL,
      created_at timestamptz NOT NULL,
      revoked_at timestamptz)`);
    await q.query(`CREATE UNIQUE INDEX api_key_hash ON api_key (key_hash)`);
    await q.query(`CREATE INDEX api_key_officer ON api_key (officer_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE api_key`);
    await q.query(`DROP TABLE officer`);
  }
}
