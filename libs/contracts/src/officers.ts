/*
 * Officers, their keys and sessions, recorded evaluations and health. Timestamps are ISO 8601 strings,
 * as the JSON carries them.
 */

export type OfficerRole = 'officer' | 'admin';

export interface Officer {
  id: string;
  name: string;
  role: OfficerRole;
}

/** GET /officers/me and POST /session: the officer and the key the request came with. */
export interface SignedInOfficer extends Officer {
  keyId: string;
}

/** POST /session. */
export interface SignInRequest {
  apiKey: string;
}

/** A key as an administrator sees it: never the key, only its first characters. */
export interface ApiKeySummary {
  id: string;
  hint: string;
  label: string;
  createdAt: string;
  revokedAt: string | null;
}

/** GET /officers (an array). */
export interface OfficerSummary extends Officer {
  createdAt: string;
  keys: ApiKeySummary[];
}

/** POST /officers. */
export interface CreateOfficerRequest {
  name: string;
  role?: OfficerRole;
}

/** POST /officers: the officer and its first key, shown this once. */
export interface CreatedOfficer {
  officer: Officer & { createdAt: string };
  key: string;
}

/** POST /officers/:id/keys. */
export interface CreateKeyRequest {
  label?: string;
}

/** POST /officers/:id/keys: the new key, shown this once. */
export interface IssuedKey {
  id: string;
  key: string;
}

/** GET /evaluations/:id: one recorded evaluation. */
export interface EvaluationRecord {
  id: string;
  createdAt: string;
  kind: string;
  rulesetVersion: string;
  request: Record<string, unknown>;
  /** A summary of the answer (ids and counts), not the answer. */
  summary: Record<string, unknown>;
}

export interface AuditStats {
  queued: number;
  written: number;
  /** Records dropped because the queue was full (database unreachable for long): counted, never silent. */
  dropped: number;
  /** Records the database refused (bad data, e.g. a character PostgreSQL cannot store): counted and set aside. */
  rejected: number;
  /** `degraded` while writes fail or a record was refused in the last five minutes. */
  state: 'ok' | 'degraded';
  lastError: string | null;
}

/** GET /health. */
export interface HealthReport {
  /** `degraded` while the database is down or audit writes fail; the service still answers. */
  status: 'ok' | 'degraded';
  rulesetVersion: string;
  measures: number;
  database: 'up' | 'down';
  audit: AuditStats;
  /** How long records are kept (AUDIT_RETENTION_DAYS, SCREENING_RETENTION_DAYS): the web app's privacy note states them. */
  retention: { evaluationDays: number; screeningDays: number };
}

/** GET /health/ready (503 when not ready). */
export interface Readiness {
  status: 'ready' | 'not-ready';
  database: 'up' | 'down';
}
