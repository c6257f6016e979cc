import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional, type ApiPropertyOptions } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsDefined,
  IsIn,
  IsInt,
  IsObject,
  IsString,
  Length,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { IsAbsentOrValid } from './datasheet.validators';
import { EMAIL_PATTERN, HTTP_URL_PATTERN, LIMITS } from './datasheet.vocabulary';

/**
 * Field decorators that bundle the OpenAPI description with the validators. Every property of a
 * datasheet DTO uses one, so each accepted field is whitelisted (the global ValidationPipe runs
 * with forbidNonWhitelisted) and each maps to one fragment of `datasheet.schema.ts`.
 */
export interface FieldOptions {
  optional?: boolean;
  /** Arrays only: at least this many items. */
  minItems?: number;
  api?: ApiPropertyOptions;
}

/** Contains something other than white space. */
export const NOT_BLANK_PATTERN = '\\S';
const NOT_BLANK = new RegExp(NOT_BLANK_PATTERN, 'u');

const presence = (description: string, options: FieldOptions, api: ApiPropertyOptions): PropertyDecorator[] => {
  const documented = { description, ...api, ...(options.minItems ? { minItems: options.minItems } : {}), ...options.api } as ApiPropertyOptions;
  return options.optional ? [ApiPropertyOptional(documented), IsAbsentOrValid()] : [ApiProperty(documented), IsDefined()];
};

const listOf = (options: FieldOptions, each: PropertyDecorator[]): PropertyDecorator[] => [
  IsArray(),
  ArrayMaxSize(LIMITS.listItems),
  ...(options.minItems ? [ArrayMinSize(options.minItems)] : []),
  ...each,
];

const textValidators = (max: number, each = false) => [
  IsString({ each }),
  Length(1, max, { each }),
  Matches(NOT_BLANK, { each, message: '$property must not be blank' }),
];

/** Free text (up to LIMITS.text characters), not blank. */
export const TextField = (description: string, options: FieldOptions = {}) =>
  applyDecorators(...presence(description, options, { type: String, maxLength: LIMITS.text }), ...textValidators(LIMITS.text));

/** A short name: a column, a person or team, an organisation (up to LIMITS.name characters). */
export const NameField = (description: string, options: FieldOptions = {}) =>
  applyDecorators(...presence(description, options, { type: String, maxLength: LIMITS.name }), ...textValidators(LIMITS.name));

/** A list of distinct free-text items; absent means "not answered", [] means "answered: none". */
export const TextListField = (description: string, options: FieldOptions = {}) =>
  applyDecorators(
    ...presence(description, options, { type: [String], maxItems: LIMITS.listItems, uniqueItems: true }),
    ...listOf(options, [ArrayUnique(), ...textValidators(LIMITS.text, true)]),
  );

/** A list of distinct column names. */
export const ColumnListField = (description: string, options: FieldOptions = {}) =>
  applyDecorators(
    ...presence(description, options, { type: [String], uniqueItems: true }),
    IsArray(),
    ArrayMaxSize(LIMITS.columns),
    ArrayUnique(),
    ...textValidators(LIMITS.name, true),
  );

export const EnumField = (values: readonly string[], enumName: string, description: string, options: FieldOptions = {}) =>
  applyDecorators(...presence(description, options, { enum: [...values], enumName }), IsIn([...values]));

export const EnumListField = (values: readonly string[], enumName: string, description: string, options: FieldOptions = {}) =>
  applyDecorators(
    ...presence(description, options, { enum: [...values], enumName, isArray: true, uniqueItems: true }),
    ...listOf(options, [ArrayUnique(), IsIn([...values], { each: true })]),
  );

export const BooleanField = (description: string, options: FieldOptions = {}) =>
  applyDecorators(...presence(description, options, { type: Boolean }), IsBoolean());

export const CountField = (description: string, options: FieldOptions = {}) =>
  applyDecorators(
    ...presence(description, options, { type: 'integer', minimum: 0, maximum: Number.MAX_SAFE_INTEGER }),
    IsInt(),
    Min(0),
    Max(Number.MAX_SAFE_INTEGER),
  );

/** A string checked by a custom validator (SPDX, ISO 3166, ISO 8601), plus a pattern or format for OpenAPI. */
export const FormattedField = (description: string, validators: PropertyDecorator[], options: FieldOptions = {}) =>
  applyDecorators(...presence(description, options, { type: String }), IsString(), ...validators);

/**
 * @nestjs/swagger recognises a lazy type only by the function's name being "type", which an
 * arrow function gets from an object key, not from a parameter: hence the re-wrapping.
 */
const lazyType = (type: () => new () => object): ApiPropertyOptions => ({ type: () => type() });

/** One nested section or record: an object (never an array of them), validated as its class. */
export const NestedField = (type: () => new () => object, description: string, options: FieldOptions = {}) =>
  applyDecorators(...presence(description, options, lazyType(type)), IsObject(), ValidateNested(), Type(type));

/** A list of nested records, each an object validated as its class. */
export const NestedListField = (type: () => new () => object, description: string, options: FieldOptions = {}) =>
  applyDecorators(
    ...presence(description, options, { ...lazyType(type), isArray: true }),
    ...listOf(options, [IsObject({ each: true }), ValidateNested({ each: true }), Type(type)]),
  );

export const URL_MAX_LENGTH = 2000;
export const EMAIL_MAX_LENGTH = 254;

/** An http(s) URL, always optional. */
export const UrlField = (description: string) =>
  applyDecorators(
    ...presence(description, { optional: true }, { type: String, format: 'uri', pattern: HTTP_URL_PATTERN, maxLength: URL_MAX_LENGTH }),
    IsString(),
    Length(1, URL_MAX_LENGTH),
    Matches(new RegExp(HTTP_URL_PATTERN, 'u'), { message: '$property must be an http(s) URL' }),
  );

/** An e-mail address (RFC 5321 §4.5.3.1.3 path limit), always optional. */
export const EmailField = (description: string) =>
  applyDecorators(
    ...presence(description, { optional: true }, { type: String, format: 'email', pattern: EMAIL_PATTERN, maxLength: EMAIL_MAX_LENGTH }),
    IsString(),
    Length(1, EMAIL_MAX_LENGTH),
    Matches(new RegExp(EMAIL_PATTERN, 'u'), { message: '$property must be an e-mail address' }),
  );
