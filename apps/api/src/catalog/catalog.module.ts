import { Global, Module } from '@nestjs/common';
import { loadCatalog, type Catalog } from '@matcher/catalog';
import { Ruleset } from '@matcher/engine';
import { CatalogSeedService } from './catalog-seed.service';
import { CATALOG } from './catalog.tokens';

export { CATALOG } from './catalog.tokens';

/** The catalog read from rules/ and seeds/, and its rules compiled once: matching never waits on the database. */
@Global()
@Module({
  providers: [
    { provide: CATALOG, useFactory: (): Catalog => loadCatalog() },
    { provide: Ruleset, inject: [CATALOG], useFactory: (catalog: Catalog) => new Ruleset(catalog) },
    CatalogSeedService,
  ],
  exports: [CATALOG, Ruleset],
})
export class CatalogModule {}
