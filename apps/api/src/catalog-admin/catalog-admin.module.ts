import { Module } from '@nestjs/common';
import { CatalogAdminController } from './catalog-admin.controller';
import { CatalogAdminService } from './catalog-admin.service';
import { CATALOG_CHECKER } from './catalog-admin.tokens';
import { rulesCheckChecker } from './draft-checker';

@Module({
  controllers: [CatalogAdminController],
  providers: [CatalogAdminService, { provide: CATALOG_CHECKER, useValue: rulesCheckChecker }],
  exports: [CatalogAdminService],
})
export class CatalogAdminModule {}
