/** Injection token of the CatalogChecker drafts are checked with. */
export const CATALOG_CHECKER = Symbol('CATALOG_CHECKER');
