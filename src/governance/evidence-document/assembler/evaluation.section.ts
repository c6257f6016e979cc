/**
 * `evaluation`: the latest `evaluation.completed` record of the version's model: every metric on
 * the held-out test split with its bootstrap interval, and each slice the evaluation reports. The
 * positive label of a binary model is its class 1 (`classes[1]`, the score the evaluator reads).
 */
import type { EvaluationSection } from '../evidence-document';
import { readRecord } from './assembly.error';
import { metricValues } from './metric-value';
import type { EvaluationCompletedBody } from './producer-bodies';
import type { RecordSet } from './record-set';

export function evaluationSection(current: RecordSet, runId: string): EvaluationSection | null {
  const record = current.latest<EvaluationCompletedBody>('evaluation.completed', runId);
  if (!record) return null;
  return readRecord(record, () => {
    const { split, classes, evaluation } = record.body;
    return {
      datasetVersionId: split.versionId,
      rows: evaluation.rows,
      positiveLabel: evaluation.task === 'binary' ? (classes[1] ?? null) : null,
      metrics: metricValues(evaluation.metrics),
      slices: evaluation.slices.flatMap((slice) =>
        slice.groups.map((group) => ({ attribute: slice.column, value: group.value, rows: group.rows, metrics: metricValues(group.evaluation.metrics) })),
      ),
    };
  });
}
