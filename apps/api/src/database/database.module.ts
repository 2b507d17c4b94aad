import { Global, Inject, Logger, Module, type OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { openDatabase, type OpenDatabase } from '@matcher/persistence';
import { Environment } from '../config/environment';

export const OPEN_DATABASE = Symbol('OPEN_DATABASE');

/**
 * Opens PostgreSQL (DATABASE_URL) or the embedded PGlite (DATA_DIR) and runs pending migrations before
 * anything else starts. Closed last on shutdown, after the audit queue has flushed.
 */
@Global()
@Module({
  providers: [
    {
      provide: OPEN_DATABASE,
      inject: [Environment],
      useFactory: async (env: Environment): Promise<OpenDatabase> => {
        const db = await openDatabase({ databaseUrl: env.DATABASE_URL, dataDir: env.DATA_DIR });
        new Logger('Database').log(db.embedded ? `embedded PostgreSQL (PGlite) in ${env.DATA_DIR}` : 'PostgreSQL at DATABASE_URL');
        return db;
      },
    },
    { provide: DataSource, inject: [OPEN_DATABASE], useFactory: (db: OpenDatabase) => db.dataSource },
  ],
  exports: [DataSource, OPEN_DATABASE],
})
export class DatabaseModule implements OnApplicationShutdown {
  constructor(@Inject(OPEN_DATABASE) private readonly db: OpenDatabase) {}

  async onApplicationShutdown(): Promise<void> {
    await this.db.close();
  }
}
