/**
 * Annex IV point 3: monitoring, functioning and control — capabilities and limitations in
 * performance (overall and per group, against the declared levels), foreseeable unintended
 * outcomes and risks, human oversight, and the specification of the input data.
 */
import type { DeclaredMetric, MetricValue } from '../../../evidence-document/evidence-document';
import type { AnnexIvCell, AnnexIvItem, AnnexIvPoint } from '../annex-iv-document';
import { count, fixed, list, metricCell, metricName, yesNo } from '../annex-iv-format';
import { bullets, fact, facts, filledItem, gapItem, partGap, partGapIf, table } from '../annex-iv-items';
import { cite, citeDecision, stringsAt, type DossierEvidence } from '../dossier-evidence';
import { inputColumns, labelColumn, metricsTable, oversightBlocks, oversightMeasures, oversightSources, trainingDatasetRecord } from './shared-statements';

export function functioningPoint(evidence: DossierEvidence): AnnexIvPoint {
  return {
    number: 3,
    reference: 'Annex IV(3)',
    title: 'Monitoring, functioning and control of the AI system',
    items: [accuracyItem(evidence), groupAccuracyItem(evidence), limitationsItem(evidence), risksItem(evidence), oversightItem(evidence), inputItem(evidence)],
  };
}

function declaredText(level: DeclaredMetric): string {
  return [level.minimum === undefined ? null : `≥ ${level.minimum}`, level.maximum === undefined ? null : `≤ ${level.maximum}`]
    .filter((b) => b !== null)
    .join(' and ');
}

function meets(level: DeclaredMetric, measured: MetricValue | undefined): string {
  if (measured === undefined) return 'not measured';
  if (measured.value === null) return 'undefined on the test data';
  const ok = (level.minimum === undefined || measured.value >= level.minimum) && (level.maximum === undefined || measured.value <= level.maximum);
  return ok ? 'met' : 'not met';
}

function accuracyItem(evidence: DossierEvidence): AnnexIvItem {
  const { evaluation, model } = evidence.document;
  const title = 'Capabilities and expected level of accuracy';
  if (evaluation === null)
    return gapItem('iv-3-accuracy', 'Annex IV(3)', title, 'No evaluation on held-out test data is recorded: the expected accuracy is not evidenced.');
  const rows = model.declaredPerformance.map((level): AnnexIvCell[] => {
    const measured = evaluation.metrics.find((metric) => metric.name === level.metric);
    return [
      metricName(level.metric),
      declaredText(level),
      metricCell(measured?.value),
      measured?.ci ? `[${fixed(measured.ci.lower)}, ${fixed(measured.ci.upper)}]` : '—',
      meets(level, measured),
    ];
  });
  return filledItem(
    'iv-3-accuracy',
    'Annex IV(3)',
    title,
    [
      table('Accuracy levels declared for the model against the test results', ['Metric', 'Declared', 'Measured', '95% interval', 'Declared level'], rows),
      metricsTable(evaluation),
      partGapIf(
        model.declaredPerformance.length === 0,
        'Declared level of accuracy',
        'The model declares no expected level of accuracy (Art. 13(3)(b)(ii), Art. 15(3)); only the measured values are shown.',
      ),
    ],
    cite(evidence.latestRunRecord('evaluation.completed')),
  );
}

function groupAccuracyItem(evidence: DossierEvidence): AnnexIvItem {
  const { evaluation, fairness } = evidence.document;
  const slices = evaluation?.slices ?? [];
  const title = 'Accuracy for specific persons or groups';
  if (slices.length === 0 && fairness === null) {
    return gapItem('iv-3-groups', 'Annex IV(3)', title, 'Neither per-group metrics nor a fairness assessment are recorded.');
  }
  const names = [...new Set(slices.flatMap((slice) => slice.metrics.map((metric) => metric.name)))];
  const rates = (fairness?.attributeSets ?? []).flatMap((set) =>
    set.groups.map((group): AnnexIvCell[] => [
      `${set.attributes.join(' × ')} = ${group.values.join(' × ')}`,
      { value: group.size, text: count(group.size) },
      metricCell(group.truePositiveRate),
      metricCell(group.falsePositiveRate),
      metricCell(group.selectionRate),
    ]),
  );
  return filledItem(
    'iv-3-groups',
    'Annex IV(3)',
    title,
    [
      table(
        'Metrics per group (evaluation slices)',
        ['Group', 'Rows', ...names.map(metricName)],
        slices.map((slice): AnnexIvCell[] => [
          `${slice.attribute} = ${slice.value}`,
          { value: slice.rows, text: count(slice.rows) },
          ...names.map((name) => metricCell(slice.metrics.find((metric) => metric.name === name)?.value)),
        ]),
      ),
      table(
        'Error rates per group (fairness assessment; intervals in Annex IV(2)(g))',
        ['Group', 'Size', 'True-positive rate', 'False-positive rate', 'Selection rate'],
        rates,
      ),
      partGapIf(
        slices.length === 0,
        'Accuracy metrics per group (Art. 13(3)(b)(v))',
        'The evaluation computed no per-group metrics (slices); only the error and selection rates of the fairness assessment are per group.',
      ),
    ],
    cite(evidence.latestRunRecord('fairness.assessed'), slices.length > 0 ? evidence.latestRunRecord('evaluation.completed') : undefined),
  );
}

function limitationsItem(evidence: DossierEvidence): AnnexIvItem {
  const { model, robustness, evaluation } = evidence.document;
  const sheets = [...new Map(evidence.dossier.datasheets.map((sheet) => [sheet.recordDigest, sheet])).values()];
  const fromSheets = (path: 'knownLimitations' | 'knownBiases') => [...new Set(sheets.flatMap((sheet) => stringsAt(sheet.datasheet, `uses.${path}`) ?? []))];
  const dataLimitations = fromSheets('knownLimitations');
  const biases = fromSheets('knownBiases');
  const title = 'Capabilities and limitations in performance';
  if (model.knownLimitations === null && dataLimitations.length === 0 && biases.length === 0 && robustness === null && evaluation === null) {
    return gapItem('iv-3-limitations', 'Annex IV(3)', title, 'No limitation is declared and no test result is recorded.');
  }
  return filledItem(
    'iv-3-limitations',
    'Annex IV(3)',
    title,
    [
      bullets('Known and foreseeable limitations declared for the model', model.knownLimitations ?? []),
      bullets('Known limitations of the training data (datasheets)', dataLimitations),
      bullets('Known biases of the training data (datasheets)', biases),
      facts([
        fact(
          'Size of the test data',
          evaluation === null ? null : `${count(evaluation.rows)} rows: the intervals in Annex IV(2)(g) show the resulting uncertainty`,
        ),
        fact(
          'Largest drop under perturbation',
          robustness === null || robustness.maxDrop === null ? null : `${robustness.metric} ${fixed(robustness.maxDrop)} (see Annex IV(2)(g))`,
        ),
      ]),
      partGapIf(
        model.knownLimitations === null,
        'Known and foreseeable limitations of the model',
        'The model declares no known limitations (Art. 13(3)(b)(iii)).',
      ),
    ],
    [
      ...sheets.map((sheet) => ({ kind: 'datasheet.recorded', digest: sheet.recordDigest })),
      ...cite(evidence.latestRunRecord('evaluation.completed'), evidence.latestRunRecord('robustness.assessed')),
    ],
  );
}

function risksItem(evidence: DossierEvidence): AnnexIvItem {
  const { fairness, privacy, model, membershipInference, datasets } = evidence.document;
  const promotion = evidence.latestPromotion();
  const title = 'Foreseeable unintended outcomes and sources of risk';
  if (fairness === null && privacy === null && promotion === undefined) {
    return gapItem('iv-3-risks', 'Annex IV(3)', title, 'No fairness assessment, personal-data scan or policy decision is recorded.');
  }
  const findings = (promotion?.decision.rules ?? []).filter((rule) => rule.outcome === 'fail' || rule.outcome === 'error' || rule.outcome === 'waived');
  const special = [...new Set(datasets.flatMap((dataset) => dataset.datasheet?.specialCategories ?? []))];
  return filledItem(
    'iv-3-risks',
    'Annex IV(3)',
    title,
    [
      facts([
        fact('Prohibited uses (foreseeable misuse)', model.prohibitedUses.length === 0 ? null : model.prohibitedUses.join(' · ')),
        fact(
          'Disparate impact (four-fifths rule)',
          fairness === null
            ? null
            : fairness.attributeSets
                .map(
                  (set) =>
                    `${set.attributes.join(' × ')}: ratio ${set.demographicParityRatio === null ? 'undefined' : fixed(set.demographicParityRatio)}, ${set.fourFifthsPass === null ? 'undetermined' : set.fourFifthsPass ? 'passes' : 'fails'}`,
                )
                .join('; '),
        ),
        fact(
          'Largest equalized-odds difference',
          fairness === null || fairness.maxEqualizedOddsDifference === null ? null : fixed(fairness.maxEqualizedOddsDifference),
        ),
        fact(
          'Adversely impacted groups',
          fairness === null
            ? null
            : list(fairness.attributeSets.flatMap((set) => set.adverselyImpactedGroups.map((group) => `${set.attributes.join(' × ')} = ${group.join(' × ')}`))),
        ),
        fact('Personal data detected in the data sets', privacy === null ? null : yesNo(privacy.personalDataDetected)),
        fact('Special categories of personal data (datasheets)', datasets.some((dataset) => dataset.datasheet !== null) ? list(special) : null),
        fact(
          'Re-identification risk (k-anonymity)',
          privacy?.kAnonymity
            ? `k = ${count(privacy.kAnonymity.k)} over ${list(privacy.kAnonymity.quasiIdentifiers)}${privacy.kAnonymity.k === 1 ? ': some records are unique on these columns' : ''}`
            : null,
        ),
        fact('Membership-inference advantage', membershipInference ? fixed(membershipInference.advantage) : null),
      ]),
      table(
        'Findings of the latest policy decision (failed, waived or not evaluable rules)',
        ['Rule', 'Severity', 'Outcome', 'Finding'],
        findings.map((rule): AnnexIvCell[] => [`${rule.packId} / ${rule.ruleId}`, rule.severity, rule.outcome, rule.message ?? rule.reason ?? rule.title]),
      ),
      partGap(
        'Risks to health, safety and fundamental rights in view of the intended purpose',
        'Assay evidences the measurements above; the assessment of what they mean for the persons affected is the provider’s.',
      ),
    ],
    [
      ...cite(evidence.latestRunRecord('fairness.assessed')),
      ...(privacy?.scans.map((scan) => ({ kind: 'privacy.scanned', digest: scan.digest })) ?? []),
      ...(promotion ? [citeDecision(promotion)] : []),
    ],
  );
}

function oversightItem(evidence: DossierEvidence): AnnexIvItem {
  const title = 'Human oversight and interpretation of outputs';
  const { measures } = oversightMeasures(evidence);
  if (evidence.document.humanOversight === null && measures.length === 0 && evidence.document.explanations === null) {
    return gapItem('iv-3-oversight', 'Annex IV(3)', title, 'No oversight measure, promotion request or explanation is recorded.');
  }
  return filledItem('iv-3-oversight', 'Annex IV(3)', title, oversightBlocks(evidence, false), cite(...oversightSources(evidence)));
}

function inputItem(evidence: DossierEvidence): AnnexIvItem {
  const columns = inputColumns(evidence);
  const title = 'Specifications on input data';
  if (columns.length === 0) return gapItem('iv-3-input', 'Annex IV(3)', title, 'The schema of the training data is not recorded.');
  const training = evidence.document.datasets.find((dataset) => dataset.role === 'training');
  const sensitive = new Set(training?.datasheet?.sensitiveAttributes ?? []);
  const quasi = new Set(training?.datasheet?.quasiIdentifiers ?? []);
  const rows = columns.map((column): AnnexIvCell[] => [
    column.name,
    column.type,
    column.missing === null ? '—' : { value: column.missing, text: count(column.missing) },
    [sensitive.has(column.name) ? 'sensitive attribute' : null, quasi.has(column.name) ? 'quasi-identifier' : null].filter((t) => t !== null).join(', ') || '—',
  ]);
  return filledItem(
    'iv-3-input',
    'Annex IV(3)',
    title,
    [
      facts([
        fact('Label column (not an input)', labelColumn(evidence)),
        fact('Rows of the training data', training === undefined ? null : { value: training.rows, text: count(training.rows) }),
        fact('Preprocessing fitted on the training data', evidence.document.training?.preprocessingDigest),
      ]),
      table('Input columns as registered for the training data', ['Column', 'Type', 'Missing values in training data', 'Declared as'], rows),
    ],
    cite(trainingDatasetRecord(evidence)),
  );
}
