import { Global, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { catalogFromContent, loadCatalogContent } from '@matcher/catalog';
import { RulesetRepository } from '@matcher/persistence';
import { Environment } from '../config/environment';
import { CATALOG } from './catalog.tokens';
import { LiveRuleset, type BaselineCatalog } from './live-ruleset.service';

export { CATALOG } from './catalog.tokens';

/**
 * The live ruleset: the shipped rules/ and seeds/ (CATALOG) are the baseline version, imported at first
 * start; the version live in the database is compiled once into memory, so matching never waits on it.
 */
@Global()
@Module({
  providers: [
    {
      provide: CATALOG,
      useFactory: (): BaselineCatalog => {
        const content = loadCatalogContent();
        return { ...catalogFromContent(content), content };
      },
    },
    {
      provide: LiveRuleset,
      inject: [RulesetRepository, CATALOG, Environment],
      useFactory: async (repository: RulesetRepository, baseline: BaselineCatalog, env: Environment): Promise<LiveRuleset> => {
        const live = new LiveRuleset(repository, baseline, env.DATABASE_URL);
        await live.start();
        return live;
      },
    },
  ],
  exports: [CATALOG, LiveRuleset],
})
export class CatalogModule implements OnApplicationShutdown {
  constructor(@Inject(LiveRuleset) private readonly live: LiveRuleset) {}

  async onApplicationShutdown(): Promise<void> {
    await this.live.stop();
  }
}
