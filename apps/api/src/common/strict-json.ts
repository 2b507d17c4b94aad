import type { NextFunction, Request, RequestHandler, Response } from 'express';
import express from 'express';
import sjson from 'secure-json-parse';
import { overlongLists } from '@matcher/catalog';
import { findNul, NUL_MESSAGE } from './nul';
import { invalidRequest, ProblemException } from './problem';

export const JSON_TYPES = ['application/json', 'application/*+json'];

/**
 * Keys no request field is named and that reach into prototypes when a library copies or inspects objects:
 * `__proto__`, `prototype` and every member of Object.prototype (class-validator's whitelist would take
 * `valueOf` or `toString` for a declared property).
 */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['prototype', ...Object.getOwnPropertyNames(Object.prototype)]);

/** Deeper JSON is refused before anything recursive (validation, transformation) walks it. */
export const MAX_JSON_DEPTH = 64;

/**
 * One pass over the raw text: nesting depth and the first key repeated within one object. Safe on any
 * input (it stops at the end of an unterminated string); the full syntax check is JSON.parse's.
 */
export function scanJson(text: string): { tooDeep: boolean; duplicate: string | null; forbidden: string | null } {
  const stack: (Set<string> | null)[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '{' || c === '[') {
      stack.push(c === '{' ? new Set() : null);
      if (stack.length > MAX_JSON_DEPTH) return { tooDeep: true, duplicate: null, forbidden: null };
    } else if (c === '}' || c === ']') stack.pop();
    else if (c === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      if (j >= text.length) break;
      const keys = stack[stack.length - 1];
      let k = j + 1;
      while (k < text.length && (text[k] === ' ' || text[k] === '\n' || text[k] === '\r' || text[k] === '\t')) k++;
      if (keys && text[k] === ':') {
        let key: string;
        try {
          key = JSON.parse(text.slice(i, j + 1)) as string;
        } catch {
          break; // invalid escape: JSON.parse reports the syntax error
        }
        if (FORBIDDEN_KEYS.has(key)) return { tooDeep: false, duplicate: null, forbidden: key };
        if (keys.has(key)) return { tooDeep: false, duplicate: key, forbidden: null };
        keys.add(key);
      }
      i = j;
    }
  }
  return { tooDeep: false, duplicate: null, forbidden: null };
}

function reject(detail: string, message: string): ProblemException {
  return new ProblemException({ type: 'about:blank#malformed-json', status: 400, detail, errors: [{ path: '', message }] });
}

const SURROGATE_ESCAPE = /\\u[dD][89a-fA-F][0-9a-fA-F]{2}/;

/**
 * Parses a JSON body strictly: excessive nesting, syntax errors, `__proto__`/`constructor` keys (prototype pollution), repeated
 * keys (which JSON.parse would silently collapse) and ill-formed Unicode (lone surrogates) are all 400.
 */
export function parseStrictJson(text: string): unknown {
  const { tooDeep, duplicate, forbidden } = scanJson(text);
  if (tooDeep) throw reject(`The request body nests deeper than ${MAX_JSON_DEPTH} levels.`, `nests deeper than ${MAX_JSON_DEPTH} levels`);
  if (forbidden !== null) throw reject(`The request body uses the forbidden key "${forbidden}".`, `uses the forbidden key "${forbidden}"`);
  let value: unknown;
  try {
    // The body was decoded from UTF-8, so a lone surrogate can only come from a \uD8xx–\uDFxx escape: the
    // per-value check (a reviver call for every value) runs only when the text has one.
    const reviver = SURROGATE_ESCAPE.test(text)
      ? (key: string, v: unknown) => {
          if (!key.isWellFormed() || (typeof v === 'string' && !v.isWellFormed())) throw new TypeError('ill-formed Unicode (a lone surrogate)');
          return v;
        }
      : undefined;
    value = sjson.parse(text, reviver, { protoAction: 'error', constructorAction: 'error' });
  } catch (err) {
    const why =
      err instanceof TypeError
        ? err.message
        : err instanceof SyntaxError && /prototype|constructor/i.test(err.message)
          ? 'uses a forbidden key (__proto__ or constructor)'
          : 'is not valid JSON';
    throw reject(`The request body ${why.startsWith('ill') ? `contains ${why}` : why}.`, why.startsWith('ill') ? `contains ${why}` : why);
  }
  if (typeof value !== 'object' || value === null) throw reject('The request body must be a JSON object or array.', 'must be a JSON object or array');
  if (duplicate !== null) throw reject(`The request body repeats the key "${duplicate}".`, `repeats the key "${duplicate}"`);
  // Only an escaped NUL can be in the text (a raw control character is a syntax error); walk only then.
  const nulAt = text.includes('\\u0000') ? findNul(value) : null;
  if (nulAt !== null) throw nulProblem(nulAt);
  return value;
}

/** express.text for JSON media types, then the strict parse. */
export function strictJsonBody(limit: string): RequestHandler[] {
  return [
    express.text({ type: JSON_TYPES, limit, defaultCharset: 'utf-8' }),
    (req: Request, _res: Response, next: NextFunction) => {
      if (typeof req.body !== 'string') return next();
      try {
        req.body = parseStrictJson(req.body);
        // A single profile's lists are bounded before the DTO is transformed and validated (both walk every item).
        const profile = (req.body as { profile?: unknown }).profile;
        const tooLong = overlongLists(profile);
        if (tooLong.length) throw invalidRequest(tooLong, 'The company profile is not valid; see errors for each field.');
        next();
      } catch (err) {
        next(err);
      }
    },
  ];
}

export function nulProblem(path: string): ProblemException {
  return new ProblemException({
    type: 'about:blank#nul-character',
    status: 422,
    detail: `${path || 'The request'} contains the NUL character (U+0000), which no field accepts.`,
    errors: [{ path, message: NUL_MESSAGE }],
  });
}

/** Query strings get the same rule; a NUL anywhere in the path or query (%00) is refused before routing. */
export function rejectForbiddenQueryKeys(req: Request, _res: Response, next: NextFunction): void {
  if (/%00/.test(req.originalUrl)) {
    const [path, query = ''] = req.originalUrl.split('?', 2);
    const name = /%00/.test(path) ? 'path' : (/(?:^|&)([^=&]*)=?[^&]*%00/.exec(query)?.[1] ?? 'query');
    return next(nulProblem(decodeURIComponentSafe(name).replaceAll('\u0000', '\\u0000')));
  }
  const key = Object.keys(req.query ?? {}).find((k) => FORBIDDEN_KEYS.has(k));
  if (key === undefined) return next();
  next(
    new ProblemException({
      type: 'about:blank#invalid-request',
      status: 400,
      detail: `The query parameter "${key}" is not allowed.`,
      errors: [{ path: key, message: 'is not a known query parameter' }],
    }),
  );
}

function decodeURIComponentSafe(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
