import { Module } from '@nestjs/common';
import { CatalogAdminModule } from '../catalog-admin/catalog-admin.module';
import { MatchController } from './match.controller';
import { MatchService } from './match.service';

@Module({ imports: [CatalogAdminModule], controllers: [MatchController], providers: [MatchService] })
export class MatchModule {}
