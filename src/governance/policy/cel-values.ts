/**
 * CEL results back to JSON and to text: for message templates and for checking that `when` and
 * `require` gave a bool. cel-js represents int as BigInt, messages as instances of the generated
 * classes (cel-types.ts) and maps as Map or plain objects.
 */
import type { JsonValue } from './observed-values';

export function celToJson(value: unknown): JsonValue {
  switch (typeof value) {
    case 'bigint':
      return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
    case 'number':
      return Number.isFinite(value) ? value : String(value);
    case 'string':
    case 'boolean':
      return value;
    case 'undefined':
      return null;
    case 'object': {
      if (value === null) return null;
      // By tag rather than instanceof: cel-js may live in another realm (Jest's VM context).
      const tag = Object.prototype.toString.call(value);
      if (Array.isArray(value) || tag === '[object Set]') return [...(value as Iterable<unknown>)].map(celToJson);
      if (tag === '[object Map]') return Object.fromEntries([...(value as Map<unknown, unknown>)].map(([k, v]) => [String(k), celToJson(v)]));
      if (tag === '[object Uint8Array]') return Buffer.from(value as Uint8Array).toString('base64');
      const entries = Object.entries(value as Record<string, unknown>);
      const typeName = (value as { name?: unknown }).name;
      if (entries.length === 0 && typeof typeName === 'string') return `type(${typeName})`; // a CEL type value
      return Object.fromEntries(entries.map(([k, v]) => [k, celToJson(v)]));
    }
    default:
      return String(value);
  }
}

/** Up to six significant digits: enough to see why 0.79 < 0.8, short enough to read. */
function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(6)));
}

export function renderCelValue(value: unknown): string {
  const json = celToJson(value);
  const render = (item: JsonValue): string => {
    if (item === null) return '(absent)';
    if (typeof item === 'number') return formatNumber(item);
    if (typeof item === 'string' || typeof item === 'boolean') return String(item);
    if (Array.isArray(item)) return `[${item.map(render).join(', ')}]`;
    return JSON.stringify(item);
  };
  return render(json);
}
