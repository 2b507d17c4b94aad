import { stripWhitespace } from '../coverage/document-structure';

/** Consecutive characters two quotes must share to be the same text (a clause, not a common phrase). */
export const OVERLAP_CHARACTERS = 12;

/** Whitespace removed, one quote contains the other or they share at least OVERLAP_CHARACTERS consecutive characters. */
export function quotesOverlap(a: string, b: string): boolean {
  const x = stripWhitespace(a);
  const y = stripWhitespace(b);
  if (!x || !y) return false;
  if (x.includes(y) || y.includes(x)) return true;
  const [short, long] = x.length <= y.length ? [x, y] : [y, x];
  for (let i = 0; i + OVERLAP_CHARACTERS <= short.length; i++) if (long.includes(short.slice(i, i + OVERLAP_CHARACTERS))) return true;
  return false;
}
