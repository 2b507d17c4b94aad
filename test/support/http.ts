import type { Response } from 'supertest';

/** What must never reach a client: a stack frame, a source path, SQL or a database error. */
const LEAKS: [string, RegExp][] = [
  ['a stack trace', / {4}at /],
  ['a file path', /\/work\/|node_modules|\.ts:\d+/],
  [
    'SQL',
    /\bSELECT\b.{0,300}?\bFROM\s+"?\w|\bINSERT INTO\s+"?\w|\bDELETE FROM\s+"?\w|\bUPDATE\s+"?\w+"?\s+SET\b|QueryFailedError|violates .{0,60}constraint|syntax error at or near|relation "[^"]+" does not exist/,
  ],
];

/** "POST /api/v1/match", for messages. */
function requestOf(res: Response): string {
  const req = (res as unknown as { req?: { method?: string; path?: string } }).req;
  return `${req?.method ?? '?'} ${req?.path ?? '?'}`;
}

/** Asserts a response is not a server error and carries nothing internal; returns it for chaining. */
export function expectNoLeak(res: Response): Response {
  if (res.status >= 500) throw new Error(`${res.status} from ${requestOf(res)}: ${res.text.slice(0, 500)}`);
  for (const [what, pattern] of LEAKS) {
    if (pattern.test(res.text ?? '')) throw new Error(`response of ${requestOf(res)} contains ${what}: ${res.text.slice(0, 500)}`);
  }
  return res;
}

export interface FieldError {
  path: string;
  message: string;
}

/**
 * Asserts an RFC 9457 problem response: the status, `application/problem+json`, a type, title and the status in
 * the body, and no leak. With `path`, also an `errors` entry at that field path (its message matching `message`).
 */
export function expectProblem(res: Response, status: number, path?: string, message?: RegExp | string): FieldError[] {
  expectNoLeak(res);
  if (res.status !== status) throw new Error(`expected ${status}, got ${res.status}: ${res.text.slice(0, 500)}`);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  const body = JSON.parse(res.text) as { type: unknown; title: unknown; status: unknown; errors?: FieldError[] };
  expect(body).toMatchObject({ status });
  expect(typeof body.type).toBe('string');
  expect(typeof body.title).toBe('string');
  const errors = body.errors ?? [];
  if (path !== undefined) {
    const at = errors.filter((e) => e.path === path);
    if (at.length === 0) throw new Error(`no error at path "${path}" in ${JSON.stringify(errors)}`);
    if (message !== undefined) {
      const matcher = typeof message === 'string' ? message : message.source;
      if (!at.some((e) => (typeof message === 'string' ? e.message.includes(message) : message.test(e.message)))) {
        throw new Error(`no error at "${path}" with message ${matcher} in ${JSON.stringify(at)}`);
      }
    }
  }
  return errors;
}

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
