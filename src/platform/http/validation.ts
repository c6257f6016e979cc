import { ValidationPipe, type ArgumentMetadata, type PipeTransform, type ValidationError } from '@nestjs/common';
import { AssayException } from '../errors/assay.exception';

const POISONED_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

function findPoisonedKey(value: unknown, path: string, depth = 0): string | null {
  if (value === null || typeof value !== 'object' || depth > 64) return null;
  for (const key of Object.keys(value)) {
    if (POISONED_KEYS.has(key)) return path ? `${path}.${key}` : key;
    const found = findPoisonedKey((value as Record<string, unknown>)[key], path ? `${path}.${key}` : key, depth + 1);
    if (found) return found;
  }
  return null;
}

/**
 * Refuses bodies and queries with prototype-pollution keys before anything copies them
 * (class-transformer would otherwise assign `__proto__`).
 */
export class RejectPrototypeKeysPipe implements PipeTransform {
  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    if (metadata.type !== 'body' && metadata.type !== 'query') return value;
    const key = findPoisonedKey(value, '');
    if (key) throw new AssayException('FORBIDDEN_FIELD', `Field "${key}" is not allowed`, { field: key });
    return value;
  }
}

interface FieldProblem {
  field: string;
  problems: string[];
}

function flatten(errors: ValidationError[], parent = ''): FieldProblem[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = error.constraints ? [{ field, problems: Object.values(error.constraints) }] : [];
    return [...own, ...flatten(error.children ?? [], field)];
  });
}

/** Strips nothing silently: unknown fields are refused (UNKNOWN_FIELD), invalid ones explained (VALIDATION_FAILED). */
export const createValidationPipe = () =>
  new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => {
      const fields = flatten(errors);
      const unknown = errors.filter((e) => e.constraints && 'whitelistValidation' in e.constraints).map((e) => e.property);
      if (unknown.length > 0) {
        return new AssayException('UNKNOWN_FIELD', `Unknown field(s): ${unknown.join(', ')}`, { fields: unknown });
      }
      return new AssayException('VALIDATION_FAILED', 'The request is invalid', { fields });
    },
  });
