import { Injectable, NotFoundException } from '@nestjs/common';
import { OfficerRepository, type OfficerRole } from '@matcher/persistence';
import type { CreatedOfficer, IssuedKey, OfficerSummary } from '@matcher/contracts';
import { iso } from '../common/iso';

@Injectable()
export class OfficersService {
  constructor(private readonly repository: OfficerRepository) {}

  async list(): Promise<OfficerSummary[]> {
    const officers = await this.repository.officers();
    const keys = await this.repository.keys();
    return officers.map((o) => ({
      ...o,
      createdAt: iso(o.createdAt),
      keys: keys
        .filter((k) => k.officerId === o.id)
        .map(({ id, hint, label, createdAt, revokedAt }) => ({ id, hint, label, createdAt: iso(createdAt), revokedAt: iso(revokedAt) })),
    }));
  }

  async create(name: string, role: OfficerRole): Promise<CreatedOfficer> {
    const { officer, key } = await this.repository.createWithKey(name, role);
    return { officer: { ...officer, createdAt: iso(officer.createdAt) }, key };
  }

  async issueKey(officerId: string, label: string): Promise<IssuedKey> {
    const officer = await this.repository.officer(officerId);
    if (!officer) throw new NotFoundException(`No officer with id ${officerId}`);
    const { key, record } = await this.repository.issueKey(officerId, label);
    return { id: record.id, key };
  }

  async revokeKey(officerId: string, keyId: string): Promise<void> {
    if (!(await this.repository.revokeKey(officerId, keyId))) throw new NotFoundException(`No live key ${keyId} for officer ${officerId}`);
  }
}
