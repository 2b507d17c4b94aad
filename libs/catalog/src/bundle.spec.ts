import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { applyBundle, BUNDLE_SCHEMA, bundleFromFiles, bundlePath } from './bundle';
import { loadCatalog } from './catalog';
import { DEPARTMENT_RECORD_SCHEMA, DOCUMENT_DEPARTMENT_SCHEMA, DOCUMENT_RECORD_SCHEMA } from './catalog-files.schema';
import { catalogFromContent, loadCatalogContent } from './content';
import { projectRoot } from './project-root';

const base = loadCatalogContent();
const fixture = join(projectRoot(), 'test', 'fixtures', 'catalog-2026');

describe('policy bundles', () => {
  it('builds a bundle from files laid out like rules/ and adds its document', () => {
    const bundle = bundleFromFiles(fixture);
    expect(bundle.documents?.map((d) => [d.document.id, d.rules.length, Object.keys(d.cases).length, d.text?.includes('TEST FIXTURE')])).toEqual([
      ['jingan-test-fixture-2026', 2, 2, true],
    ]);
    const { content, problems } = applyBundle(base, bundle);
    expect(problems).toEqual([]);
    expect(content.documents.map((d) => d.id)).toContain('jingan-test-fixture-2026');
    expect(base.documents.map((d) => d.id)).not.toContain('jingan-test-fixture-2026'); // the base is not changed
    const catalog = catalogFromContent(content);
    expect(catalog.measures).toHaveLength(catalogFromContent(base).measures.length + 2);
    expect(bundlePath(bundle, 'jingan-test-fixture-2026', 'jingan-tf26-ai-talent-housing')).toBe('documents[0].rules[1]');
  });

  it("links an earlier document's measures to the superseding document's", () => {
    const catalog = catalogFromContent(applyBundle(base, bundleFromFiles(fixture)).content);
    const old = catalog.measures.find((m) => m.source.documentId === 'jingan-modern-industry-measures-2024')!;
    expect(old.successors).toEqual(['jingan-tf26-testing-certification', 'jingan-tf26-ai-talent-housing']);
    expect(catalog.measures.find((m) => m.source.documentId === 'xuhui-five-type-economy-opinions')?.successors).toBeUndefined();
  });

  it('replaces a document (keeping its text when none is given) and withdraws one', () => {
    const qingpu = 'qingpu-cppcc-proposal-168-reply-2022';
    const doc = base.documents.find((d) => d.id === qingpu)!;
    const rules = base.rules[qingpu].slice(0, 1);
    const { content, problems } = applyBundle(base, {
      format: 'policy-bundle/1',
      documents: [{ document: doc, rules, coverage: [], cases: {} }],
      withdraw: ['xuhui-five-type-economy-opinions', 'no-such-document'],
    });
    expect(problems).toEqual([{ path: 'withdraw[1]', message: 'document no-such-document is not in the live version' }]);
    expect(content.rules[qingpu]).toEqual(rules);
    expect(content.texts[qingpu]).toBe(base.texts[qingpu]);
    expect(content.documents.some((d) => d.id === 'xuhui-five-type-economy-opinions')).toBe(false);
    expect(content.rules['xuhui-five-type-economy-opinions']).toBeUndefined();
  });

  it('asks for the text of a new document', () => {
    const entry = bundleFromFiles(fixture).documents![0];
    delete entry.text;
    expect(applyBundle(base, { format: 'policy-bundle/1', documents: [entry] }).problems).toEqual([
      { path: 'documents[0].text', message: 'a new document needs its full text' },
    ]);
  });

  it("holds the repository's record files to the bundle's own schemas, and accepts what catalog:bundle makes of them", () => {
    const ajv = new Ajv2020({ allErrors: true, strict: false });
    addFormats(ajv, ['date']);
    const valid = (schema: object, value: unknown): unknown => (ajv.validate(schema, value) ? [] : ajv.errors);
    const root = projectRoot();
    const json = (path: string): unknown[] => JSON.parse(readFileSync(join(root, path), 'utf8')) as unknown[];
    for (const d of json('seeds/catalog/documents.json')) expect(valid(DOCUMENT_RECORD_SCHEMA, d)).toEqual([]);
    for (const d of json('seeds/catalog/departments.json')) expect(valid(DEPARTMENT_RECORD_SCHEMA, d)).toEqual([]);
    for (const doc of base.documents) {
      for (const d of base.documentDepartments[doc.id] ?? []) expect(valid(DOCUMENT_DEPARTMENT_SCHEMA, d)).toEqual([]);
      expect(valid(BUNDLE_SCHEMA, bundleFromFiles(root, { documentIds: [doc.id] }))).toEqual([]);
    }
  });

  it('hashes everything served, the texts included, alike however the content was assembled', () => {
    const version = catalogFromContent(base).version;
    expect(loadCatalog().version).toBe(version);
    const all = applyBundle(base, bundleFromFiles(projectRoot())).content;
    expect(catalogFromContent(all).version).toBe(version);
    const id = 'jingan-modern-industry-measures-2024';
    const corrected = { ...base, texts: { ...base.texts, [id]: `${base.texts[id]}\n` } };
    expect(catalogFromContent(corrected).version).not.toBe(version);
  });
});
