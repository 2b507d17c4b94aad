import { ValidationPipe, type ArgumentMetadata, type ValidationError } from '@nestjs/common';
import { plainToInstance, type ClassConstructor } from 'class-transformer';
import { IsObject, validateSync } from 'class-validator';
import { fieldPath, validateProfile, type FieldError } from '@matcher/catalog';
import { invalidRequest, type ProblemException } from './problem';

/** class-validator's errors as field errors, at paths named as the profile's are (fieldPath). */
export function flatten(errors: ValidationError[], prefix: string, out: FieldError[]): FieldError[] {
  for (const e of errors) {
    const path = fieldPath(prefix, e.property);
    for (const [rule, message] of Object.entries(e.constraints ?? {})) {
      out.push({ path, message: rule === 'whitelistValidation' ? 'is not a known field' : message.replace(/^\S+ /, '') });
    }
    if (e.children?.length) flatten(e.children, path, out);
  }
  return out;
}

/** Per DTO class, its fields that hold a company profile. */
const PROFILE_PROPERTIES = new WeakMap<object, string[]>();

/**
 * A company profile: an object, checked against profile v1 (+ extensions) in the same pass as the rest of the
 * request, so one answer names every error of the body and of the profile (at "profile.…" paths).
 */
export function IsCompanyProfile(): PropertyDecorator {
  const isObject = IsObject();
  return (target, propertyName) => {
    isObject(target, propertyName);
    PROFILE_PROPERTIES.set(target.constructor, [...(PROFILE_PROPERTIES.get(target.constructor) ?? []), String(propertyName)]);
  };
}

const isPlainObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The profile errors of a request body: each @IsCompanyProfile field that is an object, checked (one that is not is IsObject's error). */
function profileErrors(cls: unknown, plain: unknown): FieldError[] {
  const errors: FieldError[] = [];
  if (typeof cls !== 'function' || !isPlainObject(plain)) return errors;
  for (let c: unknown = cls; typeof c === 'function' && c !== Function.prototype; c = Object.getPrototypeOf(c)) {
    for (const name of PROFILE_PROPERTIES.get(c) ?? []) if (isPlainObject(plain[name])) errors.push(...validateProfile(plain[name], name).errors);
  }
  return errors;
}

/** Every error of a request at once: the body's fields first, then its profile's. */
function requestProblem(fields: FieldError[], profile: FieldError[]): ProblemException {
  if (fields.length) return invalidRequest([...fields, ...profile]);
  return invalidRequest(profile, 'The company profile is not valid; see errors for each field.');
}

/** class-validator's verdict on the body, handed from the exception factory to `transform`. */
class FieldErrors {
  constructor(readonly errors: FieldError[]) {}
}

/** class-validator on every DTO (unknown fields rejected) and profile v1 on its profile, all errors reported per field path. */
class RequestValidationPipe extends ValidationPipe {
  constructor() {
    super({
      whitelist: true,
      forbidNonWhitelisted: true,
      transform: true,
      forbidUnknownValues: true,
      validationError: { target: false, value: false },
      exceptionFactory: (errors) => new FieldErrors(flatten(errors, '', [])),
    });
  }

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const profile = metadata.type === 'body' ? profileErrors(metadata.metatype, value) : [];
    let out: unknown;
    try {
      out = await super.transform(value, metadata);
    } catch (err) {
      if (err instanceof FieldErrors) throw requestProblem(err.errors, profile);
      throw err;
    }
    if (profile.length) throw requestProblem([], profile);
    return out;
  }
}

export function createValidationPipe(): ValidationPipe {
  return new RequestValidationPipe();
}

/** The pipe's checks for a body read by hand (routes that also accept a stream). */
export function validateDto<T extends object>(cls: ClassConstructor<T>, plain: unknown): T {
  if (!isPlainObject(plain)) throw invalidRequest([{ path: '', message: 'must be a JSON object' }]);
  const dto = plainToInstance(cls, plain);
  const fields = flatten(validateSync(dto, { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: true }), '', []);
  const profile = profileErrors(cls, plain);
  if (fields.length || profile.length) throw requestProblem(fields, profile);
  return dto;
}
