import { Injectable, NotFoundException } from '@nestjs/common';
import { DataSource, IsNull } from 'typeorm';
import { ApiKeyEntity, createOfficerWithKey, issueApiKey, OfficerEntity, type OfficerRole } from '@matcher/persistence';

export interface OfficerView {
  id: string;
  name: string;
  role: OfficerRole;
  createdAt: Date;
  keys: { id: string; hint: string; label: string; createdAt: Date; revokedAt: Date | null }[];
}

@Injectable()
export class OfficersService {
  constructor(private readonly dataSource: DataSource) {}

  async list(): Promise<OfficerView[]> {
    const officers = await this.dataSource.getRepository(OfficerEntity).find({ order: { createdAt: 'ASC' } });
    const keys = await this.dataSource.getRepository(ApiKeyEntity).find({ order: { createdAt: 'ASC' } });
    return officers.map((o) => ({
      ...o,
      keys: keys.filter((k) => k.officerId === o.id).map(({ id, hint, label, createdAt, revokedAt }) => ({ id, hint, label, createdAt, revokedAt })),
    }));
  }

  async create(name: string, role: OfficerRole): Promise<{ officer: OfficerEntity; key: string }> {
    return createOfficerWithKey(this.dataSource, name, role);
  }

  async issueKey(officerId: string, label: string): Promise<{ id: string; key: string }> {
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
