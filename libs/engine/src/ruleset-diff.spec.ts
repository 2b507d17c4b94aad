import { catalogFromContent, loadCatalogContent, type CatalogContent, type RuleDefinition } from '@matcher/catalog';
import { diffCatalogs } from './ruleset-diff';

const base = loadCatalogContent();
const JINGAN = 'jingan-modern-industry-measures-2024';

function withRules(rules: RuleDefinition[]): CatalogContent {
  return { ...base, rules: { ...base.rules, [JINGAN]: rules } };
}

describe('diffCatalogs', () => {
  const before = catalogFromContent(base);

  it('finds nothing between a version and itself', () => {
    const diff = diffCatalogs(before, before);
    expect([diff.added, diff.removed, diff.changed]).toEqual([[], [], []]);
  });

  it('says in words what changed in a measure, conditions included, and what was removed', () => {
    const [first, second, ...rest] = base.rules[JINGAN];
    const all = (first.conditions as { all: RuleDefinition['conditions'][] }).all;
    const changed: RuleDefinition = structuredClone(first);
    changed.event.params.title = `${first.event.params.title}（修订）`;
    (changed.conditions as { all: unknown[] }).all = [
      ...all,
      { name: 'high-tech', fact: 'qualifications', operator: 'hasAny', value: ['high-tech-enterprise'] },
    ];
    const after = catalogFromContent(withRules([changed, ...rest]));
    const diff = diffCatalogs(before, after);
    expect(diff.removed.map((m) => m.measureId)).toEqual([second.name]);
    expect(diff.changed).toHaveLength(1);
    const changes = diff.changed[0].changes;
    expect(changes.map((c) => c.field)).toEqual(['title', 'conditions.high-tech']);
    expect(changes[0].zh).toContain('（修订）');
    expect(changes[1].zh).toMatch(/^新增条件：/);
    expect(changes[1].en).toMatch(/^New condition: .*High-tech/i);
    expect(diff.summary.en).toBe('0 measures added, 1 removed, 1 changed; 0 documents added, 0 withdrawn.');
  });
});
