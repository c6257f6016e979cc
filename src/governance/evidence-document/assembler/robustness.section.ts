/**
 * `robustness`: the latest `robustness.assessed` record of the version's model, on one metric.
 * The report measures accuracy and ROC AUC under every condition; the document carries accuracy
 * (ROC AUC when accuracy is undefined at baseline). A condition's drop is baseline − value, the
 * negated `delta` of the report; maxDrop is the largest defined drop (null when none is).
 */
import type { RobustnessCondition, RobustnessSection } from '../evidence-document';
import type { MetricChange, RobustnessReport } from '../../../pipeline/evaluation';
import { readRecord } from './assembly.error';
import type { RobustnessAssessedBody } from './producer-bodies';
import type { RecordSet } from './record-set';

type RobustnessMetric = keyof RobustnessReport['baseline'];

const drop = (change: MetricChange): number | null => (change.delta === null ? null : change.delta === 0 ? 0 : -change.delta);

export function robustnessSection(current: RecordSet, runId: string): RobustnessSection | null {
  const record = current.latest<RobustnessAssessedBody>('robustness.assessed', runId);
  if (!record) return null;
  return readRecord(record, () => {
    const { report, split } = record.body;
    const metric: RobustnessMetric = report.baseline.accuracy.value === null && report.baseline.rocAuc.value !== null ? 'rocAuc' : 'accuracy';
    const conditions: RobustnessCondition[] = [
      ...report.noise.map((c) => ({ kind: 'noise' as const, sigma: c.sigma, column: null, value: c[metric].value, drop: drop(c[metric]) })),
      ...report.masking.map((c) => ({ kind: 'masking' as const, sigma: null, column: c.column, value: c[metric].value, drop: drop(c[metric]) })),
    ];
    const drops = conditions.flatMap((c) => (c.drop === null ? [] : [c.drop]));
    return {
      datasetVersionId: split.versionId,
      metric,
      baseline: report.baseline[metric].value,
      conditions,
      maxDrop: drops.length > 0 ? Math.max(...drops) : null,
    };
  });
}
