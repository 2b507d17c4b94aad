import { ValidateIf } from 'class-validator';

/** Absent is fine; `null` is not a value of any of our fields, so it is validated (and refused). */
export const Optional = (): PropertyDecorator => ValidateIf((_object: object, value: unknown) => value !== undefined);
