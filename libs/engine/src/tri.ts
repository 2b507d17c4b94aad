/** Kleene three-valued logic: a fact the profile leaves out is unknown, never "no". */
export const FALSE = 0;
export const TRUE = 1;
export const UNKNOWN = 2;
export type Tri = typeof FALSE | typeof TRUE | typeof UNKNOWN;

/** Kleene `all` (stop FALSE, otherwise TRUE) or `any` (stop TRUE, otherwise FALSE): an UNKNOWN part leaves it open. */
export function block<T>(parts: ((x: T) => Tri)[], stop: Tri, otherwise: Tri): (x: T) => Tri {
  return (x) => {
    let out = otherwise;
    for (const f of parts) {
      const v = f(x);
      if (v === stop) return stop;
      if (v === UNKNOWN) out = UNKNOWN;
    }
    return out;
  };
}

export function negate<T>(f: (x: T) => Tri): (x: T) => Tri {
  return (x) => {
    const v = f(x);
    return v === UNKNOWN ? UNKNOWN : v === TRUE ? FALSE : TRUE;
  };
}
