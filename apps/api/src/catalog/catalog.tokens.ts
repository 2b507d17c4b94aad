/** Injection token for the loaded `Catalog` (rules, measures, documents, departments). */
export const CATALOG = Symbol('CATALOG');
