import { Module } from '@nestjs/common';
import { CatalogAdminController } from './catalog-admin.controller';
import { CatalogAdminService } from './catalog-admin.service';
import { CATALOG_CHECKER } from './catalog-admin.tokens';
import { HeavyWorkPool } from '../workers/heavy-work.pool';
import type { CatalogChecker } from './draft-checker';

@Module({
  controllers: [CatalogAdminController],
  providers: [
    CatalogAdminService,
    // The checks run in the worker pool, with a deadline and a memory limit: a large draft cannot hold the service.
    {
      provide: CATALOG_CHECKER,
      inject: [HeavyWorkPool],
      useFactory:
        (pool: HeavyWorkPool): CatalogChecker =>
        (content) =>
          pool.draftFindings(content),
    },
  ],
  exports: [CatalogAdminService],
})
export class CatalogAdminModule {}
