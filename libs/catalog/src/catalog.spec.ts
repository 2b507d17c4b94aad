import { aRule } from '../../../test/factories/rule.factory';
import { loadCatalog, loadDocuments, ruleFiles, toMeasure } from './catalog';
import type { DepartmentRecord, DocumentRecord } from './measures/measure.types';

describe('loadCatalog', () => {
  const catalog = loadCatalog();

  it('loads every rule file as measures resolved against documents and departments', () => {
    expect(ruleFiles().map((f) => f.split('/').slice(-2).join('/'))).toEqual([
      'jingan/jingan-industry-14th-five-year-plan-2021.json',
      'jingan/jingan-modern-industry-measures-2024.json',
      'qingpu/qingpu-cppcc-proposal-168-reply-2022.json',
      'xuhui/xuhui-five-type-economy-opinions.json',
      'xuhui/xuhui-sci-tech-innovation-14th-five-year-plan.json',
    ]);
    expect(catalog.measures).toHaveLength(catalog.rules.length);
    expect(catalog.measures.filter((m) => m.source.documentId === 'jingan-modern-industry-measures-2024')).toHaveLength(41);
    expect(new Set(catalog.measures.map((m) => m.id)).size).toBe(catalog.measures.length);
    expect(catalog.version).toMatch(/^[0-9a-f]{16}$/);
    expect(loadCatalog().version).toBe(catalog.version);
  });

  it('carries provenance: document title, section path and departments with their source', () => {
    const m = catalog.measures.find((x) => x.id === 'jingan-2024-attract-high-energy-entities')!;
    expect(m.source).toMatchObject({
      documentTitle: '静安区关于构建现代化产业体系、促进经济高质量发展的若干措施(试行)',
      issuedOn: '2024-12-09',
      section: '二、支持产业集聚及能级提升 › (一)促进产业集群发展',
    });
    expect(m.departments[0]).toMatchObject({ name: '区商务委', fullName: '静安区商务委员会', source: 'document' });
    expect(m.specificity).toBe('targeted');
    expect(m.facts).toEqual(['roles', 'qualifications']);
  });
});

describe('toMeasure', () => {
  const documents = new Map<string, DocumentRecord>(loadDocuments().map((d) => [d.id, d]));
  const doc = (id: string): Map<string, DocumentRecord> => new Map([[id, { ...documents.get('jingan-modern-industry-measures-2024')!, id }]]);
  const dept: DepartmentRecord = { id: 'jingan-commerce', district: 'jingan', name: '区商务委', fullName: '静安区商务委员会', nameEn: 'Commerce' };

  it('throws on a dangling document or department rather than serve partial provenance', () => {
    expect(() => toMeasure(aRule({ id: 'r' }), new Map(), new Map([['jingan:区商务委', dept]]))).toThrow('r: unknown document test-document');
    expect(() => toMeasure(aRule({ id: 'r' }), doc('test-document'), new Map())).toThrow('r: department 区商务委 is not in the jingan directory');
  });

  it('a rule with only the location condition is general', () => {
    expect(toMeasure(aRule({ id: 'r' }), doc('test-document'), new Map([['jingan:区商务委', dept]]))).toMatchObject({
      specificity: 'general',
      facts: [],
      sectors: [],
    });
  });
});
