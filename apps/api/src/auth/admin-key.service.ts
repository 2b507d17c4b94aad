import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { OfficerRepository } from '@matcher/persistence';
import { Environment } from '../config/environment';

/** ADMIN_API_KEY at start ensures an admin with that key exists: first set-up and automation. */
@Injectable()
export class AdminKeyService implements OnApplicationBootstrap {
  constructor(
    private readonly officers: OfficerRepository,
    private readonly env: Environment,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.env.ADMIN_API_KEY) return;
    const state = await this.officers.ensureAdminKey(this.env.ADMIN_API_KEY);
    if (state === 'revoked') new Logger('Auth').warn('ADMIN_API_KEY is set but that key was revoked; it stays revoked');
    if (state === 'created') new Logger('Auth').log('admin key from ADMIN_API_KEY registered');
  }
}
