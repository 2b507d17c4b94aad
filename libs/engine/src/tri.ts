/** Kleene three-valued logic: a fact the profile leaves out is unknown, never "no". */
export const FALSE = 0;
export const TRUE = 1;
export const UNKNOWN = 2;
export type Tri = typeof FALSE | typeof TRUE | typeof UNKNOWN;
