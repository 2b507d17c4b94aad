import { Global, Inject, Logger, Module, type OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import {
  EvaluationRepository,
  HealthRepository,
  OfficerRepository,
  openDatabase,
  RulesetRepository,
  ScreeningRepository,
  ScreeningResultsRepository,
  SessionRepository,
  type OpenDatabase,
} from '@matcher/persistence';
import { Environment } from '../config/environment';

export const OPEN_DATABASE = Symbol('OPEN_DATABASE');

/** The repositories of libs/persistence: the only code that talks SQL; the rest of the API injects them. */
const REPOSITORIES = [EvaluationRepository, HealthRepository, OfficerRepository, ScreeningRepository, SessionRepository] as const;

/**
 * Opens PostgreSQL (DATABASE_URL) or the embedded PGlite (DATA_DIR) and runs pending migrations before
 * anything else starts, and provides the repositories. Closed last on shutdown, after the audit queue has flushed.
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
    ...REPOSITORIES.map((repository) => ({ provide: repository, inject: [DataSource], useFactory: (dataSource: DataSource) => new repository(dataSource) })),
    {
      provide: ScreeningResultsRepository,
      inject: [OPEN_DATABASE],
      // Exports stream through a cursor on PostgreSQL; the embedded PGlite is one session a long transaction would block.
      useFactory: (db: OpenDatabase) => new ScreeningResultsRepository(db.dataSource, { cursors: !db.embedded }),
    },
    {
      provide: RulesetRepository,
      inject: [DataSource, Environment],
      // Instances sharing one PostgreSQL hear of a switch of the live version by NOTIFY; the embedded one is this process alone.
      useFactory: (dataSource: DataSource, env: Environment) => new RulesetRepository(dataSource, env.DATABASE_URL !== undefined),
    },
  ],
  exports: [DataSource, OPEN_DATABASE, RulesetRepository, ScreeningResultsRepository, ...REPOSITORIES],
})
export class DatabaseModule implements OnApplicationShutdown {
  constructor(@Inject(OPEN_DATABASE) private readonly db: OpenDatabase) {}

  async onApplicationShutdown(): Promise<void> {
    await this.db.close();
  }
}
