import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Rulesets as versioned data: drafts and published versions with their whole content, exactly one live,
 * and who published or activated what, when. The catalog tables stay as the live version's mirror for SQL.
 */
export class RulesetVersions1764316800000 implements MigrationInterface {
  name = 'RulesetVersions1764316800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE ruleset_version (
      id uuid PRIMARY KEY,
      version text NOT NULL,
      status text NOT NULL CHECK (status IN ('draft', 'published')),
      live boolean NOT NULL DEFAULT false,
      origin text NOT NULL CHECK (origin IN ('baseline', 'bundle')),
      based_on text,
      content jsonb NOT NULL,
      bundle jsonb,
      findings jsonb NOT NULL DEFAULT '[]',
      measure_count integer NOT NULL,
      document_count integer NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      created_by text NOT NULL,
      published_at timestamptz,
      published_by text,
      CHECK (live = false OR status = 'published'))`);
    // A published version is addressed by its content hash; the same hash is never published twice.
    await q.query(`CREATE UNIQUE INDEX ruleset_version_published ON ruleset_version (version) WHERE status = 'published'`);
    await q.query(`CREATE UNIQUE INDEX ruleset_version_one_live ON ruleset_version (live) WHERE live`);
    await q.query(`CREATE TABLE ruleset_activation (
      id bigserial PRIMARY KEY,
      version text NOT NULL,
      previous_version text,
      action text NOT NULL CHECK (action IN ('baseline', 'publish', 'activate')),
      actor text NOT NULL,
      at timestamptz NOT NULL DEFAULT now())`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE ruleset_activation`);
    await q.query(`DROP TABLE ruleset_version`);
  }
}
