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

/**
 * Which of many quotes overlap a given one, as quotesOverlap decides it, without comparing every pair: the
 * quotes' 12-character windows are indexed once, quotes shorter than a window by their text, and a short
 * quote is looked up in all of them joined. A lookup costs about the length of the quote looked up.
 */
export class QuoteIndex<T> {
  private readonly stripped: string[];
  /** Window → indices of the quotes (of at least OVERLAP_CHARACTERS) that contain it, ascending. */
  private readonly windows = new Map<string, number[]>();
  /** Quote text → indices of the quotes shorter than a window. */
  private readonly shortQuotes = new Map<string, number[]>();
  private readonly shortLengths = new Set<number>();
  /** All quotes joined by NUL, with each quote's start, for a short quote's containment. */
  private readonly joined: string;
  private readonly starts: number[] = [];

  constructor(
    private readonly items: readonly T[],
    quoteOf: (item: T) => unknown,
  ) {
    this.stripped = items.map((item) => {
      const quote = quoteOf(item);
      return typeof quote === 'string' ? stripWhitespace(quote) : '';
    });
    let at = 0;
    this.stripped.forEach((q, i) => {
      this.starts.push(at);
      at += q.length + 1;
      if (!q) return;
      if (q.length < OVERLAP_CHARACTERS) {
        append(this.shortQuotes, q, i);
        this.shortLengths.add(q.length);
        return;
      }
      for (let k = 0; k + OVERLAP_CHARACTERS <= q.length; k++) append(this.windows, q.slice(k, k + OVERLAP_CHARACTERS), i);
    });
    this.joined = this.stripped.join('\u0000');
  }

  /** The items whose quote overlaps `quote`, in their order. */
  overlapping(quote: string): T[] {
    const x = stripWhitespace(quote);
    if (!x) return [];
    const hits = new Set<number>();
    if (x.length >= OVERLAP_CHARACTERS) {
      // Both at least a window long: containment implies a shared window.
      for (let k = 0; k + OVERLAP_CHARACTERS <= x.length; k++) for (const i of this.windows.get(x.slice(k, k + OVERLAP_CHARACTERS)) ?? []) hits.add(i);
    } else {
      // Shorter than a window: the quotes that contain it.
      for (let at = this.joined.indexOf(x); at !== -1;) {
        const i = this.itemAt(at);
        if (this.stripped[i].includes(x)) hits.add(i);
        at = i + 1 < this.starts.length ? this.joined.indexOf(x, this.starts[i + 1]) : -1;
      }
    }
    // Quotes shorter than a window that it contains.
    for (const length of this.shortLengths)
      for (let k = 0; k + length <= x.length; k++) for (const i of this.shortQuotes.get(x.slice(k, k + length)) ?? []) hits.add(i);
    return [...hits].sort((a, b) => a - b).map((i) => this.items[i]);
  }

  /** The quote a position of `joined` lies in. */
  private itemAt(position: number): number {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= position) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }
}

function append(map: Map<string, number[]>, key: string, index: number): void {
  const list = map.get(key);
  if (!list) map.set(key, [index]);
  else if (list[list.length - 1] !== index) list.push(index);
}
