/**
 * The catalog's record types, from modules that import nothing of Node: the API contract
 * (`@matcher/contracts`) re-exports them, and the web app type-checks against them without Node's types.
 */
export type * from './measures/rule.types';
export type * from './measures/measure.types';
export type * from './profile/profile.types';
export type * from './taxonomy/taxonomy.types';
export type * from './drafts/draft-edit.types';
