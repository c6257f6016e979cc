import {
  ValidateIf,
  ValidatorConstraint,
  Validate,
  type ValidationArguments,
  type ValidationOptions,
  type ValidatorConstraintInterface,
} from 'class-validator';
import { countryCodeProblem } from './iso-3166-country';
import { isIsoCalendarDate, isIsoDuration, isOnOrAfter } from './iso-8601';
import { checkSpdxExpression } from './spdx-license-expression';

/**
 * Optional means absent, not null: `@IsOptional()` would let `null` through, which the ledger
 * schema refuses and JCS would record as a value. Absent fields simply are not in the evidence.
 */
export const IsAbsentOrValid = (): PropertyDecorator => ValidateIf((_object, value) => value !== undefined);

/** Runs `problem` on a string or on each string of an array (`each`), reporting the first problem it names. */
abstract class StringConstraint implements ValidatorConstraintInterface {
  protected abstract problem(value: string): string | null;

  validate(value: unknown): boolean {
    return typeof value === 'string' && this.problem(value) === null;
  }

  defaultMessage(args: ValidationArguments): string {
    const value: unknown = args.value;
    const values: unknown[] = Array.isArray(value) ? value : [value];
    const first = values.map((v) => (typeof v === 'string' ? this.problem(v) : 'must be a string')).find((p) => p !== null);
    return `${args.property} ${first ?? 'is invalid'}`;
  }
}

@ValidatorConstraint({ name: 'isSpdxLicenseExpression' })
export class SpdxLicenseExpressionConstraint extends StringConstraint {
  protected problem(value: string): string | null {
    const check = checkSpdxExpression(value);
    return check.valid ? null : check.reason;
  }
}

@ValidatorConstraint({ name: 'isIso3166Alpha2' })
export class Iso3166Alpha2Constraint extends StringConstraint {
  protected problem(value: string): string | null {
    return countryCodeProblem(value);
  }
}

@ValidatorConstraint({ name: 'isIsoDuration' })
export class IsoDurationConstraint extends StringConstraint {
  protected problem(value: string): string | null {
    return isIsoDuration(value) ? null : `must be an ISO 8601 duration such as "P5Y" or "P18M", not "${value}"`;
  }
}

@ValidatorConstraint({ name: 'isIsoCalendarDate' })
export class IsoCalendarDateConstraint extends StringConstraint {
  protected problem(value: string): string | null {
    return isIsoCalendarDate(value) ? null : `must be an ISO 8601 calendar date (YYYY-MM-DD) that exists, not "${value}"`;
  }
}

/** A date that must not precede a sibling date: the end of a period after (or on) its start. */
@ValidatorConstraint({ name: 'isNotBefore' })
export class NotBeforeConstraint implements ValidatorConstraintInterface {
  validate(value: unknown, args: ValidationArguments): boolean {
    const [sibling] = args.constraints as [string];
    const other: unknown = (args.object as Record<string, unknown>)[sibling];
    // Malformed dates are reported by their own validator; only well-formed pairs are compared.
    if (typeof value !== 'string' || typeof other !== 'string' || !isIsoCalendarDate(value) || !isIsoCalendarDate(other)) return true;
    return isOnOrAfter(value, other);
  }

  defaultMessage(args: ValidationArguments): string {
    const [sibling] = args.constraints as [string];
    return `${args.property} must not be before ${sibling}`;
  }
}

export const IsSpdxLicenseExpression = (options?: ValidationOptions) => Validate(SpdxLicenseExpressionConstraint, options);
export const IsIso3166Alpha2 = (options?: ValidationOptions) => Validate(Iso3166Alpha2Constraint, options);
export const IsIsoDuration = (options?: ValidationOptions) => Validate(IsoDurationConstraint, options);
export const IsIsoCalendarDate = (options?: ValidationOptions) => Validate(IsoCalendarDateConstraint, options);
export const IsNotBefore = (sibling: string, options?: ValidationOptions) => Validate(NotBeforeConstraint, [sibling], options);
