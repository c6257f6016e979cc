/**
 * Pack parameters: the thresholds a pack's rules compare against, declared with a type and a
 * default in pack.yaml and set per organisation. Rules read them as `params.<name>`, so no
 * threshold is a literal buried in an expression.
 */

export const PARAMETER_TYPES = ['int', 'double', 'string', 'bool', 'list<string>', 'list<int>', 'list<double>'] as const;
export type ParameterType = (typeof PARAMETER_TYPES)[number];

export type ParameterValue = number | string | boolean | number[] | string[];

export interface ParameterDeclaration {
  type: ParameterType;
  default: ParameterValue;
  description: string;
  /** Numeric types (and their lists' items) only. */
  minimum?: number;
  maximum?: number;
}

function scalarProblem(type: 'int' | 'double' | 'string' | 'bool', value: unknown): string | null {
  switch (type) {
    case 'int':
      return typeof value === 'number' && Number.isSafeInteger(value) ? null : 'must be an integer';
    case 'double':
      return typeof value === 'number' && Number.isFinite(value) ? null : 'must be a finite number';
    case 'string':
      return typeof value === 'string' ? null : 'must be a string';
    case 'bool':
      return typeof value === 'boolean' ? null : 'must be true or false';
  }
}

/** Why `value` is not a valid value of the declared parameter, or null. */
export function parameterValueProblem(declaration: Pick<ParameterDeclaration, 'type' | 'minimum' | 'maximum'>, value: unknown): string | null {
  const list = /^list<(\w+)>$/.exec(declaration.type);
  const itemType = (list ? list[1] : declaration.type) as 'int' | 'double' | 'string' | 'bool';
  const items = list ? value : [value];
  if (!Array.isArray(items)) return `must be a list (${declaration.type})`;
  for (const [index, item] of items.entries()) {
    const problem = scalarProblem(itemType, item);
    const at = list ? `item ${index} ` : '';
    if (problem) return `${at}${problem}`;
    if (typeof item === 'number' && declaration.minimum !== undefined && item < declaration.minimum) return `${at}must be ≥ ${declaration.minimum}`;
    if (typeof item === 'number' && declaration.maximum !== undefined && item > declaration.maximum) return `${at}must be ≤ ${declaration.maximum}`;
  }
  return null;
}

/**
 * The effective values: every declared parameter's default, overridden by the organisation's
 * values. Returns the values and the problems (unknown names, wrong types).
 */
export function resolveParameterValues(
  declarations: Record<string, ParameterDeclaration>,
  overrides: Record<string, unknown> = {},
): { values: Record<string, ParameterValue>; problems: Array<{ name: string; message: string }> } {
  const values: Record<string, ParameterValue> = {};
  const problems: Array<{ name: string; message: string }> = [];
  for (const name of Object.keys(overrides)) {
    if (!Object.hasOwn(declarations, name)) problems.push({ name, message: 'is not a parameter of this pack' });
  }
  for (const [name, declaration] of Object.entries(declarations)) {
    const value = Object.hasOwn(overrides, name) ? overrides[name] : declaration.default;
    const problem = parameterValueProblem(declaration, value);
    if (problem) problems.push({ name, message: problem });
    else values[name] = structuredClone(value) as ParameterValue;
  }
  return { values, problems };
}
