/** A job past its deadline (422) or its memory (413): says which, and the limit. */
export class WorkLimitError extends Error {
  constructor(
    message: string,
    readonly status: 413 | 422,
    readonly limit: number,
  ) {
    super(message);
  }
}
