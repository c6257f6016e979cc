/**
 * Annex IV(2)(g), validation and testing: the procedure and data (held-out split, bootstrap
 * intervals, dated test log), the metrics with confidence intervals, results per group
 * (potentially discriminatory impacts) and robustness under perturbation.
 */
import type { FairnessAttributeSet } from '../../../evidence-document/evidence-document';
import type { AnnexIvCell, AnnexIvItem } from '../annex-iv-document';
import { count, fixed, jsonText, list, metricCell, percent, UNDEFINED_VALUE } from '../annex-iv-format';
import { fact, facts, filledItem, gapItem, paragraph, partGap, table } from '../annex-iv-items';
import { asArray, asNumber, asRecord, asString, at, cite, type DossierEvidence } from '../dossier-evidence';
import { datasetLabel, metricsTable } from './shared-statements';

const TEST_KINDS = ['evaluation.completed', 'fairness.assessed', 'robustness.assessed', 'explanation.generated'];

export function testingItems(evidence: DossierEvidence): AnnexIvItem[] {
  return [proceduresItem(evidence), metricsItem(evidence), groupsItem(evidence), robustnessItem(evidence)];
}

function proceduresItem(evidence: DossierEvidence): AnnexIvItem {
  const { evaluation, training, datasets } = evidence.document;
  const title = 'Validation and testing procedures and data';
  if (evaluation === null) return gapItem('iv-2-g-procedures', 'Annex IV(2)(g)', title, 'No evaluation on held-out test data is recorded.');
  const record = evidence.latestRunRecord('evaluation.completed');
  const test = datasets.find((dataset) => dataset.versionId === evaluation.datasetVersionId);
  const validation = datasets.find((dataset) => dataset.role === 'validation');
  const split = evidence
    .records('dataset.transformed', (body) => asArray(body.outputs).some((output) => at(output, 'versionId') === evaluation.datasetVersionId))
    .at(-1);
  const bootstrap = at(record?.body, 'evaluation.bootstrap');
  const matrix = at(record?.body, 'evaluation.confusionMatrix');
  const cell = (name: string) => asNumber(at(matrix, name));
  const positives = asNumber(at(record?.body, 'evaluation.positives'));
  const negatives = asNumber(at(record?.body, 'evaluation.negatives'));
  const log = evidence.dossier.records.filter((r) => TEST_KINDS.includes(r.kind));
  const weightsEpoch = asNumber(at(evidence.latestRunRecord('training.completed')?.body, 'epochs.weightsEpoch'));
  return filledItem(
    'iv-2-g-procedures',
    'Annex IV(2)(g)',
    title,
    [
      facts([
        fact('Test data', test === undefined ? evaluation.datasetVersionId : `${datasetLabel(test)}, table digest ${test.tableDigest}`),
        fact('Test rows', { value: evaluation.rows, text: count(evaluation.rows) }),
        fact('Class balance of the test data', positives === null || negatives === null ? null : `${count(positives)} positive, ${count(negatives)} negative`),
        fact(
          'Held out by',
          split === undefined ? null : `transformation ${asString(split.body.transformationId) ?? ''} (${jsonText(at(split.body, 'spec'), 200)})`,
        ),
        fact(
          'Validation data',
          validation === undefined || training?.validationDatasetVersionId !== validation.versionId
            ? null
            : `${datasetLabel(validation)}: loss measured after every epoch${weightsEpoch === null ? '' : `; weights kept from epoch ${weightsEpoch}`}`,
        ),
        fact(
          'Confidence intervals',
          bootstrap === undefined
            ? null
            : `${asString(at(bootstrap, 'method')) ?? '?'} bootstrap, ${count(asNumber(at(bootstrap, 'resamples')) ?? 0)} resamples, level ${percent(asNumber(at(bootstrap, 'level')) ?? 0)}, seed ${jsonText(at(bootstrap, 'seed'), 40)}, resampling ${asString(at(bootstrap, 'sampling')) ?? '?'}`,
        ),
        fact(
          'Confusion matrix at the decision threshold',
          cell('tp') === null ? null : `TP ${count(cell('tp') ?? 0)}, FP ${count(cell('fp') ?? 0)}, TN ${count(cell('tn') ?? 0)}, FN ${count(cell('fn') ?? 0)}`,
        ),
      ]),
      table(
        'Test log (dated evidence records)',
        ['Recorded at', 'Record', 'Actor', 'Ledger index', 'Digest'],
        log.map((r): AnnexIvCell[] => [r.createdAt, r.kind, `${r.actor.type} ${r.actor.id}`, count(r.ledgerIndex), r.digest]),
      ),
      partGap(
        'Test reports signed by the responsible persons',
        'Each test record is dated, names the actor (a user or the worker) and is signed through the evidence ledger, not by a responsible person; the provider signs the test reports.',
      ),
    ],
    cite(record, split),
  );
}

function metricsItem(evidence: DossierEvidence): AnnexIvItem {
  const { evaluation } = evidence.document;
  const title = 'Metrics with confidence intervals';
  if (evaluation === null)
    return gapItem('iv-2-g-metrics', 'Annex IV(2)(g)', title, 'No evaluation on held-out test data is recorded: there are no test metrics.');
  return filledItem('iv-2-g-metrics', 'Annex IV(2)(g)', title, [metricsTable(evaluation)], cite(evidence.latestRunRecord('evaluation.completed')));
}

/** `0.508 [0.385, 0.631]` from a `{value, ci}` estimate of the fairness record, else the point value. */
function estimateCell(point: number | null, estimate: unknown): AnnexIvCell {
  if (point === null) return UNDEFINED_VALUE;
  const lower = asNumber(at(estimate, 'ci.lower'));
  const upper = asNumber(at(estimate, 'ci.upper'));
  return { value: point, text: lower === null || upper === null ? fixed(point) : `${fixed(point)} [${fixed(lower)}, ${fixed(upper)}]` };
}

function sameValues(a: unknown, b: readonly string[]): boolean {
  const values = asArray(a);
  return values.length === b.length && values.every((value, index) => value === b[index]);
}

function groupRows(set: FairnessAttributeSet, recorded: unknown): AnnexIvCell[][] {
  return set.groups.map((group): AnnexIvCell[] => {
    const detail = asArray(at(recorded, 'groups')).find((g) => sameValues(at(g, 'values'), group.values));
    return [
      group.values.join(' × '),
      { value: group.size, text: count(group.size) },
      estimateCell(group.selectionRate, at(detail, 'selectionRate')),
      estimateCell(group.truePositiveRate, at(detail, 'truePositiveRate')),
      estimateCell(group.falsePositiveRate, at(detail, 'falsePositiveRate')),
      group.tooSmallToJudge ? 'too small to judge' : 'judged',
    ];
  });
}

function groupsItem(evidence: DossierEvidence): AnnexIvItem {
  const { fairness, evaluation } = evidence.document;
  const slices = evaluation?.slices ?? [];
  const title = 'Results per group: potentially discriminatory impacts';
  if (fairness === null && slices.length === 0) {
    return gapItem('iv-2-g-groups', 'Annex IV(2)(g)', title, 'No fairness assessment and no per-group evaluation is recorded.');
  }
  const record = evidence.latestRunRecord('fairness.assessed');
  const recordedSets = asArray(at(record?.body, 'assessment.attributeSets'));
  const setBlocks = (fairness?.attributeSets ?? []).map((set) =>
    table(
      `Groups of ${set.attributes.join(' × ')} (${set.kind}) on the test data, value [95% interval where recorded]`,
      ['Group', 'Size', 'Selection rate', 'True-positive rate', 'False-positive rate', 'Judged'],
      groupRows(
        set,
        recordedSets.find((recorded) => sameValues(at(recorded, 'attributes'), set.attributes)),
      ),
    ),
  );
  const summaryRows = (fairness?.attributeSets ?? []).map((set): AnnexIvCell[] => {
    const recorded = recordedSets.find((r) => sameValues(at(r, 'attributes'), set.attributes));
    return [
      set.attributes.join(' × '),
      estimateCell(set.demographicParityRatio, at(recorded, 'demographicParityRatio')),
      estimateCell(set.demographicParityDifference, at(recorded, 'demographicParityDifference')),
      estimateCell(set.equalOpportunityDifference, at(recorded, 'equalOpportunityDifference')),
      estimateCell(set.equalizedOddsDifference, at(recorded, 'equalizedOddsDifference')),
      set.fourFifthsPass === null ? 'undetermined' : set.fourFifthsPass ? 'passes' : 'fails',
      set.adverselyImpactedGroups.length === 0 ? 'none' : set.adverselyImpactedGroups.map((group) => group.join(' × ')).join('; '),
    ];
  });
  const metricNames = [...new Set(slices.flatMap((slice) => slice.metrics.map((metric) => metric.name)))];
  const sliceRows = slices.map((slice): AnnexIvCell[] => [
    `${slice.attribute} = ${slice.value}`,
    { value: slice.rows, text: count(slice.rows) },
    ...metricNames.map((name) => metricCell(slice.metrics.find((metric) => metric.name === name)?.value)),
  ]);
  const preTraining = fairness?.preTraining ?? [];
  return filledItem(
    'iv-2-g-groups',
    'Annex IV(2)(g)',
    title,
    [
      fairness === null
        ? null
        : facts([
            fact('Test data', fairness.datasetVersionId),
            fact('Smallest group judged', `${count(fairness.minGroupSize)} rows`),
            fact('Four-fifths threshold (29 CFR § 1607.4(D))', fixed(fairness.fourFifthsThreshold, 2)),
          ]),
      table(
        'Fairness by attribute set, value [95% interval where recorded]',
        [
          'Attributes',
          'Demographic parity ratio',
          'Demographic parity difference',
          'Equal opportunity difference',
          'Equalized odds difference',
          'Four-fifths rule',
          'Adversely impacted groups',
        ],
        summaryRows,
      ),
      ...setBlocks,
      table('Metrics per group (evaluation slices)', ['Group', 'Rows', ...metricNames], sliceRows),
      table(
        'Label balance of the training data before training',
        ['Attributes', 'Positive-rate ratio', 'Positive-rate difference'],
        preTraining.map((entry): AnnexIvCell[] => [
          entry.attributes.join(' × '),
          metricCell(entry.positiveRateRatio),
          metricCell(entry.positiveRateDifference),
        ]),
      ),
    ],
    cite(record, slices.length > 0 ? evidence.latestRunRecord('evaluation.completed') : undefined),
  );
}

function robustnessItem(evidence: DossierEvidence): AnnexIvItem {
  const { robustness } = evidence.document;
  const title = 'Robustness under perturbation';
  if (robustness === null) return gapItem('iv-2-g-robustness', 'Annex IV(2)(g)', title, 'No robustness assessment is recorded.');
  const rows = robustness.conditions.map((condition): AnnexIvCell[] => [
    condition.kind === 'noise'
      ? `Gaussian noise, σ = ${condition.sigma ?? '?'} (standardised inputs)`
      : `Column ${condition.column ?? '?'} masked by its training mean`,
    metricCell(condition.value),
    metricCell(condition.drop),
  ]);
  const record = evidence.latestRunRecord('robustness.assessed');
  const worst = robustness.conditions.filter((condition) => condition.drop !== null && condition.drop === robustness.maxDrop);
  return filledItem(
    'iv-2-g-robustness',
    'Annex IV(2)(g)',
    title,
    [
      facts([
        fact('Metric', robustness.metric),
        fact('Baseline on the test data', metricCell(robustness.baseline)),
        fact('Largest drop', metricCell(robustness.maxDrop)),
        fact(
          'Condition of the largest drop',
          worst.length === 0
            ? null
            : list(worst.map((condition) => (condition.kind === 'noise' ? `noise σ = ${condition.sigma ?? '?'}` : `${condition.column ?? '?'} masked`))),
        ),
      ]),
      table(`${robustness.metric} under each condition (drop = baseline − value)`, ['Condition', 'Value', 'Drop'], rows),
      asRecord(record?.body) === null
        ? null
        : paragraph(`Seed ${jsonText(at(record?.body, 'report.seed'), 40)}; the full report, with ROC AUC under each condition, is in the robustness record.`),
    ],
    cite(record),
  );
}
