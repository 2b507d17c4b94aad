/**
 * npm run rules:check and rules:coverage as a library: clean on the real catalog, and each kind of defect
 * in a copy of it is found and named.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { catalogFindings, checkCatalog, kindCounts, projectRoot, readCatalogSource, type CheckReport } from '@matcher/catalog';
import { catalogEvaluator } from '@matcher/engine';
import { checkRepository } from '../../scripts/rules-check';
import { coverageReports } from '../../scripts/rules-coverage';

/** The parts of a rule's event params and of a case these tests edit; the rest passes through untouched. */
interface Params {
  departments: { name: string; source: string }[];
  source: { quote: string; section?: unknown };
  kind?: string;
  supportType?: string[];
  basis?: { conditions?: Record<string, string>; supportTypes?: Record<string, string> };
  crossDocument?: { measureId: string; reason: string }[];
  [key: string]: unknown;
}
interface Case {
  case: string;
  profile: Record<string, unknown>;
  [key: string]: unknown;
}

const root = projectRoot();

const J24 = 'rules/jingan/jingan-modern-industry-measures-2024.json';
const PLAN = 'rules/jingan/jingan-industry-14th-five-year-plan-2021.json';
const QP = 'rules/qingpu/qingpu-cppcc-proposal-168-reply-2022.json';
const XH = 'rules/xuhui/xuhui-five-type-economy-opinions.json';

const findingsOf = (report: CheckReport): string[] => catalogFindings(report);

describe('the real catalog', () => {
  it('passes rules:check with counts per document', () => {
    const report = checkRepository(root);
    expect(findingsOf(report)).toEqual([]);
    expect(report.documents.find((d) => d.documentId === 'jingan-modern-industry-measures-2024')).toMatchObject({ measures: 41 });
    expect(report.total.documents).toBe(5);
    expect(report.total.measures).toBe(report.documents.reduce((n, d) => n + d.measures, 0));
    expect(report.total.cases).toBeGreaterThanOrEqual(2 * report.total.measures);
  });

  it('states the entries per document and kind in the README, as rules:coverage counts them', () => {
    const source = readCatalogSource(root);
    const counts = new Map(kindCounts(source).map((k) => [k.documentId, k]));
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const table = readme.slice(readme.indexOf('| document | district | measures | priorities | removed as no rule |'));
    const rows = table
      .split('\n')
      .slice(2)
      .filter((l) => l.startsWith('|'))
      .map((l) => l.split('|').slice(3, 6).map((c) => Number(c.replace(/\*/g, '').trim())));
    // Rows follow seeds/catalog/documents.json, then the total.
    const expected = source.documents.map((d) => counts.get(d.id)!).map((k) => [k.measure, k.priority, k.removed]);
    const total = expected.reduce((t, r) => t.map((n, i) => n + r[i]), [0, 0, 0]);
    expect(rows.slice(0, expected.length + 1)).toEqual([...expected, total]);
  });

  it('passes rules:coverage', () => {
    expect(coverageReports(root).flatMap((r) => r.findings)).toEqual([]);
  });
});

describe('a catalog with defects', () => {
  let copy: string;
  let findings: string[];

  const edit = <T>(file: string, change: (data: T) => void): void => {
    const path = join(copy, file);
    const data = JSON.parse(readFileSync(path, 'utf8')) as T;
    change(data);
    writeFileSync(path, JSON.stringify(data, null, 2));
  };
  type Rule = { name: string; conditions: { all: Record<string, unknown>[] }; event: { params: Params } };
  const rule = (rules: Rule[], i: number): Rule => rules[i];

  beforeAll(() => {
    copy = mkdtempSync(join(tmpdir(), 'rules-check-'));
    for (const dir of ['rules', 'seeds/catalog', 'seeds/documents', 'test/rules']) cpSync(join(root, dir), join(copy, dir), { recursive: true });

    edit<Rule[]>(J24, (rules) => {
      const p = rule(rules, 0).event.params;
      p.sumary = p.summary; // misspelt: json-rules-engine would carry it silently
      delete p.summary;
      rule(rules, 1).event.params.departments.reverse();
      rule(rules, 2).event.params.source.quote = rule(rules, 2).event.params.source.quote.replace('支持', '资助');
      rule(rules, 3).event.params.departments[0].source = 'inferred';
      rule(rules, 4).conditions.all[0] = { name: 'location', fact: 'location', path: '$.district', operator: 'equal', value: 'xuhui' };
      rules.pop();
    });
    edit<Rule[]>(PLAN, (rules) => {
      rule(rules, 0).conditions.all.push(
        { name: 'bad-operator', fact: 'roles', operator: 'hasAll', value: ['chain-leader'] },
        { name: 'bad-code', fact: 'sectors', operator: 'sectorIn', value: ['space-mining'] },
        { name: 'bad-fact', fact: 'revenue', operator: 'in', value: ['high'] },
        { name: 'misspelt', fact: 'roles', operater: 'hasAny', value: ['chain-leader'] },
      );
      rule(rules, 1).conditions.all.push({ name: 'location', fact: 'roles', operator: 'hasAny', value: ['chain-leader'] });
      rule(rules, 2).conditions.all.push({ name: 'wrong-shape', fact: 'ownership', operator: 'hasAny', value: ['private'] });
      rule(rules, 3).conditions.all.push({ name: 'other-area', fact: 'location', path: '$.area', operator: 'in', value: ['xuhui/west-bund'] });
    });
    edit<Rule[]>(QP, (rules) => {
      rule(rules, 0).event.params.validity = { validFrom: '2022-06-16', validTo: null, basis: 'stated' };
      rule(rules, 1).name = 'jingan-2024-stray';
      rule(rules, 1).event.params.measureId = 'jingan-2024-stray';
      rule(rules, 2).event.params.departments.push({ name: '区不存在局', source: 'inferred' });
    });
    edit<Rule[]>(XH, (rules) => {
      rule(rules, 0).event.params.departments[0].source = 'document';
      rule(rules, 1).event.params.source.section = [];
    });
    edit<Record<string, { expect: string; profile: Record<string, unknown> }[]>>('test/rules/xuhui/xuhui-five-type-economy-opinions.cases.json', (cases) => {
      const [first, second] = Object.keys(cases);
      cases[first] = cases[first].filter((c) => c.expect !== 'no-match');
      cases[second][0].profile.revenue = 100;
      cases['xuhui-5te-no-such-measure'] = [];
    });
    edit<{ heading: string }[]>('rules/xuhui/xuhui-five-type-economy-opinions.coverage.json', (entries) => {
      entries.splice(
        entries.findIndex((e) => e.heading === '一、总体要求'),
        1,
      );
    });
    findings = findingsOf(checkRepository(copy));
  }, 60_000);

  afterAll(() => rmSync(copy, { recursive: true, force: true }));

  const expectFinding = (pattern: RegExp): void => {
    expect(findings.filter((f) => pattern.test(f))).not.toEqual([]);
  };

  it.each([
    ['a misspelt measure-record key', /jingan-2024-attract-high-energy-entities\.event\.params: must NOT have additional properties 'sumary'/],
    ['a missing measure-record key', /jingan-2024-attract-high-energy-entities\.event\.params: must have required property 'summary'/],
    ['a misspelt condition key', /jingan-plan-platform-institutions-settle\.conditions\.all\[5\]: must NOT have additional properties 'operater'/],
    ['departments out of order', /jingan-2024-scale-up: departments .* differ from the document's \(责任部门:区商务委、区科经委/],
    ['a quote that is not verbatim', /jingan-2024-major-industry-projects: quote is not verbatim/],
    ['a Jing\'an 2024 department not marked "document"', /: department 区商务委: source must be "document"/],
    ['a first condition for another district', /the first condition must be .*"jingan"/],
    ['an operator outside OPERATORS', /condition bad-operator: operator hasAll is not in the engine's OPERATORS table/],
    ['an unknown code', /condition bad-code: "space-mining" is not a sectors code/],
    ['an unknown fact', /condition bad-fact: fact revenue is not a field of profile v1/],
    ['a repeated condition name', /condition names repeat: location/],
    ['an operator that cannot test the field', /condition wrong-shape: ownership holds one code/],
    ['an area of another district', /condition other-area: area xuhui\/west-bund is not in jingan/],
    ['a validity that differs from the document', /qingpu-168-attract-universities-institutes: validity .* differs from the document's/],
    ['an id with another document\'s prefix', /jingan-2024-stray: id does not start with qingpu-168-/],
    ['a department outside the directory', /department 区不存在局 is not in the qingpu directory/],
    ['"document" for a department the paragraph does not name', /xuhui-5te-ai-basic-hardware: department 区科委: the quote's paragraph does not name it/],
    ['an empty section path', /source\.section: must NOT have fewer than 1 items/],
    ['a measure without a no-match case', /needs at least one "match" and one "no-match" case/],
    ['an invalid case profile', /case 1 .*: profile\.revenue is not a field of the company profile/],
    ['cases for an unknown measure', /cases for unknown measure xuhui-5te-no-such-measure/],
    ['an unaccounted heading', /coverage: heading not accounted for \(line \d+\): 一、总体要求/],
    ['a measure in no coverage entry', /qingpu-cppcc-proposal-168-reply-2022: coverage: measure jingan-2024-stray is linked from no coverage entry|coverage entry .* names unknown measure qingpu-168-/],
    ['the wrong number of Jing\'an 2024 measures', /jingan-modern-industry-measures-2024: 40 measures; the document has exactly 41 titled measures/],
  ])('finds %s', (_label, pattern) => {
    expectFinding(pattern);
  });
});

describe('a catalog given as data (as an uploaded bundle is)', () => {
  const evaluator = catalogEvaluator();
  const base = readCatalogSource(root);
  // Findings the repository already has (documents under review): each test asserts only what its change adds.
  const baseline = new Set(catalogFindings(checkCatalog(base, evaluator)));
  const QP_ID = 'qingpu-cppcc-proposal-168-reply-2022';
  type Rule = { name: string; event: { params: Params } };

  const findingsAfter = (change: (rules: Rule[], cases: Record<string, Case[]>) => void): string[] => {
    const source = structuredClone(base);
    const file = source.ruleFiles.find((f) => f.documentId === QP_ID)!;
    change(file.rules.value as Rule[], file.cases!.value as Record<string, Case[]>);
    return catalogFindings(checkCatalog(source, evaluator));
  };
  const added = (change: (rules: Rule[], cases: Record<string, Case[]>) => void): string[] => findingsAfter(change).filter((f) => !baseline.has(f));
  const rule = (rules: Rule[], id: string): Rule => rules.find((r) => r.name === id)!;
  const TALENT = 'qingpu-168-top-talent-incentive';
  const near = (talent?: string[]): Case => ({
    case: 'A Qingpu company with other talent needs',
    profile: { location: { district: 'qingpu' }, ...(talent ? { talent } : {}) },
    expect: 'no-match',
    kind: 'measure',
  });

  it('reads the repository into the same report', () => {
    expect(catalogFindings(checkCatalog(base, evaluator))).toEqual(catalogFindings(checkRepository(root)));
  });

  it('reports a case whose expectation the rules do not meet with the outcome the compiled matcher gives', () => {
    let name = '';
    const findings = added((_rules, cases) => {
      const matching = cases['qingpu-168-attract-universities-institutes'][0];
      name = matching.case;
      matching.profile.roles = ['industry-association'];
    });
    expect(findings).toEqual([
      `${QP_ID}: qingpu-168-attract-universities-institutes case 1 "${name}": expected match, the compiled matcher gives no-match`,
    ]);
  });

  it('requires a kind on every entry', () => {
    expect(added((rules) => delete rule(rules, TALENT).event.params.kind)).toContain(`${QP_ID}: ${TALENT}.event.params: must have required property 'kind'`);
  });

  it('asks a measure whose only support type is "other" for a written reason', () => {
    const reason = `${QP_ID}: ${TALENT}: a measure whose only support type is "other" needs supportTypeNote saying why (or the right support type)`;
    expect(added((rules) => (rule(rules, TALENT).event.params.supportType = ['other']))).toContain(reason);
    const p = (rules: Rule[]): Params => rule(rules, TALENT).event.params;
    expect(added((rules) => Object.assign(p(rules), { supportType: ['other'], supportTypeNote: 'why' }))).not.toContain(reason);
    expect(added((rules) => Object.assign(p(rules), { supportType: ['other'], kind: 'priority' }))).not.toContain(reason);
  });

  it('holds every leaf of a measure and every support type to words of its paragraph, and same-sentence pairs to one reading', () => {
    const DIAGNOSIS = 'qingpu-168-smart-transformation-diagnosis';
    const basis = (rules: Rule[]) => rule(rules, DIAGNOSIS).event.params.basis!;
    expect(added((rules) => delete basis(rules).conditions!['industrial-enterprise'])).toEqual([
      `${QP_ID}: ${DIAGNOSIS}: condition industrial-enterprise: no basis phrase (basis.conditions["industrial-enterprise"]: the words of the text it encodes)`,
    ]);
    expect(added((rules) => (basis(rules).conditions!['industrial-enterprise'] = '软件企业'))).toEqual([
      `${QP_ID}: ${DIAGNOSIS}: condition industrial-enterprise: basis phrase 「软件企业」 is not in the quote's paragraph or section`,
    ]);
    const typed = (rules: Rule[]) => rule(rules, DIAGNOSIS).event.params;
    expect(added((rules) => delete typed(rules).basis!.supportTypes![typed(rules).supportType![0]])).toEqual([
      expect.stringMatching(new RegExp(`^${QP_ID}: ${DIAGNOSIS}: support type \\S+: no instrument words`)),
    ]);
  });

  it('fails a sentence kept in two documents with two kinds, unless a reason is written', () => {
    const source = structuredClone(base);
    const opinions = source.ruleFiles.find((f) => f.documentId === 'xuhui-five-type-economy-opinions')!.rules.value as Rule[];
    const joint = rule(opinions, 'xuhui-5te-joint-key-tech-research');
    joint.event.params.kind = 'measure';
    const findings = () => catalogFindings(checkCatalog(source, evaluator)).filter((f) => f.includes('quote the same sentence'));
    expect(findings()).toEqual([expect.stringMatching(/^xuhui-5te-joint-key-tech-research and xuhui-sti-joint-key-tech-research quote the same sentence but differ \(kind measure \/ priority\)/)]);
    joint.event.params.crossDocument = [{ measureId: 'xuhui-sti-joint-key-tech-research', reason: '本文件写明资助方式' }];
    expect(findings()).toEqual([]);
  });

  it("flags a document whose term's words disagree with its validity, and counts a withdrawn Jing'an 2024 measure", () => {
    const source = structuredClone(base);
    const j24 = source.documents.find((d) => d.id === 'jingan-modern-industry-measures-2024')!;
    j24.validity = { ...j24.validity, validTo: '2026-12-31' };
    expect(catalogFindings(checkCatalog(source, evaluator)).filter((f) => f.includes(': term'))).toEqual([
      expect.stringMatching(/^jingan-modern-industry-measures-2024: term: /),
      expect.stringMatching(/^jingan-modern-industry-measures-2024: termEn: /),
    ]);

    const withdrawn = structuredClone(base);
    const file = withdrawn.ruleFiles.find((f) => f.documentId === 'jingan-modern-industry-measures-2024')!;
    const rules = file.rules.value as Rule[];
    const gone = rules.pop()!;
    const coverage = file.coverage!.value as { measures: string[]; reason?: string; note?: string }[];
    const entry = coverage.find((e) => e.measures.includes(gone.name))!;
    Object.assign(entry, { measures: [], reason: 'withdrawn', note: `withdrawn: ${gone.name}` });
    const cases = file.cases!.value as Record<string, unknown>;
    delete cases[gone.name];
    expect(catalogFindings(checkCatalog(withdrawn, evaluator)).filter((f) => f.includes('titled measures'))).toEqual([]);
    Object.assign(entry, { measures: [], reason: 'section', note: 'groups the measures below' });
    expect(catalogFindings(checkCatalog(withdrawn, evaluator)).filter((f) => f.includes('titled measures'))).toEqual([
      "jingan-modern-industry-measures-2024: 40 measures; the document has exactly 41 titled measures",
    ]);
  });

  it('asks broad precision for both notes', () => {
    const p = (rules: Rule[]): Params => rule(rules, TALENT).event.params;
    const finding = `${QP_ID}: ${TALENT}: precision "broad" needs precisionNote and precisionNoteEn saying what the company must check itself`;
    // The entry may already be broad: each variant states the whole of its precision fields.
    const precise = (rules: Rule[], fields: Partial<Params>): void => {
      const params = p(rules);
      delete params.precision;
      delete params.precisionNote;
      delete params.precisionNoteEn;
      Object.assign(params, fields);
    };
    expect(added((rules) => precise(rules, { precision: 'broad', precisionNote: '须为顶尖人才' }))).toContain(finding);
    expect(added((rules) => precise(rules, { precision: 'broad', precisionNote: '须为顶尖人才', precisionNoteEn: 'Top talent' }))).toEqual([]);
    expect(added((rules) => precise(rules, { precisionNote: '须为顶尖人才' }))).toContain(
      `${QP_ID}: ${TALENT}: precisionNote/precisionNoteEn without precision "broad"`,
    );
  });

  it("asks every match and no-match case for the entry's kind", () => {
    const findings = added((_rules, cases) => {
      cases[TALENT] = [{ ...cases[TALENT][0], kind: 'priority' }, { ...near(['fresh-graduate']), failed: ['top-talent'] }];
      delete cases[TALENT][1].kind;
    });
    expect(findings).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/top-talent-incentive case 1 .*: kind priority, but the entry is a measure$/),
        expect.stringMatching(/top-talent-incentive case 2 .*: kind is required \("measure"\)$/),
      ]),
    );
  });

  it('holds a no-match case to exactly the failed conditions and missing facts', () => {
    const withCase = (c: Case): string[] => added((_rules, cases) => (cases[TALENT] = [{ ...cases[TALENT][0], kind: 'measure' }, c]));
    expect(withCase({ ...near(['fresh-graduate']), failed: ['top-talent'] })).toEqual([]);
    expect(withCase({ ...near(), missing: ['talent'] })).toEqual([]);
    expect(withCase({ ...near(), failed: ['top-talent'] })).toEqual([
      expect.stringMatching(/case 2 .*: failed \[top-talent\], but the conditions that fail are none$/),
      expect.stringMatching(/case 2 .*: missing none, but the facts left unknown are \[talent\]$/),
    ]);
    expect(withCase({ ...near(['fresh-graduate']), failed: ['top-talent'], missing: ['plans'] })).toEqual([
      expect.stringMatching(/case 2 .*: missing \[plans\], but the facts left unknown are none$/),
    ]);
    expect(findingsAfter((_rules, cases) => (cases[TALENT] = [{ ...cases[TALENT][0], kind: 'measure' }, near(['fresh-graduate'])]))).toContain(
      `${QP_ID}: ${TALENT} needs a "no-match" case for a near profile that states its reason (failed and/or missing)`,
    );
  });

  it('checks a not-a-measure case only under a removed id, against every measure quoting its text', () => {
    let quote = '';
    const findings = added((rules, cases) => {
      const r = rule(rules, TALENT);
      quote = r.event.params.source.quote;
      const notAMeasure = { case: 'A top-talent employer', profile: cases[TALENT][0].profile, expect: 'not-a-measure', quote };
      cases['qingpu-168-removed-talent'] = [notAMeasure, { ...notAMeasure, profile: { location: { district: 'qingpu' } } }];
      cases['qingpu-168-removed-words'] = [{ ...notAMeasure, quote: '不在文中的一句话' }];
      cases[TALENT].push(notAMeasure);
    });
    expect(findings.sort()).toEqual(
      [
        expect.stringMatching(/qingpu-168-removed-talent case 1 .*: measure qingpu-168-top-talent-incentive quotes this text and matches the profile$/),
        expect.stringMatching(/qingpu-168-removed-words case 1 .*: quote is not verbatim in the document: 不在文中的一句话$/),
        expect.stringMatching(/qingpu-168-top-talent-incentive case \d+ .*: not-a-measure belongs under the id of a removed entry/),
      ].sort(),
    );
    expect(quote).not.toBe('');
  });

  it('calls cases for an unknown id with match or no-match findings', () => {
    expect(added((_rules, cases) => (cases['qingpu-168-nothing'] = [near(['top-scientist'])]))).toContain(`${QP_ID}: cases for unknown measure qingpu-168-nothing`);
  });
});
