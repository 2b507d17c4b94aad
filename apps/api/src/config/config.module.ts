import { Global, Module, type DynamicModule } from '@nestjs/common';
import { Environment, validateEnvironment } from './environment';

/** Provides the validated `Environment`; tests pass overrides instead of touching process.env. */
@Global()
@Module({})
export class ConfigModule {
  static forRoot(overrides: Partial<Record<keyof Environment, unknown>> = {}): DynamicModule {
    const env = validateEnvironment({ ...process.env, ...overrides });
    return { module: ConfigModule, providers: [{ provide: Environment, useValue: env }], exports: [Environment] };
  }
}
