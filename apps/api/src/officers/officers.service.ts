import { Injectable, NotFoundException } from '@nestjs/common';
import { DataSource, IsNull } from 'typeorm';
import { ApiKeyEntity, createOfficerWithKey, issueApiKey, OfficerEntity, type OfficerRole } from '@matcher/persistence';
import type { CreatedOfficer, IssuedKey, OfficerSummary } from '@matcher/contracts';
import { iso } from '../common/iso';

@Injectable()
export class OfficersService {
  constructor(private readonly dataSource: DataSource) {}

  async list(): Promise<OfficerSummary[]> {
    const officers = await this.dataSource.getRepository(OfficerEntity).find({ order: { createdAt: 'ASC' } });
    const keys = await this.dataSource.getRepository(ApiKeyEntity).find({ order: { createdAt: 'ASC' } });
    return officers.map((o) => ({
      ...o,
      createdAt: iso(o.createdAt),
      keys: keys
        .filter((k) => k.officerId === o.id)
        .map(({ id, hint, label, createdAt, revokedAt }) => ({ id, hint, label, createdAt: iso(createdAt), revokedAt: iso(revokedAt) })),
    }));
  }

  async create(name: string, role: OfficerRole): Promise<CreatedOfficer> {
    const { officer, key } = await createOfficerWithKey(this.dataSource, name, role);
    return { officer: { ...officer, createdAt: iso(officer.createdAt) }, key };
  }

  async issueKey(officerId: string, label: string): Promise<IssuedKey> {
    const officer = await this.dataSource.getRepository(OfficerEntity).findOneBy({ id: officerId });
    if (!officer) throw new NotFoundException(`No officer with id ${officerId}`);
    const { key, record } = await issueApiKey(this.dataSource.manager, officerId, label);
    return { id: record.id, key };
  }

  async revokeKey(officerId: string, keyId: string): Promise<void> {
    const result = await this.dataSource.getRepository(ApiKeyEntity).update({ id: keyId, officerId, revokedAt: IsNull() }, { revokedAt: new Date() });
    if (!result.affected) throw new NotFoundException(`No live key ${keyId} for officer ${officerId}`);
  }
}
