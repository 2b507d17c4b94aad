import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import { ApiKeyEntity } from '../entities/api-key.entity';
import { OfficerEntity, type OfficerRole } from '../entities/officer.entity';

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/** A new key: `pm_` + 32 random bytes, base64url. */
export function generateApiKey(): string {
  return `pm_${randomBytes(32).toString('base64url')}`;
}

export async function createOfficer(m: EntityManager, name: string, role: OfficerRole): Promise<OfficerEntity> {
  const officer = Object.assign(new OfficerEntity(), { id: randomUUID(), name, role, createdAt: new Date() });
  await m.insert(OfficerEntity, officer);
  return officer;
}

/** Stores the digest of `key` (generated when absent) for an officer and returns the key in clear, once. */
export async function issueApiKey(
  m: EntityManager,
  officerId: string,
  label: string,
  key: string = generateApiKey(),
): Promise<{ key: string; record: ApiKeyEntity }> {
  const record = Object.assign(new ApiKeyEntity(), {
    id: randomUUID(),
    officerId,
    keyHash: hashApiKey(key),
    hint: key.slice(0, 6),
    label,
    createdAt: new Date(),
    revokedAt: null,
  });
  await m.insert(ApiKeyEntity, record);
  return { key, record };
}

/** Creates an officer with a first key, in one transaction. */
export async function createOfficerWithKey(dataSource: DataSource, name: string, role: OfficerRole): Promise<{ officer: OfficerEntity; key: string }> {
  return dataSource.transaction(async (m) => {
    const officer = await createOfficer(m, name, role);
    const { key } = await issueApiKey(m, officer.id, 'first key');
    return { officer, key };
  });
}

/**
 * Makes sure an admin holds `key` (ADMIN_API_KEY at start). A key revoked through the API stays revoked:
 * the result says so, and the caller warns.
 */
export async function ensureAdminKey(dataSource: DataSource, key: string): Promise<'created' | 'present' | 'revoked'> {
  return dataSource.transaction(async (m) => {
    await m.query('SELECT pg_advisory_xact_lock($1)', [4_242_002]);
    const existing = await m.findOneBy(ApiKeyEntity, { keyHash: hashApiKey(key) });
    if (existing) return existing.revokedAt ? 'revoked' : 'present';
    const admin = await createOfficer(m, 'Administrator (ADMIN_API_KEY)', 'admin');
    await issueApiKey(m, admin.id, 'ADMIN_API_KEY', key);
    return 'created';
  });
}
