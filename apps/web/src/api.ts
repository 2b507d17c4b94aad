/**
 * The API under /api/v1, same origin. Errors are RFC 9457 problem details with field paths. The request and
 * response types are the server's own, from the API contract (libs/contracts); the names the pages use are
 * re-exported here.
 */
import type { FieldError } from '@matcher/contracts';

export type {
  ApplicationDetails,
  CompareResponse,
  CreatedDraft,
  DraftChanged,
  DraftDocument,
  DraftEdit,
  DraftEditRecord,
  DraftFinding,
  DraftImpact,
  DraftMeasure,
  DraftView,
  MeasureFields,
  Rebased,
  RulesetDiff,
  ScreeningImpact,
  VersionPreview,
  VersionSummary,
  ExpiryItem,
  ExpiryResponse,
  VersionList,
  DistrictComparison,
  District,
  DocumentDetail,
  FailedCondition,
  FieldError,
  HeldCondition,
  ImportPreview,
  Lang,
  MatchResponse,
  MatchSummary,
  MeasureDetail,
  MeasureList,
  MissingFact,
  Officer,
  Question,
  RuleWords,
  ScreeningChanges,
  ScreeningResultRow,
  ScreeningResults,
  ScreeningState,
  ScreeningSummary,
  StatusCounts,
  Taxonomy,
  TaxonomyField,
  Words,
  HealthReport,
} from '@matcher/contracts';
// The names the pages knew these by.
export type {
  MeasureStatus as Status,
  TaxonomyCode as CodeLabel,
  MeasureDepartment as Department,
  MeasureItem as MeasureRecord,
  DepartmentSummary as DepartmentInfo,
  MatchedMeasure as MeasureResult,
  NearMissResult as NearMiss,
  PriorityMatch as PriorityResult,
  ScreeningDetail as Screening,
} from '@matcher/contracts';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail: string,
    readonly errors: FieldError[],
    /** The whole problem body, for its extension members (a 409's `changes`…). */
    readonly body: Record<string, unknown> = {},
  ) {
    super(detail || title || `HTTP ${status}`);
  }
}

export const API = '/api/v1';

async function problemOf(res: Response): Promise<ApiError> {
  let body: { title?: string; detail?: string; errors?: FieldError[]; [extension: string]: unknown } = {};
  try {
    body = (await res.json()) as typeof body;
  } catch {
    /* not JSON */
  }
  return new ApiError(res.status, body.title ?? res.statusText, body.detail ?? '', Array.isArray(body.errors) ? body.errors : [], body);
}

/** A request guarded by a revision (If-Match): the answer with the ETag it carries. */
export async function withRevision<T>(method: string, path: string, etag: string | null, body?: unknown): Promise<{ body: T; etag: string | null }> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (etag) headers['if-match'] = etag;
  if (body !== undefined) headers['content-type'] = 'application/json';
  let res: Response;
  try {
    res = await fetch(API + path, { method, credentials: 'same-origin', headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
  } catch {
    throw new ApiError(0, 'network', '', []);
  }
  if (!res.ok) throw await problemOf(res);
  return { body: (await res.json()) as T, etag: res.headers.get('etag') };
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
