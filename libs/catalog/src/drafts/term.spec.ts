import { documentFindings } from '../check/draft-findings';
import { loadCatalogContent } from '../content';
import { rebaseContent } from './rebase';
import { termDisagreement, termWithValidity } from './term';

const stated = (validFrom: string | null, validTo: string | null) => ({ validFrom, validTo, basis: 'stated' as const });

describe('term text and validity', () => {
  it('rewrites the dates a term writes in full, in both languages', () => {
    const [before, after] = [stated('2024-12-09', '2025-12-31'), stated('2024-12-09', '2026-12-31')];
    expect(termWithValidity('自公布之日起生效，有效期至2025年12月31日', before, after, 'zh')).toBe('自公布之日起生效，有效期至2026年12月31日');
    expect(termWithValidity('In force from publication until 31 December 2025', before, after, 'en')).toBe('In force from publication until 31 December 2026');
    expect(termWithValidity('2021—2025年', before, after, 'zh')).toBe('2021—2025年');
  });

  it('tells a term that disagrees with its validity', () => {
    expect(termDisagreement('有效期至2025年12月31日', stated('2024-12-09', '2025-12-31'))).toBeNull();
    expect(termDisagreement('有效期至2025年12月31日', stated('2024-12-09', '2026-12-31'))).toMatch(/2025-12-31.*2026-12-31/);
    expect(termDisagreement('2021—2025年', stated('2021-01-01', '2026-12-31'))).toMatch(/2025/);
    expect(termDisagreement('until December 31, 2026', stated(null, '2026-12-31'))).toBeNull();
    expect(termDisagreement('未载明', stated(null, null))).toBeNull();
    expect(termDisagreement('有效期至2026年12月31日', stated(null, null))).toMatch(/no end date/);
  });

  it('finds nothing in the shipped documents', () => {
    expect(documentFindings(loadCatalogContent().documents)).toEqual([]);
  });
});

describe('rebuilding a draft on the live version', () => {
  const base = loadCatalogContent();
  const id = 'jingan-modern-industry-measures-2024';
  const withParam = (c: typeof base, i: number, key: 'title' | 'titleEn', value: string): typeof base => {
    const rules = structuredClone(c.rules[id]);
    rules[i].event.params[key] = value;
    return { ...c, rules: { ...c.rules, [id]: rules } };
  };

  it('keeps both sides when they changed different fields, and names a field both changed differently', () => {
    const draft = withParam(base, 0, 'title', 'draft');
    const live = withParam(base, 0, 'titleEn', 'live');
    const merged = rebaseContent(base, draft, live);
    expect(merged.conflicts).toEqual([]);
    expect(merged.content.rules[id][0].event.params).toMatchObject({ title: 'draft', titleEn: 'live' });
    expect(merged.content.rules[id].map((r) => r.name)).toEqual(base.rules[id].map((r) => r.name));

    const clash = rebaseContent(base, draft, withParam(base, 0, 'title', 'live'));
    expect(clash.conflicts).toEqual([`measure:${id}:${base.rules[id][0].name}`]);
    expect(clash.content.rules[id][0].event.params.title).toBe('draft');
    expect(rebaseContent(base, draft, withParam(base, 0, 'title', 'live'), 'live').content.rules[id][0].event.params.title).toBe('live');
  });
});
