import { Module, type DynamicModule } from '@nestjs/common';
import { AuditModule } from './audit/audit.module';
import { AuthModule } from './auth/auth.module';
import { BatchModule } from './batch/batch.module';
import { CatalogModule } from './catalog/catalog.module';
import { CatalogAdminModule } from './catalog-admin/catalog-admin.module';
import { ConfigModule } from './config/config.module';
import type { Environment } from './config/environment';
import { DatabaseModule } from './database/database.module';
import { DepartmentsModule } from './departments/departments.module';
import { DocumentsModule } from './documents/documents.module';
import { EvaluationsModule } from './evaluations/evaluations.module';
import { HealthModule } from './health/health.module';
import { MatchModule } from './match/match.module';
import { MeasuresModule } from './measures/measures.module';
import { OfficersModule } from './officers/officers.module';
import { RetentionModule } from './retention/retention.module';
import { WorkersModule } from './workers/workers.module';
import { ScreeningsModule } from './screenings/screenings.module';
import { SessionModule } from './session/session.module';
import { TaxonomyModule } from './taxonomy/taxonomy.module';

@Module({})
export class AppModule {
  static forRoot(overrides: Partial<Record<keyof Environment, unknown>> = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(overrides),
        DatabaseModule,
        CatalogModule,
        AuditModule,
        RetentionModule,
        WorkersModule,
        AuthModule,
        HealthModule,
        MeasuresModule,
        DepartmentsModule,
        DocumentsModule,
        TaxonomyModule,
        BatchModule,
        MatchModule,
        EvaluationsModule,
        OfficersModule,
        SessionModule,
        ScreeningsModule,
        CatalogAdminModule,
      ],
    };
  }
}
