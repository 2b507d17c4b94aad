import { checkCoverage, formatCoverageTable } from './coverage';
import { extractHeadings, quoteContext, responsibilityParagraphs, stripWhitespace } from './document-structure';

const PLAN = [
  '目 录',
  '一、发展基础\t1',
  '(一) 发展成效\t1',
  '1. 指标全面完成 ........ 2',
  '',
  '一、发展基础',
  '（一）产业发展成效',
  '1．五大产业能级全面提升',
  '收入 2526.94 亿元，占比 73.33%。',
  '15.1%。专业服务业优势加快构筑。',
  '2. **产业能级迈上新',
  '台阶。**推动产业规模扩大。',
  '(二) 重点任务',
  '支持**链主企业**发展。',
].join('\n');

const MEASURES_2024 = [
  '\u2003\u2003(一)促进产业集群发展',
  '',
  '\u2003\u2003加快吸引高能级主体。鼓励经营主体落户静安。(责任部门:区商务委、区科经委)',
  '',
  '\u2003\u2003提升科技金融。推广金融产品;支持金融机构。(责任部门:区投资办)',
].join('\n');

describe('extractHeadings', () => {
  it('finds 一、/（一）/(一)/1./1． headings, skipping the table of contents and numbers like 2526.94', () => {
    const headings = extractHeadings(PLAN).filter((h) => h.kind === 'heading');
    expect(headings.map((h) => h.text)).toEqual(['一、发展基础', '（一）产业发展成效', '1．五大产业能级全面提升', '2. **产业能级迈上新', '(二) 重点任务']);
    expect(headings[0].line).toBe(6);
  });

  it('finds bold phrases, also across a line break, without the asterisks', () => {
    const bold = extractHeadings(PLAN).filter((h) => h.kind === 'bold');
    expect(bold.map((h) => stripWhitespace(h.text))).toEqual(['产业能级迈上新台阶。', '链主企业']);
    expect(bold[0].line).toBe(11);
  });

  it('finds lead phrases of responsibility paragraphs only when asked', () => {
    expect(extractHeadings(MEASURES_2024).filter((h) => h.kind === 'lead')).toEqual([]);
    const leads = extractHeadings(MEASURES_2024, { leadPhrases: true }).filter((h) => h.kind === 'lead');
    expect(leads.map((h) => h.text)).toEqual(['加快吸引高能级主体', '提升科技金融']);
  });
});

describe('responsibilityParagraphs', () => {
  it('reads the lead phrase and the departments in order', () => {
    expect(responsibilityParagraphs(MEASURES_2024).map(({ lead, departments, line }) => ({ lead, departments, line }))).toEqual([
      { lead: '加快吸引高能级主体', departments: ['区商务委', '区科经委'], line: 3 },
      { lead: '提升科技金融', departments: ['区投资办'], line: 5 },
    ]);
  });
});

describe('quoteContext', () => {
  it('returns the paragraph a quote comes from, joining PDF line breaks', () => {
    const text = '1．提升金融服务业能级\n\n持续打造金融品牌。构筑国\n\n际财富管理高地，由区投资办\n\n牵头。\n\n2．打响专业服务业品牌\n\n另一段。';
    expect(quoteContext(text, '构筑国际财富管理高地')).toBe('持续打造金融品牌。构筑国际财富管理高地，由区投资办牵头。');
    expect(quoteContext(text, '不存在的句子')).toBeUndefined();
  });
});

describe('checkCoverage', () => {
  const entries = [
    { heading: '一、发展基础', measures: [], reason: 'section' },
    { heading: '（一）产业发展成效', reason: 'background' },
    { heading: '1．五大产业能级全面提升', reason: 'figure' },
    { heading: '2. **产业能级迈上新', reason: 'goal' },
    { heading: '产业能级迈上新台阶。', reason: 'goal' },
    { heading: '(二)重点任务', measures: ['plan-a'] },
    { heading: '链主企业', measures: ['plan-b'] },
  ];

  it('is clean when every heading is accounted for and every measure linked', () => {
    const report = checkCoverage({ documentId: 'doc', text: PLAN, entries, measureIds: ['plan-a', 'plan-b'] });
    expect(report.findings).toEqual([]);
    expect(report.rows.every((r) => r.entries.length > 0)).toBe(true);
    expect(formatCoverageTable(report)).toContain('(二) 重点任务 → plan-a');
  });

  it('reports an unaccounted heading, an unknown measure, an entry with neither, an unlinked measure', () => {
    const broken = [...entries.filter((e) => e.heading !== '链主企业'), { heading: '推动产业规模扩大', measures: [] }, { heading: '一、发展基础', measures: ['plan-x'] }];
    const report = checkCoverage({ documentId: 'doc', text: PLAN, entries: broken, measureIds: ['plan-a', 'plan-b'] });
    expect(report.findings).toEqual(
      expect.arrayContaining([
        'bold phrase not accounted for (line 14): 链主企业',
        'coverage entry "一、发展基础" names unknown measure plan-x',
        'coverage entry "推动产业规模扩大" has neither measures nor a reason',
        'measure plan-b is linked from no coverage entry',
      ]),
    );
    expect(report.findings).toHaveLength(4);
    expect(formatCoverageTable(report)).toContain('链主企业 → ✗ NOT ACCOUNTED FOR');
  });

  it('rejects misspelt keys and unknown reasons, a missing file and entries not in the text', () => {
    const report = checkCoverage({ documentId: 'doc', text: '一、总则', entries: [{ heading: '一、总则', reasn: 'section' }, { heading: '二、附则', reason: 'appendix' }], measureIds: [] });
    expect(report.findings).toEqual(
      expect.arrayContaining([
        "coverage[0]: must NOT have additional properties 'reasn'",
        'coverage[1].reason: must be equal to one of the allowed values',
        'coverage entry "二、附则" is not in the document text',
      ]),
    );
    expect(checkCoverage({ documentId: 'doc', text: '', entries: undefined, measureIds: [] }).findings).toEqual(['coverage file is missing']);
  });
});
