import synonymData from '../data/synonyms.json';
import { EXTENSION_CODES } from '../profile/profile-extensions';
import { codesNamedBy, headerField, normalizeName, resolveValue, suggestHeaderFields, synonymsOf } from './synonyms';
import { PROFILE_FIELDS } from './taxonomy';

const table = synonymData as unknown as { values: Record<string, Record<string, string[]>>; ambiguous: Record<string, Record<string, string[]>> };

describe('synonym table', () => {
  const coded = PROFILE_FIELDS.filter((f) => f.codes?.length && !f.key.startsWith('additional'));

  test('every code of every coded field has everyday names', () => {
    const bare: string[] = [];
    for (const f of coded) for (const c of f.codes!) if (synonymsOf(f.key, c.code).length === 0) bare.push(`${f.key}:${c.code}`);
    for (const c of EXTENSION_CODES) if (synonymsOf(c.field, c.code).length === 0) bare.push(`${c.field}:${c.code}`);
    expect(bare).toEqual([]);
  });

  test('names only codes that exist, in the field it is filed under', () => {
    const known = new Set<string>();
    for (const f of coded) for (const c of f.codes!) known.add(`${f.key}:${c.code}`);
    for (const c of EXTENSION_CODES) known.add(`${c.extends}:${c.code}`);
    const stray: string[] = [];
    for (const [field, codes] of Object.entries(table.values))
      for (const code of Object.keys(codes)) if (!known.has(`${field}:${code}`)) stray.push(`${field}:${code}`);
    for (const [field, names] of Object.entries(table.ambiguous))
      for (const codes of Object.values(names)) for (const code of codes) if (!known.has(`${field}:${code}`)) stray.push(`${field}:${code}`);
    expect(stray).toEqual([]);
  });

  test('a synonym listed for two codes of one field is stated as ambiguous, not left to chance', () => {
    const clashes: string[] = [];
    for (const [field, codes] of Object.entries(table.values)) {
      const seen = new Map<string, string>();
      for (const [code, names] of Object.entries(codes))
        for (const name of names) {
          const n = normalizeName(name);
          const other = seen.get(n);
          if (other && other !== code) clashes.push(`${field}: ${name} → ${other} / ${code}`);
          seen.set(n, code);
        }
    }
    expect(clashes).toEqual([]);
  });

  test('every synonym resolves to its own code (or is a stated ambiguous name)', () => {
    const wrong: string[] = [];
    for (const f of coded)
      for (const c of [...f.codes!, ...EXTENSION_CODES.filter((x) => x.extends === f.key)])
        for (const s of synonymsOf(f.key, c.code)) {
          const r = resolveValue(f.key, s);
          const stated = Object.keys(table.ambiguous[f.key] ?? {}).some((a) => normalizeName(a) === normalizeName(s));
          if (!(r.kind === 'code' && r.code === c.code) && !stated) wrong.push(`${f.key}: ${s} → ${JSON.stringify(r)}`);
        }
    expect(wrong).toEqual([]);
  });
});

describe('resolveValue', () => {
  test.each([
    ['sectors', '生物医药', 'life-health'],
    ['sectors', '软件', 'digital/software'],
    ['sectors', '软件开发', 'digital/software'],
    ['sectors', '零售', 'commerce/retail'],
    ['sectors', '检验检测', 'professional-services/testing-certification'],
    ['sectors', '检测认证', 'professional-services/testing-certification'],
    ['sectors', '大模型', 'ai/models-algorithms'],
    ['qualifications', '高企', 'high-tech-enterprise'],
    ['qualifications', '高新企业', 'high-tech-enterprise'],
    ['qualifications', '专精特新', 'srdi-sme'],
    ['ownership', '民企', 'private'],
    ['ownership', '民营企业', 'private'],
    ['ownership', '外资', 'foreign'],
    ['ownership', '外企', 'foreign'],
    ['ownership', '外商投资企业', 'foreign'],
    ['ownership', '地方国企', 'local-state'],
    ['ownership', '区属国企', 'local-state'],
    ['roles', '区属国企', 'district-state-owned'],
    ['location.district', '静安', 'jingan'],
    ['location.district', '静安区', 'jingan'],
    ['location.district', "Jing'an", 'jingan'],
    ['location.district', '上海市静安区', 'jingan'],
    ['location.district', '上海市静安区江场路1号', 'jingan'],
    ['location.district', '浦东新区', 'other-shanghai'],
    ['location.district', 'jingan', 'jingan'],
    ['qualifications', '高新技术企业', 'high-tech-enterprise'],
    ['qualifications', 'High-tech enterprise', 'high-tech-enterprise'],
  ])('%s: %s → %s', (field, value, code) => {
    expect(resolveValue(field, value)).toMatchObject({ kind: 'code', code });
  });

  test('extension codes land in their own field', () => {
    expect(resolveValue('sectors', '物联网')).toEqual({ kind: 'code', field: 'additionalSectors', code: 'digital/iot' });
    expect(resolveValue('roles', '养老院')).toEqual({ kind: 'code', field: 'additionalRoles', code: 'elderly-care-institution' });
  });

  test('ambiguous names are never guessed: every candidate is returned', () => {
    const guo = resolveValue('ownership', '国企');
    expect(guo.kind).toBe('ambiguous');
    expect(guo.kind === 'ambiguous' && guo.candidates.map((c) => c.code).sort()).toEqual(['central-state', 'local-state']);
    const giant = resolveValue('qualifications', '小巨人');
    expect(giant.kind === 'ambiguous' && giant.candidates.map((c) => c.code).sort()).toEqual(['srdi-little-giant', 'tech-little-giant']);
    expect(resolveValue('ownership', '国有企业').kind).toBe('ambiguous');
  });

  test('an unknown value comes with the closest codes', () => {
    const typo = resolveValue('location.district', '静按区');
    expect(typo.kind).toBe('unknown');
    expect(typo.kind === 'unknown' && typo.suggestions[0]).toEqual({ field: 'location.district', code: 'jingan' });
    const sector = resolveValue('sectors', '生物医要');
    expect(sector.kind === 'unknown' && sector.suggestions.map((s) => s.code)).toContain('life-health');
    const nothing = resolveValue('location.district', '火星');
    expect(nothing).toEqual({ kind: 'unknown', suggestions: [] });
  });
});

describe('headers', () => {
  test.each([
    ['公司名称', 'name'],
    ['单位名称', 'name'],
    ['注册地', 'location.district'],
    ['所属区', 'location.district'],
    ['区域', 'location.district'],
    ['所属行业', 'sectors'],
    ['行业类别', 'sectors'],
    ['企业资质', 'qualifications'],
    ['资质荣誉', 'qualifications'],
    ['企业性质', 'ownership'],
    ['企业类型', 'ownership'],
    ['年营业收入（万元）', 'metrics.annualRevenueWan'],
    ['企业名称 / Name', 'name'],
    ['District', 'location.district'],
    ['metrics.employees', 'metrics.employees'],
  ])('%s → %s', (header, key) => {
    expect(headerField(header)).toBe(key);
  });

  test('an unknown header is not guessed, but the closest fields are offered', () => {
    expect(headerField('备注')).toBeUndefined();
    expect(headerField('注册地点')).toBeUndefined();
    expect(suggestHeaderFields('注册地点')[0]).toBe('location.district');
  });
});

describe('codesNamedBy (text search)', () => {
  test('大模型 names the large-model sector; 高企 the qualification', () => {
    expect(codesNamedBy('大模型')).toContainEqual({ fieldKey: 'sectors', code: 'ai/models-algorithms' });
    expect(codesNamedBy('高企')).toContainEqual({ fieldKey: 'qualifications', code: 'high-tech-enterprise' });
    expect(codesNamedBy('')).toEqual([]);
  });
});
