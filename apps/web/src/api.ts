/** The API under /api/v1, same origin. Errors are RFC 9457 problem details with field paths. */

export type Lang = 'zh' | 'en';
export type District = 'xuhui' | 'jingan' | 'qingpu';
export type Status = 'in-force' | 'expired' | 'not-yet-in-force' | 'term-unknown';

export interface FieldError {
  path: string;
  message: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail: string,
    readonly errors: FieldError[],
  ) {
    super(detail || title || `HTTP ${status}`);
  }
}

export interface CodeLabel {
  code: string;
  zh: string;
  en: string;
  parent?: string;
  extension?: true;
  children?: string[];
  /** Everyday names (the catalog's synonym table): 生物医药, 高企, 民企… */
  synonyms?: string[];
}

export interface TaxonomyField {
  key: string;
  kind: 'code' | 'codes' | 'number';
  section: string;
  zh: string;
  en: string;
  hintZh: string;
  hintEn: string;
  unit?: { zh: string; en: string };
  codes?: CodeLabel[];
}

export interface Taxonomy {
  profileVersion: string;
  fields: TaxonomyField[];
  districts: District[];
  supportTypes: CodeLabel[];
  statuses: CodeLabel[];
}

export interface Department {
  id: string;
  name: string;
  fullName?: string;
  nameEn: string;
  source: 'document' | 'inferred';
}

export interface MeasureSource {
  documentId: string;
  documentTitle: string;
  documentTitleEn?: string;
  issuer: string;
  issuedOn: string;
  section: string;
  sectionPath?: string[];
  quote: string;
}

export interface Words {
  zh: string;
  en: string;
}

export interface HeldCondition extends Words {
  condition: string;
  fact: string;
  values: unknown[];
}

export interface PrecisionFields {
  /** The text asks more than the profile can say: the company checks `precisionNote` itself. */
  precision?: 'broad';
  precisionNote?: string;
  precisionNoteEn?: string;
}

/** Match result v1 (+ specificity, factsUsed); the summary and full department names are on the measure page. */
export interface MeasureResult extends PrecisionFields {
  measureId: string;
  district: District;
  title: string;
  titleEn: string;
  departments: { name: string; nameEn: string; source: 'document' | 'inferred' }[];
  source: { documentId: string; documentTitle: string; issuer: string; issuedOn: string | null; section: string; quote: string };
  supportType: string[];
  status: Status;
  validFrom: string | null;
  validTo: string | null;
  scenario: 'current-location' | 'relocation';
  specificity: 'targeted' | 'general';
  explanation: HeldCondition[];
  factsUsed: number;
  /** How to apply, when the measure says (optional; the shipped measures carry none). */
  application?: ApplicationDetails;
  /** For an expired measure: the measures that succeed it. */
  successors?: { measureId: string; title: string; titleEn: string; validFrom: string | null; validTo: string | null }[];
}

export interface ApplicationDetails {
  opens?: string;
  closes?: string;
  amount?: { min?: number; max?: number; note?: string; noteEn?: string };
  automatic?: boolean;
  channel?: { kind: 'online' | 'office'; name: string; nameEn?: string; url?: string; address?: string };
  contact?: string;
}

export interface MissingFact extends Words {
  fact: string;
  satisfiedBy: unknown[];
}

export interface FailedCondition extends Words {
  condition: string;
  fact: string;
  profileValue: unknown;
  satisfiedBy: unknown;
  detailNeeded: boolean;
}

/** Lean: departments, summary and source quote of a near miss are on its measure page. */
export interface NearMiss
  extends
    Pick<MeasureResult, 'measureId' | 'district' | 'title' | 'titleEn' | 'status' | 'validTo' | 'scenario' | 'specificity' | 'factsUsed'>,
    PrecisionFields {
  reason: 'needs-info' | 'one-change';
  missing: MissingFact[];
  failed: FailedCondition[];
}

/** A district priority that names the company: nothing to apply for, but the district wants it. */
export interface PriorityResult {
  measureId: string;
  district: District;
  title: string;
  titleEn: string;
  section: string;
  quote: string;
  documentId: string;
  status: Status;
  validFrom: string | null;
  validTo: string | null;
  scenario: 'current-location' | 'relocation';
  names: HeldCondition[];
}

export interface Question extends Words {
  fact: string;
  decides: number;
  measureIds: string[];
  options: { value: unknown; measures: number }[];
}

export interface StatusCounts {
  total: number;
  inForce: number;
  termUnknown: number;
  notYetInForce: number;
  expired: number;
}

export interface MatchSummary {
  matches: StatusCounts;
  targeted: number;
  general: number;
  nearMisses: { total: number; needsInfo: number; oneChange: number };
  priorities: number;
  lastInForce: string | null;
  headline: Words;
  questionsNote: Words | null;
}

export interface MatchResponse {
  rulesetVersion: string;
  evaluationId?: string;
  asOf: string;
  districts: District[];
  matches: MeasureResult[];
  priorities: PriorityResult[];
  nearMisses: NearMiss[];
  nearMissesTotal: number;
  questions: Question[];
  summary: MatchSummary;
}

export interface CompareDistrict {
  district: District;
  scenario: 'current-location' | 'relocation';
  counts: { matches: number; inForce: number; termUnknown: number; expired: number; targeted: number; general: number; nearMisses: number; priorities: number };
  bySupportType: { supportType: string; measures: number; inForce: number }[];
  byDepartment: { departmentId: string; name: string; nameEn: string; measures: { measureId: string; title: string; titleEn: string; status: Status }[] }[];
  onlyHere: { measureId: string; title: string; titleEn: string; status: Status; uniqueFacts: string[] }[];
  sectorPriorities: { measureId: string; title: string; titleEn: string; section: string; names: HeldCondition[] }[];
}

export interface CompareResponse {
  asOf: string;
  districts: CompareDistrict[];
  verdict: Words;
}

export interface MeasureRecord {
  id: string;
  district: District;
  title: string;
  titleEn: string;
  summary: string;
  summaryEn: string;
  departments: Department[];
  source: MeasureSource;
  supportType: string[];
  /** `measure`: something to receive, use or apply for; `priority`: what the district plans to develop or attract. */
  kind: 'measure' | 'priority';
  /** `broad`: the text asks more than the profile can express; the note says what to check. */
  precision?: 'broad';
  precisionNote?: string;
  precisionNoteEn?: string;
  sectors?: string[];
  facts?: string[];
  specificity?: string;
  validity?: { basis?: string; validFrom?: string | null; validTo?: string | null };
  status: Status;
  asOf: string;
}

export interface RuleWords extends Words {
  name: string;
  kind: 'condition' | 'all' | 'any' | 'not';
  fact?: string;
  children?: RuleWords[];
}

export interface MeasureDetail extends MeasureRecord {
  rule: RuleWords;
  sourceParagraph: { before: string; quote: string; after: string } | null;
  /** [start, end) of the quote in the document's full text. */
  quoteRange: [number, number] | null;
}

export interface MeasureList {
  total: number;
  limit: number;
  offset: number;
  asOf: string;
  items: MeasureRecord[];
}

export interface DepartmentInfo {
  id: string;
  district: District;
  name: string;
  fullName: string;
  nameEn: string;
  measures: { total: number; document: number; inferred: number };
}

export interface DocumentDetail {
  id: string;
  district: District;
  title: string;
  titleEn: string;
  issuer: string;
  issuerEn?: string;
  issuedOn: string;
  reference: string | null;
  term: string;
  termEn?: string;
  validFrom: string | null;
  validTo: string | null;
  fullText: string;
  measures: { id: string; title: string; titleEn: string }[];
}

export interface Officer {
  id: string;
  name: string;
  role: 'officer' | 'admin';
}

export type ScreeningState = 'queued' | 'running' | 'paused' | 'completed' | 'failed' | 'cancelled';

export interface ScreeningSummary {
  id: string;
  name: string;
  state: ScreeningState;
  rowsTotal: number | null;
  rowsDone: number;
  rowsFailed: number;
  createdAt: string;
  finishedAt: string | null;
  currentRun?: number;
}

export interface Screening extends ScreeningSummary {
  rowErrors: { row: number; errors: (FieldError & { column?: string })[] }[];
  columns?: { mapped?: { field: string; header: string }[]; ignored?: (string | { header?: string })[] };
  warnings?: (string | { message?: string })[];
  runs: { run: number; rulesetVersion: string; startedAt: string; finishedAt: string | null; state: string }[];
}

export interface ScreeningResultRow {
  row: number;
  name: string;
  uscc?: string | null;
  district: District;
  scenario: 'current-location' | 'relocation';
  matchCount: number;
  inForceCount: number;
  measures: { measureId: string; title: string; titleEn: string; status: Status; departments: (Department | string)[] }[];
}

/** A code offered for a cell value: its field and labels. */
export interface CodeChoice {
  field: string;
  code: string;
  zh: string;
  en: string;
}

/** POST /screenings/preview: what an upload would read, before anything is screened. */
export interface ImportPreview {
  format: string;
  encoding?: string;
  columns: { index: number; header: string; field: string | null; source: 'recognised' | 'mapping' | 'unknown' | 'ignored'; suggestions: string[] }[];
  sampleRows: { row: number; cells: unknown[] }[];
  rowsTotal: number;
  rowsValid: number;
  rowsFailed: number;
  values: {
    column: string;
    field: string;
    value: string;
    reason: 'unknown-value' | 'ambiguous-value';
    message: string;
    candidates: CodeChoice[];
    rows: number[];
    count: number;
  }[];
  rowErrors: { row: number; errors: (FieldError & { column?: string })[] }[];
  errors: FieldError[];
  fields: { key: string; kind: string; zh: string; en: string }[];
}

export interface ScreeningResults {
  total: number;
  limit: number;
  offset: number;
  items: ScreeningResultRow[];
}

export interface ScreeningChanges {
  fromRun: number;
  toRun: number;
  fromRulesetVersion: string;
  toRulesetVersion: string;
  items: { row: number; name: string; district: District; gained: string[]; lost: string[] }[];
}

export const API = '/api/v1';

async function problemOf(res: Response): Promise<ApiError> {
  let body: { title?: string; detail?: string; errors?: FieldError[] } = {};
  try {
    body = (await res.json()) as typeof body;
  } catch {
    /* not JSON */
  }
  return new ApiError(res.status, body.title ?? res.statusText, body.detail ?? '', Array.isArray(body.errors) ? body.errors : []);
}

export async function request<T>(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
  const init: RequestInit = { method, credentials: 'same-origin', signal, headers: { accept: 'application/json' } };
  if (body instanceof FormData) init.body = body;
  else if (body !== undefined) {
    init.body = JSON.stringify(body);
    init.headers = { ...init.headers, 'content-type': 'application/json' };
  }
  let res: Response;
  try {
    res = await fetch(API + path, init);
  } catch (err) {
    if ((err as Error).name === 'AbortError') throw err;
    throw new ApiError(0, 'network', '', []);
  }
  if (!res.ok) throw await problemOf(res);
  if (res.status === 204) return undefined as T;
  return (await res.json()) as T;
}

export const get = <T>(path: string, signal?: AbortSignal): Promise<T> => request<T>('GET', path, undefined, signal);
export const post = <T>(path: string, body?: unknown, signal?: AbortSignal): Promise<T> => request<T>('POST', path, body, signal);
export const del = <T>(path: string): Promise<T> => request<T>('DELETE', path);

export function query(params: Record<string, string | number | undefined | null>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}
