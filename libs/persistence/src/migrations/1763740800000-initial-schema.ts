import type { MigrationInterface, QueryRunner } from 'typeorm';

export class InitialSchema1763740800000 implements MigrationInterface {
  name = 'InitialSchema1763740800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE district (code text PRIMARY KEY, name text NOT NULL, name_en text NOT NULL)`);
    await q.query(`CREATE TABLE department (
      id text PRIMARY KEY,
      district text NOT NULL REFERENCES district(code),
      name text NOT NULL,
      full_name text NOT NULL,
      name_en text NOT NULL,
      CONSTRAINT department_district_name UNIQUE (district, name))`);
    await q.query(`CREATE TABLE policy_document (
      id text PRIMARY KEY,
      district text NOT NULL REFERENCES district(code),
      title text NOT NULL, title_en text NOT NULL,
      issuer text NOT NULL, issuer_en text NOT NULL,
      issued_on date, reference text,
      term text NOT NULL, term_en text NOT NULL,
      valid_from date, valid_to date, validity_basis text NOT NULL,
      full_text text NOT NULL)`);
    await q.query(`CREATE TABLE measure (
      id text PRIMARY KEY,
      district text NOT NULL REFERENCES district(code),
      document_id text NOT NULL REFERENCES policy_document(id),
      position integer NOT NULL,
      title text NOT NULL, title_en text NOT NULL,
      support_type text[] NOT NULL,
      valid_from date, valid_to date,
      specificity text NOT NULL,
      sectors text[] NOT NULL,
      search_text text NOT NULL,
      record jsonb NOT NULL,
      rule jsonb NOT NULL)`);
    await q.query(`CREATE INDEX measure_district ON measure (district)`);
    await q.query(`CREATE TABLE measure_department (
      measure_id text NOT NULL REFERENCES measure(id) ON DELETE CASCADE,
      department_id text NOT NULL REFERENCES department(id),
      source text NOT NULL CHECK (source IN ('document', 'inferred')),
      position integer NOT NULL,
      PRIMARY KEY (measure_id, department_id))`);
    await q.query(`CREATE INDEX measure_department_department ON measure_department (department_id)`);
    await q.query(`CREATE TABLE catalog_state (
      key text PRIMARY KEY,
      ruleset_version text NOT NULL,
      measure_count integer NOT NULL,
      updated_at timestamptz NOT NULL DEFAULT now())`);
    await q.query(`CREATE TABLE evaluation (
      id uuid PRIMARY KEY,
      created_at timestamptz NOT NULL,
      kind text NOT NULL,
      ruleset_version text NOT NULL,
      request jsonb NOT NULL,
      summary jsonb NOT NULL)`);
    await q.query(`CREATE INDEX evaluation_created_at ON evaluation (created_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['evaluation', 'catalog_state', 'measure_department', 'measure', 'policy_document', 'department', 'district']) {
      await q.query(`DROP TABLE ${t}`);
    }
  }
}
