/**
 * `explanations` from the `explanation.generated` records of the version's model:
 * - global: the latest permutation importance, by original column, on the first metric it reports
 *   (accuracy for the models Assay trains), each column's mean deterioration as its importance;
 * - local: the examples explained at assessment, per method, with the largest completeness gap
 *   |Σ attributions − (f(x) − f(reference))| of any example: the completeness check of integrated
 *   gradients, the efficiency check of KernelSHAP; saliency maps have no such check (null);
 * - onRequest: an explanation of one prediction was requested and recorded for this model.
 * Null when the model has no explanation record.
 */
import type { ExplanationsSection } from '../evidence-document';
import type { MethodExplanation, PermutationImportanceResult, PredictionExplanation, SaliencyMap } from '../../../pipeline/explainability';
import { readRecord } from './assembly.error';
import type { ExplanationGeneratedBody } from './producer-bodies';
import type { Evidence, RecordSet } from './record-set';

type LocalMethod = ExplanationsSection['local'][number];

function globalImportance(result: PermutationImportanceResult): ExplanationsSection['global'] {
  const primary = result.metrics[0];
  return { method: result.method, features: primary ? primary.columns.map((column) => ({ name: column.column, importance: column.mean })) : [] };
}

const completenessGap = (method: MethodExplanation): number | null =>
  method.method === 'integrated-gradients' ? method.completeness.absoluteError : method.method === 'kernel-shap' ? method.efficiency.absoluteError : null;

/** The methods one example was explained by, with the gap of each. */
function exampleMethods(explanation: PredictionExplanation | SaliencyMap): Array<{ method: string; gap: number | null }> {
  if ('methods' in explanation) return explanation.methods.map((method) => ({ method: method.method, gap: completenessGap(method) }));
  return [{ method: explanation.method, gap: null }];
}

function localMethods(records: readonly Evidence<ExplanationGeneratedBody>[]): LocalMethod[] {
  const methods = new Map<string, LocalMethod>();
  for (const record of records) {
    if (record.body.scope !== 'example') continue;
    const explanation = record.body.explanation;
    for (const { method, gap } of readRecord(record, () => exampleMethods(explanation))) {
      const entry = methods.get(method) ?? { method, examples: 0, maxCompletenessGap: null };
      entry.examples += 1;
      if (gap !== null) entry.maxCompletenessGap = Math.max(entry.maxCompletenessGap ?? 0, gap);
      methods.set(method, entry);
    }
  }
  return [...methods.values()];
}

export function explanationsSection(current: RecordSet, runId: string): ExplanationsSection | null {
  const records = current.all<ExplanationGeneratedBody>('explanation.generated', runId);
  if (records.length === 0) return null;
  const global = records.filter((record) => record.body.scope === 'global').at(-1);
  return {
    global: global?.body.scope === 'global' ? readRecord(global, () => globalImportance(global.body.explanation as PermutationImportanceResult)) : null,
    local: localMethods(records),
    onRequest: records.some((record) => record.body.scope === 'request'),
  };
}
