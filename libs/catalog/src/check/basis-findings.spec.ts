import { aRule, any, leaf } from '../../../../test/factories/rule.factory';
import { basisFindings } from './basis-findings';
import { crossDocumentFindings, sameSentencePairs } from './cross-document-findings';

const TEXT = `一、测试

（一）支持智能制造
鼓励工业企业实施智能化改造诊断，对诊断费用给予一定奖励。区经委提供对接服务。
`;
const QUOTE = '鼓励工业企业实施智能化改造诊断，对诊断费用给予一定奖励。';

function measure(options: Parameters<typeof aRule>[0] = {}) {
  return aRule({
    quote: QUOTE,
    conditions: [leaf.hasAny('roles', ['industrial-enterprise'], 'industrial'), leaf.hasAny('plans', ['smart-transformation'], 'smart')],
    supportType: ['funding'],
    ...options,
  });
}

describe('basisFindings', () => {
  it('passes a measure whose every leaf and support type stands on words of its paragraph', () => {
    const rule = measure({ basis: { conditions: { industrial: '工业企业', smart: '实施智能化改造诊断' }, supportTypes: { funding: '给予一定奖励' } } });
    rule.event.params.departments = [{ name: '区经委', source: 'inferred', basis: '工业和信息化' }];
    expect(basisFindings(rule, TEXT)).toEqual([]);
  });

  it('names each leaf without a phrase, each type without instrument words, and an inferred department without a basis', () => {
    expect(basisFindings(measure(), TEXT)).toEqual([
      'condition industrial: no basis phrase (basis.conditions["industrial"]: the words of the text it encodes)',
      'condition smart: no basis phrase (basis.conditions["smart"]: the words of the text it encodes)',
      'support type funding: no instrument words (basis.supportTypes.funding)',
      'department 区商务委: an inferred department states its basis (the function it is published with)',
    ]);
  });

  it('refuses a phrase that is not in the paragraph (whitespace aside), and instrument words without a word of the type', () => {
    const rule = measure({
      basis: { conditions: { industrial: '软件企业', smart: '实施 智能化\n改造诊断' }, supportTypes: { funding: '诊断费用' } },
    });
    expect(basisFindings(rule, TEXT)).toEqual([
      "condition industrial: basis phrase 「软件企业」 is not in the quote's paragraph or section",
      expect.stringMatching(/^support type funding: 「诊断费用」 has no instrument word of the type/),
      'department 区商务委: an inferred department states its basis (the function it is published with)',
    ]);
  });

  it('names basis keys that are no leaf or no support type of the entry', () => {
    const rule = measure({
      basis: {
        conditions: { industrial: '工业企业', smart: '实施智能化改造诊断', gone: '工业企业' },
        supportTypes: { funding: '给予一定奖励', space: '空间' },
      },
    });
    expect(basisFindings(rule, TEXT)).toEqual(
      expect.arrayContaining([
        'basis.conditions names gone, which is no leaf condition of the rule',
        'basis.supportTypes names space, which is not a support type of the entry',
      ]),
    );
  });

  it('asks nothing of a priority without a basis, but checks what a priority carries', () => {
    expect(basisFindings(measure({ kind: 'priority' }), TEXT)).toEqual([]);
    expect(basisFindings(measure({ kind: 'priority', basis: { conditions: { smart: '数字化转型' } } }), TEXT)).toEqual([
      "condition smart: basis phrase 「数字化转型」 is not in the quote's paragraph or section",
    ]);
  });

  it('reaches leaves inside any blocks, and never asks a basis of the district leaf', () => {
    const rule = aRule({ quote: QUOTE, supportType: ['other'], conditions: [any('who', leaf.hasAny('roles', ['industrial-enterprise'], 'industrial'))] });
    rule.event.params.departments = [{ name: '区经委', source: 'document' }];
    expect(basisFindings(rule, TEXT)).toEqual(['condition industrial: no basis phrase (basis.conditions["industrial"]: the words of the text it encodes)']);
  });
});

describe('crossDocumentFindings', () => {
  const a = aRule({ id: 'doc-a-joint', quote: '支持企业联合开展关键核心技术攻关。', documentId: 'doc-a', kind: 'measure' });
  const b = aRule({ id: 'doc-b-joint', quote: '支持企业联合开展关键核心技术攻关', documentId: 'doc-b', kind: 'priority' });
  const unrelated = aRule({ id: 'doc-b-other', quote: '建设人才公寓，提供租金补贴。', documentId: 'doc-b' });

  it('pairs the same sentence in two documents, punctuation aside, and reports a difference in kind', () => {
    expect(sameSentencePairs([a, b, unrelated]).map((p) => [p.a.name, p.b.name])).toEqual([['doc-a-joint', 'doc-b-joint']]);
    expect(crossDocumentFindings([a, b, unrelated])).toEqual([
      expect.stringMatching(/^doc-a-joint and doc-b-joint quote the same sentence but differ \(kind measure \/ priority\)/),
    ]);
  });

  it('reports a difference in conditions beyond the district, and accepts a written reason on either entry', () => {
    const narrower = aRule({ id: 'doc-b-joint', quote: b.event.params.source.quote, documentId: 'doc-b', conditions: [leaf.sectors(['ai'])] });
    expect(crossDocumentFindings([a, narrower])).toEqual([expect.stringContaining('(conditions beyond the district)')]);
    narrower.event.params.crossDocument = [{ measureId: 'doc-a-joint', reason: '本文件限定人工智能领域' }];
    expect(crossDocumentFindings([a, narrower])).toEqual([]);
  });

  it('agrees with a pair that reads alike, and flags a reason naming an entry the catalog lacks', () => {
    const same = aRule({ id: 'doc-b-joint', quote: a.event.params.source.quote, documentId: 'doc-b', kind: 'measure' });
    expect(crossDocumentFindings([a, same])).toEqual([]);
    same.event.params.crossDocument = [{ measureId: 'doc-c-gone', reason: '—' }];
    expect(crossDocumentFindings([a, same])).toEqual(['doc-b-joint: crossDocument names doc-c-gone, which is not in the catalog']);
  });
});
