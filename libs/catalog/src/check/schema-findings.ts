import Ajv2020, { type ErrorObject, type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';

/** One Ajv for the check's schemas: every error, strict, dates checked. */
export function checkAjv(): Ajv2020 {
  const ajv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false, allowUnionTypes: true });
  addFormats(ajv, ['date']);
  return ajv;
}

/** "/3/event/params" → "[3].event.params". */
export function pointerPath(pointer: string): string {
  return pointer.replace(/\/(\d+)(?=\/|$)/g, '[$1]').replace(/\//g, '.');
}

export interface SchemaError {
  /** JSON pointer of the offending value. */
  pointer: string;
  /** "must NOT have additional properties 'sourc'" */
  message: string;
}

/** Ajv's errors, each once, worded with the offending key or the allowed values. */
export function schemaErrors(validate: ValidateFunction, data: unknown): SchemaError[] {
  if (validate(data)) return [];
  const seen = new Set<string>();
  const out: SchemaError[] = [];
  for (const e of (validate.errors ?? []).filter((x: ErrorObject) => x.keyword !== 'if')) {
    const detail =
      e.keyword === 'additionalProperties'
        ? ` '${String(e.params.additionalProperty)}'`
        : e.keyword === 'enum'
          ? `: ${(e.params.allowedValues as unknown[]).join(', ')}`
          : '';
    const error = { pointer: e.instancePath, message: `${e.message ?? 'is invalid'}${detail}` };
    const key = `${error.pointer} ${error.message}`;
    if (!seen.has(key)) {
      out.push(error);
      seen.add(key);
    }
  }
  return out;
}

/** Ajv errors as "rules[3].event.params.sourc: must NOT have additional properties 'sourc'". */
export function schemaFindings(validate: ValidateFunction, data: unknown, label: (pointer: string) => string): string[] {
  return [...new Set(schemaErrors(validate, data).map((e) => `${label(e.pointer)}: ${e.message}`))];
}
