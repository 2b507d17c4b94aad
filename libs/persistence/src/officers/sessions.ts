import { randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { hashApiKey } from './officers';

/**
 * The web app's sessions: a random token in the cookie, only its SHA-256 digest stored, tied to the key it was
 * opened with (revoking the key ends it), expiring, and revoked on sign-out.
 */
export async function openSession(dataSource: DataSource, keyId: string, ttlMs: number): Promise<{ token: string; expiresAt: Date }> {
  const token = `ms_${randomBytes(32).toString('base64url')}`;
  const expiresAt = new Date(Date.now() + ttlMs);
  await dataSource.query(`DELETE FROM officer_session WHERE expires_at < now() - interval '1 day'`);
  await dataSource.query(`INSERT INTO officer_session (token_hash, key_id, created_at, expires_at) VALUES ($1, $2, now(), $3)`, [
    hashApiKey(token),
    keyId,
    expiresAt,
  ]);
  return { token, expiresAt };
}

/** The key id of a live session (not revoked, not expired), or null. */
export async function findSession(dataSource: DataSource, token: string): Promise<string | null> {
  const [row] = await dataSource.query<{ key_id: string }[]>(
    `SELECT key_id FROM officer_session WHERE token_hash = $1 AND revoked_at IS NULL AND expires_at > now()`,
    [hashApiKey(token)],
  );
  return row?.key_id ?? null;
}

export async function revokeSession(dataSource: DataSource, token: string): Promise<void> {
  await dataSource.query(`UPDATE officer_session SET revoked_at = now() WHERE token_hash = $1 AND revoked_at IS NULL`, [hashApiKey(token)]);
}
