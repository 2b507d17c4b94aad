import type { FactKey } from '@matcher/contracts';
import type { Taxonomy, TaxonomyField } from './api';
import {
  decodeShare,
  encodeShare,
  EMPTY_FORM,
  fromProfile,
  shareHash,
  toMatchRequest,
  toProfile,
  toRequest,
  type FormState,
  type MatchRequest,
} from './profile';
import type { Labels } from './taxonomy';

const field = (key: FactKey, kind: TaxonomyField['kind'], codes: string[] = []): TaxonomyField => ({
  key,
  kind,
  section: 'company',
  zh: key,
  en: key,
  hintZh: '',
  hintEn: '',
  headerAliases: [],
  codes: codes.map((code) => ({ code, zh: code, en: code, synonyms: [] })),
});

const taxonomy: Taxonomy = {
  profileVersion: '1',
  fields: [
    field('location.district', 'code', ['xuhui', 'jingan', 'qingpu']),
    field('location.area', 'code', ['xuhui/caohejing']),
    field('sectors', 'codes', ['ai', 'biomed', 'professional-services/testing']),
    field('metrics.employees', 'number'),
    field('metrics.rdExpenseRatio', 'number'),
  ],
  districts: ['xuhui', 'jingan', 'qingpu'],
  supportTypes: [],
  statuses: [],
};
// The sharing code reads only the taxonomy's fields; the Labels class itself lives in a React module.
const labels = { taxonomy } as unknown as Labels;

const form = (values: FormState['values'], rest: Partial<FormState> = {}): FormState => ({ ...EMPTY_FORM, values, ...rest });

/** What a `#p=` hash carries, read back without the app's own decoder. */
const payload = (encoded: string): unknown => JSON.parse(Buffer.from(encoded, 'base64url').toString('utf8'));

describe('sharing a profile in the address', () => {
  const company = form(
    { name: '上海甲检测技术有限公司', 'location.district': 'xuhui', 'location.area': 'xuhui/caohejing', sectors: ['ai', 'biomed'], 'metrics.employees': '120' },
    { asOf: '2025-06-01', districts: ['jingan', 'qingpu'], includeExpired: false },
  );

  it('round-trips the form through the hash', () => {
    const decoded = decodeShare(shareHash(toRequest(company, labels)), labels);
    expect(decoded).toEqual(company);
  });

  it('keeps Chinese text intact (UTF-8, not Latin-1)', () => {
    const decoded = decodeShare(shareHash(toRequest(form({ name: '乙芯片设计有限公司 · ①', 'location.district': 'jingan' }), labels)), labels);
    expect(decoded?.values.name).toBe('乙芯片设计有限公司 · ①');
  });

  it('leaves the defaults out of the link and restores them when reading it', () => {
    const req = toRequest(form({ 'location.district': 'qingpu' }), labels);
    const encoded = encodeShare(req);
    expect(payload(encoded)).toEqual({ profile: { location: { district: 'qingpu' } } });
    expect(decodeShare(`#p=${encoded}`, labels)).toEqual(form({ 'location.district': 'qingpu' }));
  });

  it('finds the profile among other hash parameters', () => {
    const encoded = encodeShare(toRequest(company, labels));
    expect(decodeShare(`#tab=near&p=${encoded}`, labels)).toEqual(company);
    expect(decodeShare(`#xp=${encoded}`, labels)).toBeNull();
  });

  it('answers null for a missing or malformed hash, never throws', () => {
    const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64url');
    for (const hash of [
      '',
      '#',
      '#q=abc',
      '#p=',
      '#p=%%%',
      '#p=not-base64!',
      `#p=${b64('{"profile":')}`,
      `#p=${b64('null')}`,
      `#p=${b64('"text"')}`,
      `#p=${b64('{"districts":["xuhui"]}')}`,
      `#p=${b64('{"profile":null}')}`,
      `#p=${b64('{"profile":"xuhui"}')}`,
      `#p=${Buffer.from([0xff, 0xfe, 0x7b]).toString('base64url')}`,
    ]) {
      expect(decodeShare(hash, labels)).toBeNull();
    }
  });

  it('drops districts, fields and values it does not know instead of passing them on', () => {
    const shared = {
      profile: { location: { district: 'xuhui' }, unknownField: 'x', sectors: ['ai', 7], metrics: { employees: 'many', rdExpenseRatio: true } },
      districts: ['xuhui', 'pudong', 42],
      asOf: 20250601,
      includeExpired: 'no',
    };
    const decoded = decodeShare(`#p=${Buffer.from(JSON.stringify(shared)).toString('base64url')}`, labels);
    expect(decoded).toEqual({
      // Codes are kept as text: the server, not the link, says which codes exist.
      values: { 'location.district': 'xuhui', sectors: ['ai', '7'], 'metrics.employees': 'many' },
      asOf: '',
      districts: ['xuhui'],
      includeExpired: true,
    });
  });

  it('writes only URL-safe characters, about 4/3 of the JSON bytes', () => {
    const req = toRequest(company, labels);
    const encoded = encodeShare(req);
    expect(encoded).toMatch(/^[A-Za-z0-9_-]+$/);
    const json = JSON.stringify(payload(encoded));
    expect(encoded).toHaveLength(Math.ceil((Buffer.byteLength(json, 'utf8') * 4) / 3));
  });

  it('keeps a fully answered profile short enough for any address bar', () => {
    const full = form({
      name: '上海某某人工智能科技股份有限公司'.repeat(3),
      'location.district': 'xuhui',
      'location.area': 'xuhui/caohejing',
      sectors: ['ai', 'biomed', 'professional-services/testing'],
      'metrics.employees': '12345',
      'metrics.rdExpenseRatio': '8%',
    });
    expect(shareHash(toRequest(full, labels)).length).toBeLessThan(2000);
  });

  it('round-trips a large profile without running out of stack', () => {
    const big: MatchRequest = { profile: { location: { district: 'xuhui' }, name: '企'.repeat(20_000) } };
    const decoded = decodeShare(shareHash(big), labels);
    expect(decoded?.values.name).toHaveLength(20_000);
  });
});

describe('the form as a profile', () => {
  it('sends only the facts given; ratios may be written as percentages', () => {
    const profile = toProfile(
      form({ 'location.district': '', sectors: [], 'metrics.employees': ' 12 ', 'metrics.rdExpenseRatio': '8％', uscc: ' 91310000abc ' }),
      labels,
    );
    expect(profile).toEqual({ location: {}, uscc: '91310000ABC', metrics: { employees: 12, rdExpenseRatio: 0.08 } });
  });

  it('reads a profile back into the form', () => {
    const profile = { name: 'A', location: { district: 'jingan' }, sectors: ['ai'], metrics: { employees: 3, rdExpenseRatio: 0.1 } };
    expect(fromProfile(profile, labels)).toEqual({
      name: 'A',
      'location.district': 'jingan',
      sectors: ['ai'],
      'metrics.employees': '3',
      'metrics.rdExpenseRatio': '0.1',
    });
  });
});

describe('what the form sends to the service', () => {
  const company = form(
    {
      name: '上海某某检测技术有限公司',
      uscc: '91310000MA1FL4TX8C',
      'location.district': 'jingan',
      sectors: ['professional-services/testing'],
      'metrics.employees': '120',
    },
    { asOf: '2025-06-01', districts: ['jingan', 'xuhui'] },
  );

  it('sends the matching facts and options, never the name or the credit code', () => {
    const sent = toMatchRequest(company, labels);
    expect(sent).toEqual({
      profile: { location: { district: 'jingan' }, sectors: ['professional-services/testing'], metrics: { employees: 120 } },
      asOf: '2025-06-01',
      districts: ['jingan', 'xuhui'],
      includeExpired: true,
    });
    const wire = JSON.stringify(sent);
    expect(wire).not.toContain('上海某某检测技术有限公司');
    expect(wire).not.toContain('91310000MA1FL4TX8C');
  });

  it('keeps the name and credit code for the link and the download, which stay with the user', () => {
    expect(toRequest(company, labels).profile).toMatchObject({ name: '上海某某检测技术有限公司', uscc: '91310000MA1FL4TX8C' });
    // The form state itself is untouched by building the request.
    expect(company.values.name).toBe('上海某某检测技术有限公司');
  });
});
