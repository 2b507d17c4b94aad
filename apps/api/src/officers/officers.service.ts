import { Injectable, NotFoundException } from '@nestjs/common';
import { OfficerRepository, type OfficerEntity, type OfficerRole } from '@matcher/persistence';

export interface OfficerView {
  id: string;
  name: string;
  role: OfficerRole;
  createdAt: Date;
  keys: { id: string; hint: string; label: string; createdAt: Date; revokedAt: Date | null }[];
}

@Injectable()
export class OfficersService {
  constructor(private readonly repository: OfficerRepository) {}

  async list(): Promise<OfficerView[]> {
    const officers = await this.repository.officers();
    const keys = await this.repository.keys();
    return officers.map((o) => ({
      ...o,
      keys: keys.filter((k) => k.officerId === o.id).map(({ id, hint, label, createdAt, revokedAt }) => ({ id, hint, label, createdAt, revokedAt })),
    }));
  }

  async create(name: string, role: OfficerRole): Promise<{ officer: OfficerEntity; key: string }> {
    return this.repository.createWithKey(name, role);
  }

  async issueKey(officerId: string, label: string): Promise<{ id: string; key: string }> {
    const officer = await this.repository.officer(officerId);
    if (!officer) throw new NotFoundException(`No officer with id ${officerId}`);
    const { key, record } = await this.repository.issueKey(officerId, label);
    return { id: record.id, key };
  }

  async revokeKey(officerId: string, keyId: string): Promise<void> {
    if (!(await this.repository.revokeKey(officerId, keyId))) throw new NotFoundException(`No live key ${keyId} for officer ${officerId}`);
  }
}
