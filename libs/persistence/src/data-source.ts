import { DataSource, type DataSourceOptions } from 'typeorm';
import { CatalogStateEntity } from './entities/catalog-state.entity';
import { DepartmentEntity } from './entities/department.entity';
import { DistrictEntity } from './entities/district.entity';
import { EvaluationEntity } from './entities/evaluation.entity';
import { MeasureDepartmentEntity } from './entities/measure-department.entity';
import { MeasureEntity } from './entities/measure.entity';
import { PolicyDocumentEntity } from './entities/policy-document.entity';
import { InitialSchema1763740800000 } from './migrations/1763740800000-initial-schema';
import { OfficersAndKeys1763827200000 } from './migrations/1763827200000-officers-and-keys';
import { ApiKeyEntity } from './entities/api-key.entity';
import { OfficerEntity } from './entities/officer.entity';
import { Screenings1763913600000 } from './migrations/1763913600000-screenings';
import { Reliability1764201600000 } from './migrations/1764201600000-reliability';
import { QueryErrorLogger } from './query-logger';
import { RulesetVersions1764316800000 } from './migrations/1764316800000-ruleset-versions';
import { RulesetActivationEntity, RulesetDraftEditEntity, RulesetVersionEntity } from './entities/ruleset-version.entity';
import { DraftEdits1764806400000 } from './migrations/1764806400000-draft-edits';
import { MinimalAudit1764835200000 } from './migrations/1764835200000-minimal-audit';
import { ProspectCells1764892800000 } from './migrations/1764892800000-prospect-cells';

export const ENTITIES = [
  DistrictEntity,
  DepartmentEntity,
  PolicyDocumentEntity,
  MeasureEntity,
  MeasureDepartmentEntity,
  CatalogStateEntity,
  EvaluationEntity,
  OfficerEntity,
  ApiKeyEntity,
  RulesetVersionEntity,
  RulesetActivationEntity,
  RulesetDraftEditEntity,
];
export const MIGRATIONS = [
  InitialSchema1763740800000,
  OfficersAndKeys1763827200000,
  Screenings1763913600000,
  Reliability1764201600000,
  RulesetVersions1764316800000,
  DraftEdits1764806400000,
  MinimalAudit1764835200000,
  ProspectCells1764892800000,
];

/** The one TypeORM configuration, shared by the service, the CLI scripts and the tests. */
export function dataSourceOptions(url: string): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    synchronize: false,
    migrationsRun: false,
    migrationsTransactionMode: 'each',
    // Errors only, and never their parameters (profiles, names): see QueryErrorLogger.
    logging: ['error', 'warn'],
    logger: new QueryErrorLogger(),
    extra: { max: 10, connectionTimeoutMillis: 5000 },
  };
}

export function createDataSource(url: string): DataSource {
  return new DataSource(dataSourceOptions(url));
}
