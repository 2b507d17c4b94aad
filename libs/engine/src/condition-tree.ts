import { isLeaf, type Condition } from '@matcher/catalog';
import { FALSE, TRUE, UNKNOWN, type Tri } from './tri';

/** A rule's condition tree with its leaves numbered in depth-first order (the compiled rule's leaf indexes). */
export type Node = { leaf: number } | { all: Node[] } | { any: Node[] } | { not: Node };

export function nodeOf(c: Condition, next: { i: number } = { i: 0 }): Node {
  if (isLeaf(c)) return { leaf: next.i++ };
  if ('all' in c) return { all: c.all.map((x) => nodeOf(x, next)) };
  if ('any' in c) return { any: c.any.map((x) => nodeOf(x, next)) };
  return { not: nodeOf(c.not, next) };
}

/** A node's three-valued verdict from its leaves' states. */
export function valueOf(n: Node, states: ArrayLike<number>): Tri {
  if ('leaf' in n) return states[n.leaf] as Tri;
  if ('not' in n) {
    const v = valueOf(n.not, states);
    return v === UNKNOWN ? UNKNOWN : v === TRUE ? FALSE : TRUE;
  }
  const [stop, otherwise]: [Tri, Tri] = 'all' in n ? [FALSE, TRUE] : [TRUE, FALSE];
  let out: Tri = otherwise;
  for (const c of 'all' in n ? n.all : n.any) {
    const v = valueOf(c, states);
    if (v === stop) return stop;
    if (v === UNKNOWN) out = UNKNOWN;
  }
  return out;
}
