import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Catalog } from '@matcher/catalog';
import { seedCatalog } from '@matcher/persistence';
import { CATALOG } from './catalog.tokens';

/** Seeds the catalog tables at start when they are empty or hold another ruleset version. */
@Injectable()
export class CatalogSeedService implements OnApplicationBootstrap {
  private readonly logger = new Logger('Catalog');

  constructor(
    private readonly dataSource: DataSource,
    @Inject(CATALOG) private readonly catalog: Catalog,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const result = await seedCatalog(this.dataSource, this.catalog);
    const c = result.counts;
    this.logger.log(
      `ruleset ${result.rulesetVersion} ${result.seeded ? 'seeded' : 'already current'}: ${c.measures} measures, ${c.departments} departments, ${c.documents} documents`,
    );
  }
}
