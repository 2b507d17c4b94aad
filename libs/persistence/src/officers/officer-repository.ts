import { DataSource, IsNull } from 'typeorm';
import { ApiKeyEntity } from '../entities/api-key.entity';
import { OfficerEntity, type OfficerRole } from '../entities/officer.entity';
import { createOfficerWithKey, ensureAdminKey, issueApiKey } from './officers';

/** Officers and their API keys (only the keys' digests are stored). */
export class OfficerRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Every officer, oldest first. */
  officers(): Promise<OfficerEntity[]> {
    return this.dataSource.getRepository(OfficerEntity).find({ order: { createdAt: 'ASC' } });
  }

  officer(id: string): Promise<OfficerEntity | null> {
    return this.dataSource.getRepository(OfficerEntity).findOneBy({ id });
  }

  /** Every key, revoked or not, oldest first. */
  keys(): Promise<ApiKeyEntity[]> {
    return this.dataSource.getRepository(ApiKeyEntity).find({ order: { createdAt: 'ASC' } });
  }

  key(id: string): Promise<ApiKeyEntity | null> {
    return this.dataSource.getRepository(ApiKeyEntity).findOneBy({ id });
  }

  keyByHash(keyHash: string): Promise<ApiKeyEntity | null> {
    return this.dataSource.getRepository(ApiKeyEntity).findOneBy({ keyHash });
  }

  /** Creates an officer with a first key, in one transaction; the key is returned in clear, once. */
  createWithKey(name: string, role: OfficerRole): Promise<{ officer: OfficerEntity; key: string }> {
    return createOfficerWithKey(this.dataSource, name, role);
  }

  /** A new key for an officer, returned in clear, once. */
  issueKey(officerId: string, label: string): Promise<{ key: string; record: ApiKeyEntity }> {
    return issueApiKey(this.dataSource.manager, officerId, label);
  }

  /** Revokes an officer's live key; false when there is no such live key. */
  async revokeKey(officerId: string, keyId: string): Promise<boolean> {
    const result = await this.dataSource.getRepository(ApiKeyEntity).update({ id: keyId, officerId, revokedAt: IsNull() }, { revokedAt: new Date() });
    return Boolean(result.affected);
  }

  /** Makes sure an admin holds `key`; a key revoked through the API stays revoked. */
  ensureAdminKey(key: string): Promise<'created' | 'present' | 'revoked'> {
    return ensureAdminKey(this.dataSource, key);
  }
}
