import fc from 'fast-check';
import { propertyRuns } from '../../../../test/support/property-runs';
import { QuoteIndex, quotesOverlap } from './quote-overlap';

describe('quotesOverlap', () => {
  it('holds when one quote contains the other, whitespace aside', () => {
    expect(quotesOverlap('吸引 行业服务机构', '积极吸引行业服务机构入驻')).toBe(true);
    expect(quotesOverlap('积极吸引行业服务机构入驻', '行业服务机构')).toBe(true);
  });

  it('holds when the quotes share twelve consecutive characters, and not eleven', () => {
    const shared = '甲乙丙丁戊己庚辛壬癸子丑';
    expect(quotesOverlap(`前文${shared}`, `${shared}后文`)).toBe(true);
    expect(quotesOverlap(`前文${shared.slice(1)}`, `${shared.slice(1)}后文`)).toBe(false);
  });

  it('does not hold for unrelated or empty quotes', () => {
    expect(quotesOverlap('支持企业上市', '鼓励设立海外研发中心')).toBe(false);
    expect(quotesOverlap('', '鼓励设立海外研发中心')).toBe(false);
  });
});

describe('QuoteIndex', () => {
  // A small alphabet makes shared windows, containment and short quotes all common.
  const quote = fc.oneof(fc.stringMatching(/^[甲乙丙 ]{0,6}$/), fc.stringMatching(/^[甲乙丙丁 ]{8,40}$/));

  it('finds exactly the quotes quotesOverlap pairs with, in their order', () => {
    fc.assert(
      fc.property(fc.array(quote, { maxLength: 25 }), fc.array(quote, { maxLength: 10 }), (quotes, probes) => {
        const index = new QuoteIndex(quotes, (q) => q);
        for (const probe of probes) {
          const expected = quotes.map((q, i) => [q, i] as const).filter(([q]) => quotesOverlap(q, probe));
          const items = quotes.map((_, i) => i);
          expect(new QuoteIndex(items, (i) => quotes[i]).overlapping(probe)).toEqual(expected.map(([, i]) => i));
          expect(index.overlapping(probe).length).toBe(expected.length);
        }
      }),
      { numRuns: propertyRuns(300) },
    );
  });

  it('answers thousands of lookups against thousands of long quotes at once (no pairwise comparison)', () => {
    /** Unrelated text per seed: each character a hash of (seed, position) over 5,000 CJK characters. */
    const text = (seed: number, length: number): string =>
      Array.from({ length }, (_, i) => {
        let h = Math.imul(seed + 1, 0x9e3779b1) ^ Math.imul(i + 1, 0x85ebca6b);
        h = Math.imul(h ^ (h >>> 15), 0xc2b2ae35);
        return String.fromCharCode(0x4e00 + (((h ^ (h >>> 13)) >>> 0) % 5000));
      }).join('');
    const index = new QuoteIndex(
      Array.from({ length: 1500 }, (_, i) => text(i, 300)),
      (q) => q,
    );
    const t0 = performance.now();
    let found = 0;
    for (let i = 0; i < 1500; i++) found += index.overlapping(text(i, 300)).length;
    expect(found).toBe(1500); // each finds itself, and nothing else shares 12 characters
    // Pairwise, 2.25 million comparisons of 300-character quotes took tens of seconds.
    expect(performance.now() - t0).toBeLessThan(5000);
  });
});
