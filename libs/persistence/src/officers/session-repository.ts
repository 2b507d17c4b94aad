import type { DataSource } from 'typeorm';
import { findSession, openSession, revokeSession } from './sessions';

/** The web app's sessions (see sessions.ts): only the token's digest is stored. */
export class SessionRepository {
  constructor(private readonly dataSource: DataSource) {}

  open(keyId: string, ttlMs: number): Promise<{ token: string; expiresAt: Date }> {
    return openSession(this.dataSource, keyId, ttlMs);
  }

  /** The key id of a live session (not revoked, not expired), or null. */
  find(token: string): Promise<string | null> {
    return findSession(this.dataSource, token);
  }

  revoke(token: string): Promise<void> {
    return revokeSession(this.dataSource, token);
  }
}
