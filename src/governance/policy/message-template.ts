/**
 * Rule messages: text with CEL expressions in double braces, compiled and type-checked with the
 * rule, so a message can show what was observed:
 *   "Selection-rate ratio {{ evidence.fairness.minDemographicParityRatio }} is below {{ params.minDisparateImpactRatio }}"
 * A value that is absent renders as "(absent)". There is no escaping: write {{ "{{" }} for braces.
 */
import type { Environment } from '@marcbachmann/cel-js';
import { renderCelValue } from './cel-values';
import { compileExpression, type CompiledExpression, type ExpressionProblem } from './rule-expression';

export interface CompiledTemplate {
  source: string;
  parts: Array<string | CompiledExpression>;
}

export type TemplateResult = { ok: true; template: CompiledTemplate } | { ok: false; problems: ExpressionProblem[] };

export function compileTemplate(env: Environment, source: string): TemplateResult {
  const parts: CompiledTemplate['parts'] = [];
  const problems: ExpressionProblem[] = [];
  let position = 0;
  while (position < source.length) {
    const open = source.indexOf('{{', position);
    if (open === -1) {
      parts.push(source.slice(position));
      break;
    }
    if (open > position) parts.push(source.slice(position, open));
    const close = source.indexOf('}}', open + 2);
    if (close === -1) {
      problems.push({ offset: open, message: 'message template: "{{" is not closed by "}}"' });
      break;
    }
    const inner = source.slice(open + 2, close);
    const lead = inner.length - inner.trimStart().length;
    if (inner.trim() === '') problems.push({ offset: open, message: 'message template: empty {{ }}' });
    else {
      const compiled = compileExpression(env, inner.trim(), 'any');
      if (compiled.ok) parts.push(compiled.expression);
      else problems.push({ offset: open + 2 + lead + compiled.problem.offset, message: `message template: ${compiled.problem.message}` });
    }
    position = close + 2;
  }
  return problems.length ? { ok: false, problems } : { ok: true, template: { source, parts } };
}

export function renderTemplate(template: CompiledTemplate, context: Record<string, unknown>): string {
  let text = '';
  for (const part of template.parts) {
    if (typeof part === 'string') {
      text += part;
      continue;
    }
    try {
      text += renderCelValue(part.evaluate(context));
    } catch (error) {
      text += (error as { code?: string }).code === 'no_such_key' ? '(absent)' : '(error)';
    }
  }
  return text;
}
