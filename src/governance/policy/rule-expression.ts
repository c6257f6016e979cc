/**
 * Compiles a rule's CEL once, at load: type-checked against the pack's environment (evidence
 * schema, parameters), with the paths it reads collected for the decision record.
 */
import type { Environment } from '@marcbachmann/cel-js';
import { collectReads, type ReadPath } from './expression-reads';

export interface CompiledExpression {
  source: string;
  evaluate: (context: Record<string, unknown>) => unknown;
  reads: ReadPath[];
}

/** Where in the expression (0-based character offset) and what. */
export interface ExpressionProblem {
  offset: number;
  message: string;
}

export type CompileResult = { ok: true; expression: CompiledExpression } | { ok: false; problem: ExpressionProblem };

interface CelError {
  message: string;
  summary?: string;
  range?: { start: number };
}

const summaryOf = (error: CelError) => error.summary ?? error.message.split('\n')[0] ?? 'invalid expression';

export function compileExpression(env: Environment, source: string, expected: 'bool' | 'any'): CompileResult {
  let checked: ReturnType<Environment['check']>;
  try {
    checked = env.check(source);
  } catch (error) {
    // Structural limits and some parser failures throw instead of returning.
    const e = error as CelError;
    return { ok: false, problem: { offset: e.range?.start ?? 0, message: `CEL: ${summaryOf(e)}` } };
  }
  if (!checked.valid) {
    const error = checked.error as CelError;
    const kind = (error as { name?: string }).name === 'ParseError' ? 'CEL syntax error' : 'CEL type error';
    return { ok: false, problem: { offset: error.range?.start ?? 0, message: `${kind}: ${summaryOf(error)}` } };
  }
  if (expected === 'bool' && checked.type !== 'bool') {
    return { ok: false, problem: { offset: 0, message: `CEL type error: must be a bool expression, this one is ${checked.type}` } };
  }
  const parsed = env.parse(source);
  return { ok: true, expression: { source, evaluate: (context) => parsed(context) as unknown, reads: collectReads(parsed.ast) } };
}
