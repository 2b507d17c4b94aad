import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { AppModule } from '../../apps/api/src/app.module';
import { configureApp, type HttpSetup } from '../../apps/api/src/app.setup';
import type { Backend } from './backends';

export const TEST_ADMIN_KEY = 'test-admin-key-0123456789abcdef';

export interface TestApp {
  app: INestApplication;
  url: string | undefined;
  close(): Promise<void>;
}

/** The real application (all modules, filters, pipes) on a fresh database of the given backend. */
export async function createTestApp(backend: Backend, overrides: Record<string, unknown> = {}, setup: HttpSetup = {}): Promise<TestApp> {
  const url = await backend.create();
  const moduleRef = await Test.createTestingModule({
    imports: [
      AppModule.forRoot({
        DATABASE_URL: url,
        DATA_DIR: 'memory://',
        LOG_LEVEL: 'silent',
        ADMIN_API_KEY: TEST_ADMIN_KEY,
        AUDIT_FLUSH_MS: 50,
        RATE_LIMIT_PER_MINUTE: 0,
        // Suites send many wrong keys on purpose; the throttle's own tests lower these.
        KEY_FAILURES_PER_CLIENT: 1_000_000,
        KEY_FAILURES_PER_PREFIX: 1_000_000,
        ...overrides,
      }),
    ],
  }).compile();
  const app = moduleRef.createNestApplication({ bodyParser: false, logger: ['error'] });
  configureApp(app, setup);
  await app.init();
  return {
    app,
    url,
    async close() {
      await app.close();
      await backend.drop(url);
    },
  };
}
