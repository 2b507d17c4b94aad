import type { MatchRequest as MatchBody } from '@matcher/contracts';
import type { District, FieldError } from './api';
import type { Labels } from './taxonomy';

/** What the form holds: raw values per profile field key of the taxonomy (plus name and uscc), and the request options. */
export interface FormState {
  values: Record<string, string | string[]>;
  /** '' = today in Asia/Shanghai. */
  asOf: string;
  /** Districts to evaluate; empty = the API's default (the company's own). */
  districts: District[];
  includeExpired: boolean;
}

export const EMPTY_FORM: FormState = { values: {}, asOf: '', districts: [], includeExpired: true };

export type Profile = Record<string, unknown> & { location: { district?: string; area?: string } };

/** POST /match as the form builds it: the contract's options, the profile assembled field by field (the server checks it). */
export type MatchRequest = Pick<MatchBody, 'districts' | 'asOf' | 'includeExpired' | 'nearMissLimit'> & { profile: Profile };

function setPath(target: Record<string, unknown>, key: string, value: unknown): void {
  const parts = key.split('.');
  let node = target;
  for (const part of parts.slice(0, -1)) {
    node[part] ??= {};
    node = node[part] as Record<string, unknown>;
  }
  node[parts[parts.length - 1]] = value;
}

function getPath(source: Record<string, unknown>, key: string): unknown {
  let node: unknown = source;
  for (const part of key.split('.')) {
    if (!node || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return node;
}

export function listOf(values: FormState['values'], key: string): string[] {
  const v = values[key];
  return Array.isArray(v) ? v : [];
}

export function textOf(values: FormState['values'], key: string): string {
  const v = values[key];
  return typeof v === 'string' ? v : '';
}

/** The profile v1 (+ documented extension) the form describes; unknown facts are left out, never sent as "no". */
export function toProfile(state: FormState, labels: Labels): Profile {
  const profile: Profile = { location: {} };
  const name = textOf(state.values, 'name').trim();
  const uscc = textOf(state.values, 'uscc').trim().toUpperCase();
  if (name) profile.name = name;
  if (uscc) profile.uscc = uscc;
  for (const field of labels.taxonomy.fields) {
    const v = state.values[field.key];
    if (field.kind === 'codes') {
      if (Array.isArray(v) && v.length) setPath(profile, field.key, [...v]);
    } else if (field.kind === 'code') {
      if (typeof v === 'string' && v) setPath(profile, field.key, v);
    } else if (typeof v === 'string' && v.trim() !== '') {
      // A ratio may be written as a percentage ("8%" = 0.08), as the import and the template accept it.
      const text = v.trim().replace(/％$/, '%');
      const percent = field.key.endsWith('Ratio') && text.endsWith('%');
      const n = Number(percent ? text.slice(0, -1).trim() : text);
      setPath(profile, field.key, Number.isFinite(n) ? (percent ? Number((n / 100).toPrecision(12)) : n) : v.trim());
    }
  }
  const location = profile.location;
  if (!location.district) delete location.district;
  return profile;
}

export function toRequest(state: FormState, labels: Labels): MatchRequest {
  const req: MatchRequest = { profile: toProfile(state, labels), includeExpired: state.includeExpired };
  if (state.asOf) req.asOf = state.asOf;
  if (state.districts.length) req.districts = [...state.districts];
  return req;
}

/** Fields the form keeps for downloads and links only: they say who the company is and decide no measure. */
export const BROWSER_ONLY_FIELDS = ['name', 'uscc'] as const;

/**
 * What the service is sent for /match and /match/compare: the matching facts and options only. The company's
 * name and credit code stay in this browser, as the page promises.
 */
export function toMatchRequest(state: FormState, labels: Labels): MatchRequest {
  const req = toRequest(state, labels);
  const profile: Profile = { ...req.profile };
  for (const field of BROWSER_ONLY_FIELDS) delete profile[field];
  return { ...req, profile };
}

/** The form for a profile (from a shared link or a screening's prospect). */
export function fromProfile(profile: Record<string, unknown>, labels: Labels): FormState['values'] {
  const values: FormState['values'] = {};
  if (typeof profile.name === 'string') values.name = profile.name;
  if (typeof profile.uscc === 'string') values.uscc = profile.uscc;
  for (const field of labels.taxonomy.fields) {
    const v = getPath(profile, field.key);
    if (v === undefined || v === null) continue;
    if (field.kind === 'codes' && Array.isArray(v)) values[field.key] = v.map(String);
    else if (field.kind === 'code' && typeof v === 'string') values[field.key] = v;
    else if (field.kind === 'number' && (typeof v === 'number' || typeof v === 'string')) values[field.key] = String(v);
  }
  return values;
}

export function isBlank(state: FormState): boolean {
  return Object.values(state.values).every((v) => (Array.isArray(v) ? v.length === 0 : !v));
}

// ---- Sharing: the request as base64url JSON in the address's hash (never sent to the server) ----

function toBase64Url(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(text: string): string {
  const b64 = text.replace(/-/g, '+').replace(/_/g, '/') + '==='.slice((text.length + 3) % 4);
  const bin = atob(b64);
  return new TextDecoder().decode(Uint8Array.from(bin, (c) => c.charCodeAt(0)));
}

interface Shared {
  profile: Record<string, unknown>;
  districts?: District[];
  asOf?: string;
  includeExpired?: boolean;
}

export function encodeShare(req: MatchRequest): string {
  const shared: Shared = { profile: req.profile };
  if (req.districts?.length) shared.districts = req.districts;
  if (req.asOf) shared.asOf = req.asOf;
  if (req.includeExpired === false) shared.includeExpired = false;
  return toBase64Url(JSON.stringify(shared));
}

/** The form a `#p=…` hash describes, or null when there is none or it cannot be read. */
export function decodeShare(hash: string, labels: Labels): FormState | null {
  const m = /(?:^#|&)p=([A-Za-z0-9_-]+)/.exec(hash);
  if (!m) return null;
  try {
    const shared = JSON.parse(fromBase64Url(m[1])) as Shared;
    if (!shared || typeof shared.profile !== 'object' || shared.profile === null) return null;
    return {
      values: fromProfile(shared.profile, labels),
      asOf: typeof shared.asOf === 'string' ? shared.asOf : '',
      districts: Array.isArray(shared.districts) ? shared.districts.filter((d): d is District => ['xuhui', 'jingan', 'qingpu'].includes(d)) : [],
      includeExpired: shared.includeExpired !== false,
    };
  } catch {
    return null;
  }
}

export function shareHash(req: MatchRequest): string {
  return `#p=${encodeShare(req)}`;
}

// ---- The draft kept in this browser ----

const DRAFT_KEY = 'matcher.draft.v1';

export function loadDraft(): FormState | null {
  try {
    const raw = localStorage.getItem(DRAFT_KEY);
    if (!raw) return null;
    const d = JSON.parse(raw) as Partial<FormState>;
    if (!d || typeof d.values !== 'object' || d.values === null) return null;
    return { ...EMPTY_FORM, ...d, values: d.values, districts: Array.isArray(d.districts) ? d.districts : [] };
  } catch {
    return null;
  }
}

export function saveDraft(state: FormState): void {
  try {
    if (isBlank(state)) localStorage.removeItem(DRAFT_KEY);
    else localStorage.setItem(DRAFT_KEY, JSON.stringify(state));
  } catch {
    /* storage full or off: the form still works */
  }
}

// ---- Errors: problem+json field paths → form fields ----

/** "profile.sectors[2]" → "sectors"; "profile.metrics.employees" → "metrics.employees"; "asOf" → "asOf". */
export function fieldOfPath(path: string): string {
  let p = path.replace(/^profile\.?/, '');
  p = p.replace(/\[\d+\].*$/, '');
  if (p === '' || p === 'location') return path.startsWith('profile') ? (p === 'location' ? 'location.district' : 'profile') : path;
  const extended = /^additional([A-Z])(\w*)$/.exec(p);
  if (extended) return extended[1].toLowerCase() + extended[2];
  if (/^districts/.test(p)) return 'districts';
  return p;
}

/** The field id an input carries, so an error summary can link to it. */
export function inputId(key: string): string {
  return `f-${key.replace(/[^A-Za-z0-9]+/g, '-')}`;
}

export function errorsByField(errors: FieldError[]): Map<string, FieldError[]> {
  const map = new Map<string, FieldError[]>();
  for (const e of errors) {
    const key = fieldOfPath(e.path);
    map.set(key, [...(map.get(key) ?? []), e]);
  }
  return map;
}

// ---- Adding a fact from a near miss or a question ----

export interface FactChange {
  state: FormState;
  /** The profile field changed (the fact itself or its extension field). */
  field: string;
  changed: boolean;
}

export function hasFact(state: FormState, labels: Labels, fact: string, code: string): boolean {
  const field = labels.storageField(fact, code);
  const v = state.values[field];
  return Array.isArray(v) ? v.includes(code) : v === code;
}

/** Can this code be added as it stands? An area must lie in the district of registration. */
export function canAdd(state: FormState, labels: Labels, fact: string, code: string): boolean {
  const field = labels.field(labels.storageField(fact, code));
  if (!field || !field.codes?.some((c) => c.code === code)) return false;
  if (fact === 'location.district') return false;
  if (fact === 'location.area') return code.startsWith(`${textOf(state.values, 'location.district')}/`);
  return true;
}

export function addFact(state: FormState, labels: Labels, fact: string, code: string): FactChange {
  const field = labels.storageField(fact, code);
  const kind = labels.field(field)?.kind;
  const values = { ...state.values };
  let changed = false;
  if (kind === 'codes') {
    const list = listOf(values, field);
    if (!list.includes(code)) {
      values[field] = [...list, code];
      changed = true;
    }
  } else if (kind === 'code') {
    if (values[field] !== code) {
      values[field] = code;
      changed = true;
    }
  }
  return { state: { ...state, values }, field, changed };
}
