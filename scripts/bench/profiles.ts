import { EXTENSION_CODES, EXTENSION_FIELD_KEYS, PROFILE_FIELDS, validateProfile, type CompanyProfile } from '@matcher/catalog';

/** mulberry32: a small, fast, seeded PRNG, so every run benchmarks the same profiles. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Rand = () => number;
const pick = <T>(r: Rand, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];

function subset<T>(r: Rand, xs: readonly T[], min: number, max: number): T[] {
  const n = min + Math.floor(r() * (max - min + 1));
  const out = new Set<T>();
  for (let i = 0; i < n * 3 && out.size < n; i++) out.add(pick(r, xs));
  return [...out];
}

const codesOf = (key: string): string[] => (PROFILE_FIELDS.find((f) => f.key === key)?.codes ?? []).map((c) => c.code);

export const SPACE = {
  districts: codesOf('location.district'),
  areas: codesOf('location.area'),
  sectors: codesOf('sectors'),
  parentSectors: (PROFILE_FIELDS.find((f) => f.key === 'sectors')?.codes ?? []).filter((c) => !c.parent).map((c) => c.code),
  childSectors: (PROFILE_FIELDS.find((f) => f.key === 'sectors')?.codes ?? []).filter((c) => c.parent).map((c) => c.code),
  lists: ['headquarters', 'qualifications', 'roles', 'plans', 'talent'] as const,
  scalars: ['headquartersRecognition', 'ownership', 'size', 'listing'] as const,
  additionalSectors: EXTENSION_CODES.filter((c) => c.field === 'additionalSectors').map((c) => c.code),
  additionalRoles: EXTENSION_CODES.filter((c) => c.field === 'additionalRoles').map((c) => c.code),
};

/** Sectors a profile names: parents only, children only, a child with its own parent, or a mix. */
function sectors(r: Rand): string[] {
  const mode = r();
  if (mode < 0.25) return subset(r, SPACE.parentSectors, 1, 2);
  if (mode < 0.6) return subset(r, SPACE.childSectors, 1, 3);
  if (mode < 0.8) {
    const child = pick(r, SPACE.childSectors);
    return [child.slice(0, child.indexOf('/')), child];
  }
  return subset(r, SPACE.sectors, 1, 5);
}

/**
 * Profile number `i` of the benchmark set: the whole profile v1 space (+ extensions). Each list field is
 * missing, empty or a subset; each scalar missing or a code; metrics missing, partial or full. The first
 * profiles also walk every code of every field in turn (profile i carries code i mod n), so every code
 * appears in the set whatever its size.
 */
export function generateProfile(r: Rand, i: number): CompanyProfile {
  const district = i < SPACE.districts.length * 4 ? SPACE.districts[i % SPACE.districts.length] : pick(r, SPACE.districts);
  const areas = SPACE.areas.filter((a) => a.startsWith(`${district}/`));
  const walk = i < 120; // the code walk: 120 > the longest code list (92 sectors)
  const location: CompanyProfile['location'] = { district };
  if (areas.length && (walk ? i % 3 !== 0 : r() < 0.4)) location.area = walk ? areas[i % areas.length] : pick(r, areas);
  const p: CompanyProfile = { location };
  if (r() < 0.2) p.name = `企业${i}`;

  const listMode = (): 'missing' | 'empty' | 'some' => {
    const x = r();
    return x < 0.3 ? 'missing' : x < 0.4 ? 'empty' : 'some';
  };
  let m = walk ? 'some' : listMode();
  if (m === 'empty') p.sectors = [];
  else if (m === 'some') p.sectors = walk ? [...new Set([SPACE.sectors[i % SPACE.sectors.length], ...(r() < 0.5 ? sectors(r) : [])])] : sectors(r);
  for (const key of SPACE.lists) {
    const codes = codesOf(key);
    m = walk ? 'some' : listMode();
    if (m === 'empty') p[key] = [];
    else if (m === 'some') p[key] = walk ? [...new Set([codes[i % codes.length], ...subset(r, codes, 0, 2)])] : subset(r, codes, 1, 4);
  }
  for (const key of SPACE.scalars) {
    const codes = codesOf(key);
    if (walk) p[key] = codes[i % codes.length];
    else if (r() < 0.55) p[key] = pick(r, codes);
  }
  if (walk ? i % 2 === 0 : r() < 0.08)
    p.additionalSectors = walk ? [SPACE.additionalSectors[i % SPACE.additionalSectors.length]] : subset(r, SPACE.additionalSectors, 0, 2);
  if (walk ? i % 2 === 1 : r() < 0.05)
    p.additionalRoles = walk ? [SPACE.additionalRoles[i % SPACE.additionalRoles.length]] : subset(r, SPACE.additionalRoles, 0, 1);
  // The other extension fields (talent, qualifications…), each walked in turn and drawn now and then.
  EXTENSION_FIELD_KEYS.filter((k) => k !== 'additionalSectors' && k !== 'additionalRoles').forEach((key, j, keys) => {
    const codes = EXTENSION_CODES.filter((c) => c.field === key).map((c) => c.code);
    if (!codes.length) return;
    if (walk ? i % keys.length === j : r() < 0.05)
      (p as unknown as Record<string, unknown>)[key] = walk ? [codes[Math.floor(i / keys.length) % codes.length]] : subset(r, codes, 1, 1);
  });
  const x = r();
  if (x > 0.35) {
    const metrics: NonNullable<CompanyProfile['metrics']> = {};
    const all = x > 0.8;
    if (all || r() < 0.5) metrics.employees = Math.floor(r() ** 3 * 20_000);
    if (all || r() < 0.5) metrics.annualRevenueWan = Math.round(r() ** 4 * 5_000_000) / 10;
    if (all || r() < 0.4) metrics.annualTaxWan = Math.round(r() ** 4 * 500_000) / 10;
    if (all || r() < 0.4) metrics.rdExpenseRatio = Math.round(r() * 1000) / 1000;
    if (all || r() < 0.4) metrics.foundedYear = 1950 + Math.floor(r() * 76);
    if (all || r() < 0.3) metrics.inventionPatents = Math.floor(r() ** 3 * 500);
    if (all || r() < 0.3) metrics.pctApplications = Math.floor(r() ** 3 * 50);
    p.metrics = metrics;
  }
  return p;
}

export function generateProfiles(n: number, seed: number): CompanyProfile[] {
  const r = prng(seed);
  const out: CompanyProfile[] = [];
  for (let i = 0; i < n; i++) {
    const p = generateProfile(r, i);
    const { errors } = validateProfile(p);
    if (errors.length) throw new Error(`generated profile ${i} is not valid profile v1: ${JSON.stringify(errors)}`);
    out.push(p);
  }
  return out;
}

/** Codes of each field that appear somewhere in the set, against the codes the field has. */
export function coverage(profiles: CompanyProfile[]): { covered: number; total: number; missingCodes: string[] } {
  const seen = new Set<string>();
  for (const p of profiles) {
    seen.add(`location.district:${p.location.district}`);
    if (p.location.area) seen.add(`location.area:${p.location.area}`);
    for (const key of ['sectors', ...SPACE.lists] as const) for (const c of p[key] ?? []) seen.add(`${key}:${c}`);
    for (const key of EXTENSION_FIELD_KEYS)
      for (const c of ((p as unknown as Record<string, unknown>)[key] as string[] | undefined) ?? []) seen.add(`${key}:${c}`);
    for (const key of SPACE.scalars) if (p[key] !== undefined) seen.add(`${key}:${String(p[key])}`);
  }
  const all = PROFILE_FIELDS.flatMap((f) => (f.codes ?? []).map((c) => `${f.key}:${c.code}`));
  const missingCodes = all.filter((k) => !seen.has(k));
  return { covered: all.length - missingCodes.length, total: all.length, missingCodes };
}

/**
 * Realistic request bodies for POST /api/v1/match: a company in one of the three districts (sometimes a
 * prospect elsewhere, evaluated in all three), a few sectors, recognitions and plans, both languages.
 */
export function generateRequestBodies(n: number, seed: number): Record<string, unknown>[] {
  const r = prng(seed);
  const bodies: Record<string, unknown>[] = [];
  const own = ['xuhui', 'jingan', 'qingpu'];
  for (let i = 0; i < n; i++) {
    const prospect = r() < 0.2;
    const district = prospect ? pick(r, ['other-shanghai', 'outside-shanghai']) : pick(r, own);
    const areas = SPACE.areas.filter((a) => a.startsWith(`${district}/`));
    const location: CompanyProfile['location'] = { district };
    if (areas.length && r() < 0.5) location.area = pick(r, areas);
    const profile: CompanyProfile = { name: `上海示例企业${i}有限公司`, location, sectors: subset(r, r() < 0.7 ? SPACE.childSectors : SPACE.sectors, 1, 3) };
    if (r() < 0.6) profile.qualifications = subset(r, codesOf('qualifications'), 1, 2);
    if (r() < 0.7) profile.plans = subset(r, codesOf('plans'), 1, 3);
    if (r() < 0.4) profile.roles = subset(r, codesOf('roles'), 1, 2);
    if (r() < 0.2) profile.headquarters = subset(r, codesOf('headquarters'), 1, 1);
    if (r() < 0.2) profile.talent = subset(r, codesOf('talent'), 1, 2);
    if (r() < 0.6) profile.size = pick(r, codesOf('size'));
    if (r() < 0.5) profile.ownership = pick(r, codesOf('ownership'));
    if (r() < 0.3) profile.listing = pick(r, codesOf('listing'));
    if (r() < 0.5) profile.metrics = { employees: 5 + Math.floor(r() * 2000), annualRevenueWan: Math.round(r() * 200_000) };
    const { errors } = validateProfile(profile);
    if (errors.length) throw new Error(`request body ${i} is not valid: ${JSON.stringify(errors)}`);
    const body: Record<string, unknown> = { profile, asOf: '2025-06-01', lang: r() < 0.7 ? 'zh' : 'en' };
    if (!prospect && r() < 0.1) body.districts = ['xuhui', 'jingan', 'qingpu'];
    bodies.push(body);
  }
  return bodies;
}
