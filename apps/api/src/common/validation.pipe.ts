import { ValidationPipe, type ValidationError } from '@nestjs/common';
import type { FieldError } from '@matcher/catalog';
import { invalidRequest } from './problem';

function flatten(errors: ValidationError[], prefix: string, out: FieldError[]): FieldError[] {
  for (const e of errors) {
    const path = /^\d+$/.test(e.property) ? `${prefix}[${e.property}]` : prefix ? `${prefix}.${e.property}` : e.property;
    for (const [rule, message] of Object.entries(e.constraints ?? {})) {
      out.push({ path, message: rule === 'whitelistValidation' ? 'is not a known field' : message.replace(/^\S+ /, '') });
    }
    if (e.children?.length) flatten(e.children, path, out);
  }
  return out;
}

/** class-validator on every DTO: unknown fields rejected, errors reported per field path. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    forbidUnknownValues: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => invalidRequest(flatten(errors, '', [])),
  });
}
