import { quotesOverlap } from './quote-overlap';

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
