import { ArgumentsHost, Catch, HttpException, HttpStatus, Logger, type ExceptionFilter } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { Lang } from '@matcher/catalog';
import { plainText } from './internal-error';
import { PROBLEM_CONTENT_TYPE, titleFor, type Problem } from './problem';

/** The language a problem is written in: the request's `lang` (query or body), else Accept-Language, else Chinese. */
export function langOf(req: Request): Lang {
  const given = (req.query as Record<string, unknown> | undefined)?.lang ?? (req.body as Record<string, unknown> | undefined)?.lang;
  if (given === 'en' || given === 'zh') return given;
  const accept = req.headers?.['accept-language'];
  return typeof accept === 'string' && /^\s*en\b/i.test(accept) ? 'en' : 'zh';
}

/**
 * A runtime or library text that reached a problem (a JavaScript error, zlib, the XML parser) becomes a plain
 * sentence in the user's language: the last line of defence behind the readers' own wording.
 */
export function plainProblem(problem: Problem, lang: Lang): Problem {
  if (typeof problem.detail === 'string') problem.detail = plainText(problem.detail, lang);
  if (Array.isArray(problem.errors)) problem.errors = problem.errors.map((e) => ({ ...e, message: plainText(String(e.message), lang) }));
  return problem;
}

/**
 * An error body stays small whatever the input: at most this many field errors and 32 KB of them, each path and
 * message cut short (a message may name a list's allowed codes, ~5 KB for sectors, once), and the detail too.
 */
export const MAX_PROBLEM_ERRORS = 50;
const MAX_ERRORS_CHARS = 32_000;
const MAX_PATH = 300;
const MAX_MESSAGE = 8000;
const MAX_DETAIL = 1000;

const cut = (text: string, max: number): string => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

export function capProblem(problem: Problem): Problem {
  if (typeof problem.detail === 'string') problem.detail = cut(problem.detail, MAX_DETAIL);
  if (Array.isArray(problem.errors)) {
    const all = problem.errors;
    const kept: typeof all = [];
    let chars = 0;
    for (const e of all) {
      if (kept.length === MAX_PROBLEM_ERRORS) break;
      const error = { path: cut(String(e.path), MAX_PATH), message: cut(String(e.message), MAX_MESSAGE) };
      chars += error.path.length + error.message.length;
      if (chars > MAX_ERRORS_CHARS && kept.length > 0) break;
      kept.push(error);
    }
    problem.errors = kept;
    if (all.length > kept.length) problem.errorsOmitted = all.length - kept.length;
  }
  return problem;
}

interface BodyParserError {
  type?: string;
  status?: number;
  limit?: number;
}

/**
 * Every error leaves as application/problem+json. Body-parser failures (malformed JSON, too large) become
 * 400/413; anything unexpected is logged and answered with a bare 500 — no stack, SQL or path leaks out.
 */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const res = http.getResponse<Response>();
    const req = http.getRequest<Request>();
    const problem = capProblem(plainProblem(this.toProblem(exception), langOf(req)));
    problem.instance = req.originalUrl?.split('?')[0];
    if (problem.status >= 500) this.logger.error(exception instanceof Error ? exception.stack : String(exception));
    if (res.headersSent) return;
    res.status(problem.status).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(problem));
  }

  private toProblem(exception: unknown): Problem {
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const body = exception.getResponse();
      if (typeof body === 'object' && body !== null && 'type' in body && 'status' in body) return { ...(body as Problem) };
      const message = typeof body === 'string' ? body : (body as { message?: unknown }).message;
      return {
        type: 'about:blank',
        title: titleFor(status),
        status,
        // eslint-disable-next-line @typescript-eslint/no-base-to-string -- whatever a thrown HttpException carried, shown as String() always did
        detail: Array.isArray(message) ? message.join('; ') : String(message ?? titleFor(status)),
      };
    }
    const parser = exception as BodyParserError;
    if (parser?.type === 'entity.parse.failed') {
      return {
        type: 'about:blank#malformed-json',
        title: titleFor(400),
        status: 400,
        detail: 'The request body is not valid JSON.',
        errors: [{ path: '', message: 'is not valid JSON' }],
      };
    }
    if (parser?.type === 'entity.too.large') {
      return {
        type: 'about:blank#body-too-large',
        title: titleFor(413),
        status: 413,
        detail: `The request body exceeds the limit of ${parser.limit ?? '?'} bytes.`,
        limit: parser.limit,
      };
    }
    if (parser?.type === 'encoding.unsupported' || parser?.type === 'charset.unsupported') {
      return { type: 'about:blank', title: titleFor(415), status: 415, detail: 'Unsupported body encoding or charset.' };
    }
    if (typeof parser?.status === 'number' && parser.status >= 400 && parser.status < 500) {
      return { type: 'about:blank', title: titleFor(parser.status), status: parser.status, detail: 'The request body could not be read.' };
    }
    return {
      type: 'about:blank',
      title: titleFor(HttpStatus.INTERNAL_SERVER_ERROR),
      status: HttpStatus.INTERNAL_SERVER_ERROR,
      detail: 'An unexpected error occurred.',
    };
  }
}
