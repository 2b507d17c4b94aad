import { HttpException, HttpStatus } from '@nestjs/common';
import type { FieldError } from '@matcher/catalog';

/** RFC 9457 problem details, the body of every error response. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  errors?: FieldError[];
  [extension: string]: unknown;
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export function titleFor(status: number): string {
  return TITLES[status] ?? 'Error';
}

/** An error that carries its own problem body (field errors, a specific type). */
export class ProblemException extends HttpException {
  constructor(problem: { type: string; status: number; title?: string; detail?: string; errors?: FieldError[]; [extension: string]: unknown }) {
    super({ ...problem, title: problem.title ?? titleFor(problem.status) }, problem.status);
  }
}

export function invalidRequest(errors: FieldError[], detail = 'The request is not valid; see errors for each field.'): ProblemException {
  return new ProblemException({ type: 'about:blank#invalid-request', status: HttpStatus.BAD_REQUEST, detail, errors });
}
