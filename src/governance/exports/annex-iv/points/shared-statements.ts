/**
 * Statements several Annex IV points make from the same evidence (the test metrics, the model's
 * inputs, the oversight measures), built once so every point shows the same values.
 */
import type { DatasetEvidence, EvaluationSection } from '../../../evidence-document/evidence-document';
import type { DossierRecord } from '../../dossier/model-dossier';
import type { AnnexIvBlock, AnnexIvCell, AnnexIvFact } from '../annex-iv-document';
import { count, metricCell, metricName, percent, yesNo } from '../annex-iv-format';
import { fact, facts, partGapIf, table } from '../annex-iv-items';
import { asArray, asNumber, asRecord, asString, at, type DossierEvidence } from '../dossier-evidence';

/** Test metrics with their confidence intervals, exactly as the evidence document has them. */
export function metricsTable(evaluation: EvaluationSection): AnnexIvBlock | null {
  const rows = evaluation.metrics.map((metric): AnnexIvCell[] => [
    metricName(metric.name),
    metricCell(metric.value),
    metric.ci === null ? 'no interval' : metricCell(metric.ci.lower),
    metric.ci === null ? 'no interval' : metricCell(metric.ci.upper),
    metric.ci === null
      ? '—'
      : `${percent(metric.ci.level)}, ${metric.ci.method}${metric.ci.resamples === null ? '' : `, ${count(metric.ci.resamples)} resamples`}`,
  ]);
  return table(`Metrics on the held-out test data (${count(evaluation.rows)} rows)`, ['Metric', 'Value', 'CI lower', 'CI upper', 'Interval'], rows);
}

export function datasetLabel(dataset: Pick<DatasetEvidence, 'name' | 'version' | 'role'>): string {
  return `${dataset.name} v${dataset.version} (${dataset.role})`;
}

/** The `dataset_version.registered` record of the training data. */
export function trainingDatasetRecord(evidence: DossierEvidence): DossierRecord | undefined {
  const training = evidence.document.datasets.find((dataset) => dataset.role === 'training');
  return training === undefined ? undefined : evidence.bySubject('dataset_version.registered', training.versionId).at(-1);
}

/** The label column the run trained on: the training spec's, else the training datasheet's. */
export function labelColumn(evidence: DossierEvidence): string | null {
  const requested = evidence.latestRunRecord('training.requested') ?? evidence.latestRunRecord('training.completed');
  const fromSpec = asString(at(requested?.body, 'spec.preprocessing.label'));
  if (fromSpec !== null) return fromSpec;
  return evidence.document.datasets.find((dataset) => dataset.role === 'training')?.datasheet?.labelColumn ?? null;
}

export interface InputColumn {
  name: string;
  type: string;
  missing: number | null;
}

/** Columns of the training data (its registered schema and profile), the label excluded. */
export function inputColumns(evidence: DossierEvidence): InputColumn[] {
  const record = trainingDatasetRecord(evidence);
  if (record === undefined) return [];
  const label = labelColumn(evidence);
  const profile = new Map(
    asArray(at(record.body, 'profile.columns')).map((column) => [asString(at(column, 'name')) ?? '', asNumber(at(column, 'missing'))] as const),
  );
  return asArray(record.body.columns)
    .map((column) => ({ name: asString(at(column, 'name')) ?? '', type: asString(at(column, 'type')) ?? 'unknown' }))
    .filter((column) => column.name !== '' && column.name !== label)
    .map((column) => ({ ...column, missing: profile.get(column.name) ?? null }));
}

/** Oversight measures: the evidence document's, else the ones declared on the model since (registry). */
export function oversightMeasures(evidence: DossierEvidence): { measures: string[]; fromRegistry: boolean } {
  const documented = evidence.document.humanOversight?.measures ?? [];
  if (documented.length > 0) return { measures: documented, fromRegistry: false };
  return { measures: evidence.dossier.registration.oversightMeasures, fromRegistry: evidence.dossier.registration.oversightMeasures.length > 0 };
}

export function stopProcedure(evidence: DossierEvidence): { procedure: string | null; fromRegistry: boolean } {
  const documented = evidence.document.humanOversight?.stopProcedure ?? null;
  if (documented !== null) return { procedure: documented, fromRegistry: false };
  const registered = evidence.dossier.registration.stopProcedure;
  return { procedure: registered, fromRegistry: registered !== null };
}

const REGISTRY_NOTE = ' (declared on the registered model, read from the registry at export; not in the evidence document the decision read)';

/**
 * Oversight and interpretation facts (Art. 13(3)(d), Art. 14); with `withGaps`, part gaps for what
 * is not declared (stated once, in Annex IV(2)(e), not in every point that repeats the facts).
 */
export function oversightBlocks(evidence: DossierEvidence, withGaps: boolean): AnnexIvBlock[] {
  const oversight = evidence.document.humanOversight;
  const { measures, fromRegistry } = oversightMeasures(evidence);
  const stop = stopProcedure(evidence);
  const explanations = evidence.document.explanations;
  const rows: Array<AnnexIvFact | null> = [
    fact(`Oversight measures${fromRegistry ? REGISTRY_NOTE : ''}`, measures.length === 0 ? null : measures.join(' · ')),
    fact(`Stop procedure (Art. 14(4)(e))${stop.fromRegistry ? REGISTRY_NOTE : ''}`, stop.procedure),
    fact('Human approval before promotion', oversight === null ? null : `${yesNo(oversight.approvalRequired)} (by a person other than the requester)`),
    fact('Promotion requested by', oversight === null ? null : `${oversight.requestedBy.role} ${oversight.requestedBy.id} at ${oversight.requestedAt}`),
    fact('Request rationale', oversight?.rationale ?? null),
    fact(
      'Global explanation',
      explanations?.global
        ? `${explanations.global.method}: ${explanations.global.features
            .slice(0, 5)
            .map((feature) => feature.name)
            .join(', ')}${explanations.global.features.length > 5 ? ', …' : ''} (most important first)`
        : null,
    ),
    fact(
      'Local explanations',
      explanations && explanations.local.length > 0
        ? explanations.local.map((local) => `${local.method} (${count(local.examples)} examples)`).join(', ')
        : null,
    ),
    fact('Explanation of a single prediction on request when serving', explanations ? yesNo(explanations.onRequest) : null),
  ];
  return [
    facts(rows),
    partGapIf(
      withGaps && measures.length === 0,
      'Human oversight measures (Art. 14(3))',
      'No oversight measure is declared for the model, in the evidence or in the registry.',
    ),
    partGapIf(withGaps && stop.procedure === null, 'Stop procedure (Art. 14(4)(e))', 'No procedure to interrupt the system is declared.'),
  ].filter((block): block is AnnexIvBlock => block !== null);
}

/** Sources of the oversight statements: the records of the explanations. */
export function oversightSources(evidence: DossierEvidence): DossierRecord[] {
  return evidence.runRecords('explanation.generated');
}

/** `Loan origination system (collected directly)`. */
export function sourceText(source: { name: string; kind: string }): string {
  return `${source.name} (${source.kind.replace(/_/g, ' ')})`;
}

/** Reads `{value}` or a number at `path` of a record body. */
export function valueAt(body: unknown, path: string): number | null {
  const found = at(body, path);
  return asNumber(found) ?? asNumber(asRecord(found)?.value);
}
