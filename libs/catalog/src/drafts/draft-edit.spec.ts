import { canonicalJson } from '../catalog';
import { loadCatalogContent } from '../content';
import { applyDraftEdit, EditRefused, type Edit } from './draft-edit';

const base = loadCatalogContent();
const JINGAN = 'jingan-modern-industry-measures-2024';
const MEASURE = 'jingan-2024-cost-reduction';

describe('draft edits', () => {
  it('sets the validity of a document and all its measures, with its term words, in one edit', () => {
    const { content } = applyDraftEdit(base, base, { action: 'set-term', documentId: JINGAN, validFrom: '2024-12-09', validTo: '2026-12-31' });
    const doc = content.documents.find((d) => d.id === JINGAN)!;
    expect(doc).toMatchObject({ term: '自公布之日起生效，有效期至2026年12月31日', termEn: 'In force from publication until 31 December 2026' });
    expect(new Set(content.rules[JINGAN].map((r) => r.event.params.validity.validTo))).toEqual(new Set(['2026-12-31']));
    expect(base.documents.find((d) => d.id === JINGAN)!.validity.validTo).toBe('2025-12-31'); // the input is not changed
  });

  it('withdraws a measure with its cases, accounting for its heading, and restores it as it was', () => {
    const withdrawn = applyDraftEdit(base, base, { action: 'withdraw-measure', measureId: MEASURE }).content;
    expect(withdrawn.rules[JINGAN].some((r) => r.name === MEASURE)).toBe(false);
    expect(withdrawn.cases[JINGAN][MEASURE]).toBeUndefined();
    expect(withdrawn.coverage[JINGAN].find((e) => e.note === `withdrawn: ${MEASURE}`)).toMatchObject({ measures: [], reason: 'withdrawn' });
    const restored = applyDraftEdit(withdrawn, base, { action: 'restore-measure', measureId: MEASURE }).content;
    expect(canonicalJson(restored)).toBe(canonicalJson(base));
  });

  it('refuses an edit with the path of each problem', () => {
    let refused: unknown;
    try {
      // A request body as it arrives: nothing but the checks stands between it and the draft.
      const body: unknown = { action: 'edit-measure', measureId: MEASURE, fields: { kind: 'grant', departments: ['区不存在局'], replaces: [MEASURE] } };
      applyDraftEdit(base, base, body as Edit);
    } catch (e) {
      refused = e;
    }
    expect(refused).toBeInstanceOf(EditRefused);
    expect((refused as EditRefused).problems.map((p) => p.path)).toEqual(['fields.kind', 'fields.departments[0]', 'fields.replaces']);
  });
});
