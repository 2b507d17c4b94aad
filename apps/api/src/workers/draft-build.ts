import { catalogFromContent, type Catalog, type CatalogContent } from '@matcher/catalog';
import { diffCatalogs, type RulesetDiff } from '@matcher/engine';

/** The live version's catalog, built once per version in this thread (every draft is diffed against it). */
let baseCatalog: { version: string; catalog: Catalog } | undefined;

/** A draft's catalog version and its diff in words from the live version, or why it does not build. */
export function buildDraft(
  baseVersion: string,
  base: CatalogContent,
  content: CatalogContent,
): { version: string; diff: RulesetDiff } | { buildError: string } {
  let catalog: Catalog;
  try {
    catalog = catalogFromContent(content);
  } catch (e) {
    return { buildError: e instanceof Error ? e.message : String(e) };
  }
  if (baseCatalog?.version !== baseVersion) baseCatalog = { version: baseVersion, catalog: { ...catalogFromContent(base), version: baseVersion } };
  return { version: catalog.version, diff: diffCatalogs(baseCatalog.catalog, catalog) };
}
