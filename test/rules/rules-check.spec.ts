/**
 * npm run rules:check and rules:coverage as a library: clean on the real catalog, and each kind of defect
 * in a copy of it is found and named.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { projectRoot } from '@matcher/catalog';
import { checkCatalog, type CheckReport } from '../../scripts/rules-check';
import { coverageReports } from '../../scripts/rules-coverage';

const root = projectRoot();

const J24 = 'rules/jingan/jingan-modern-industry-measures-2024.json';
const PLAN = 'rules/jingan/jingan-industry-14th-five-year-plan-2021.json';
const QP = 'rules/qingpu/qingpu-cppcc-proposal-168-reply-2022.json';
const XH = 'rules/xuhui/xuhui-five-type-economy-opinions.json';

function findingsOf(report: CheckReport): string[] {
  return [...report.documents.flatMap((d) => d.findings.map((f) => `${d.documentId}: ${f}`)), ...report.catalog];
}

describe('the real catalog', () => {
  it('passes rules:check with counts per document', () => {
    const report = checkCatalog(root);
    expect(findingsOf(report)).toEqual([]);
    expect(report.documents.find((d) => d.documentId === 'jingan-modern-industry-measures-2024')).toMatchObject({ measures: 41 });
    expect(report.total.documents).toBe(5);
    expect(report.total.measures).toBe(report.documents.reduce((n, d) => n + d.measures, 0));
    expect(report.total.cases).toBeGreaterThanOrEqual(2 * report.total.measures);
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
  type Rule = { name: string; conditions: { all: Record<string, unknown>[] }; event: { params: Record<string, any> } };
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
    findings = findingsOf(checkCatalog(copy));
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

describe('a case whose expectation the rules do not meet', () => {
  it('is reported with the outcome the compiled matcher gives', () => {
    const copy = mkdtempSync(join(tmpdir(), 'rules-check-'));
    try {
      for (const dir of ['rules', 'seeds/catalog', 'seeds/documents', 'test/rules']) cpSync(join(root, dir), join(copy, dir), { recursive: true });
      const file = join(copy, 'test/rules/qingpu/qingpu-cppcc-proposal-168-reply-2022.cases.json');
      const cases = JSON.parse(readFileSync(file, 'utf8')) as Record<string, { case: string; expect: string; profile: { roles?: string[] } }[]>;
      const matching = cases['qingpu-168-attract-universities-institutes'][0];
      expect(matching.expect).toBe('match');
      matching.profile.roles = ['industry-association'];
      writeFileSync(file, JSON.stringify(cases));
      expect(findingsOf(checkCatalog(copy))).toEqual([
        `qingpu-cppcc-proposal-168-reply-2022: qingpu-168-attract-universities-institutes case 1 "${matching.case}": expected match, the compiled matcher gives no-match`,
      ]);
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });
});
