/**
 * Annex IV point 2, the elements of the system and how it was built: development steps (a),
 * design specifications (b), architecture and computational resources (c), human oversight (e),
 * pre-determined changes (f) and cybersecurity (h). Data (d) and testing (g) have their own files.
 */
import type { AnnexIvCell, AnnexIvItem } from '../annex-iv-document';
import { bytes, count, fixed, list, metricCell, significant, withBounds, yesNo } from '../annex-iv-format';
import { bullets, fact, facts, filledItem, gapItem, paragraph, partGap, partGapIf, table } from '../annex-iv-items';
import { asArray, asNumber, asRecord, asString, at, cite, citeDecision, flatten, type DossierEvidence } from '../dossier-evidence';
import { datasetLabel, labelColumn, oversightBlocks, oversightMeasures, oversightSources } from './shared-statements';

const STEP_NAMES: Readonly<Record<string, string>> = {
  'dataset.registered': 'Dataset registered',
  'dataset_version.registered': 'Dataset version ingested or derived',
  'dataset.transformed': 'Dataset transformed',
  'datasheet.recorded': 'Datasheet recorded',
  'privacy.scanned': 'Scanned for personal data',
  'privacy.attack-assessed': 'Membership-inference audit',
  'training.requested': 'Training requested',
  'training.completed': 'Training completed',
  'training.failed': 'Training failed',
  'training.cancelled': 'Training cancelled',
  'energy.measured': 'Energy measured',
  'evaluation.completed': 'Evaluated on held-out test data',
  'fairness.assessed': 'Fairness assessed',
  'robustness.assessed': 'Robustness assessed',
  'explanation.generated': 'Explanations generated',
  'model.registered': 'Model registered',
  'model.updated': 'Model declarations changed',
  'model_version.registered': 'Model version registered',
  'policy.evaluated': 'Policy decision',
  'promotion.requested': 'Promotion requested',
  'promotion.decided': 'Promotion decided',
  'alias.moved': 'Alias moved',
  'waiver.granted': 'Waiver granted',
  'waiver.revoked': 'Waiver revoked',
};

export function methodsItem(evidence: DossierEvidence): AnnexIvItem {
  const { records } = evidence.dossier;
  const title = 'Methods and steps of development';
  if (records.length === 0) return gapItem('iv-2-a-methods', 'Annex IV(2)(a)', title, 'The dossier holds no evidence records.');
  const rows = records.map((record): AnnexIvCell[] => [
    count(record.ledgerIndex),
    record.createdAt,
    `${STEP_NAMES[record.kind] ?? record.kind} (${record.kind})`,
    `${record.subject.type} ${record.subject.id}`,
    `${record.actor.type} ${record.actor.id}`,
    record.digest,
  ]);
  return filledItem(
    'iv-2-a-methods',
    'Annex IV(2)(a)',
    title,
    [
      paragraph('Every step below was recorded as it happened, in ledger order; the record digests identify the evidence of each step.'),
      table('Development steps recorded in the evidence ledger', ['Ledger index', 'Recorded at', 'Step', 'Subject', 'Actor', 'Record digest'], rows),
    ],
    [],
  );
}

export function designItem(evidence: DossierEvidence): AnnexIvItem {
  const training = evidence.document.training;
  const title = 'Design specifications: model, training and hyper-parameters';
  if (training === null) return gapItem('iv-2-b-design', 'Annex IV(2)(b)', title, 'No training evidence: the design of the model is not recorded.');
  const requested = evidence.latestRunRecord('training.requested');
  const completed = evidence.latestRunRecord('training.completed');
  const spec = at(completed?.body, 'spec') ?? at(requested?.body, 'spec');
  const model = asRecord(at(spec, 'model'));
  const hyperParameters = flatten(model === null ? {} : Object.fromEntries(Object.entries(model).filter(([key]) => key !== 'type')));
  const preprocessing = flatten(at(spec, 'preprocessing'));
  const parameters = asNumber(at(completed?.body, 'flops.parameters'));
  const forward = asNumber(at(completed?.body, 'flops.forwardFlopsPerSample'));
  const bestEpoch = asNumber(at(completed?.body, 'epochs.bestEpoch'));
  const weightsEpoch = asNumber(at(completed?.body, 'epochs.weightsEpoch'));
  return filledItem(
    'iv-2-b-design',
    'Annex IV(2)(b)',
    title,
    [
      facts([
        fact('Model type', training.modelType),
        fact('Label (target) column', labelColumn(evidence)),
        fact('Positive class', evidence.document.evaluation?.positiveLabel),
        fact('Seed', String(training.seed)),
        fact('Epochs', `${count(training.epochs)} of ${count(training.epochsPlanned)} planned${training.stoppedEarly ? ', stopped early' : ''}`),
        fact(
          'Epoch of the kept weights',
          weightsEpoch === null ? null : `${weightsEpoch}${bestEpoch === null ? '' : ` (lowest validation loss at epoch ${bestEpoch})`}`,
        ),
        fact('Trainable parameters', parameters === null ? null : count(parameters)),
        fact('Forward FLOPs per sample', forward === null ? null : count(forward)),
        fact(
          'Backend',
          `${training.backend.name} ${training.backend.version}, TensorFlow.js ${training.backend.tfjsVersion}, deterministic: ${yesNo(training.backend.deterministic)}`,
        ),
        fact('Training period', `${training.startedAt} to ${training.endedAt}`),
        fact('Training specification digest', training.specDigest),
        fact('Preprocessing digest', training.preprocessingDigest),
      ]),
      table(
        'Hyper-parameters of the model (training specification)',
        ['Parameter', 'Value'],
        hyperParameters.map(([path, value]) => [path, value]),
      ),
      table(
        'Preprocessing specification',
        ['Parameter', 'Value'],
        preprocessing.map(([path, value]) => [path, value]),
      ),
      table(
        'Final metrics of the training run',
        ['Metric', 'Split', 'Value'],
        training.metrics.map((metric): AnnexIvCell[] => [metric.name, metric.split, metricCell(metric.value)]),
      ),
      partGap(
        'Rationale, assumptions and trade-offs of the key design choices',
        'Assay records what was chosen, not why; the provider states the rationale, the assumptions about the persons concerned and any trade-offs.',
      ),
    ],
    cite(requested, completed),
  );
}

export function architectureItem(evidence: DossierEvidence): AnnexIvItem {
  const { training, artifacts, datasets } = evidence.document;
  const title = 'System architecture';
  if (training === null || artifacts === null) {
    return gapItem('iv-2-c-architecture', 'Annex IV(2)(c)', title, 'No training or artefact evidence: the components of the model are not recorded.');
  }
  const threshold = asNumber(at(evidence.latestRunRecord('evaluation.completed')?.body, 'settings.threshold'));
  const preprocessor = artifacts.files.find((file) => file.digest === training.preprocessingDigest);
  const steps = [
    datasets.length === 0 ? null : `Data: ${datasets.map(datasetLabel).join(', ')}.`,
    preprocessor === undefined
      ? null
      : `Preprocessing: ${preprocessor.path} (${preprocessor.digest}) turns a row of input columns into the model's numeric features, fitted on the training data.`,
    `Model: a ${training.modelType} model (${artifacts.files
      .filter((file) => file !== preprocessor)
      .map((file) => file.path)
      .join(', ')}) run by TensorFlow.js ${training.backend.tfjsVersion} on the ${training.backend.name} backend computes the class probabilities.`,
    threshold === null ? null : `Decision: the evaluation predicted the positive class when its probability reached ${fixed(threshold, 2)}.`,
  ].filter((step): step is string => step !== null);
  return filledItem(
    'iv-2-c-architecture',
    'Annex IV(2)(c)',
    title,
    [bullets('Components, in processing order', steps), facts([fact('Model digest (OMS root over all files)', artifacts.modelDigest)])],
    cite(evidence.latestRunRecord('training.completed'), evidence.bySubject('model_version.registered', evidence.document.model.versionId).at(-1)),
  );
}

export function resourcesItem(evidence: DossierEvidence): AnnexIvItem {
  const energy = evidence.document.energy;
  const title = 'Computational resources used to develop, train, test and validate';
  if (energy === null) return gapItem('iv-2-c-resources', 'Annex IV(2)(c)', title, 'The evidence document has no energy measurement of the training run.');
  const records = evidence.runRecords('energy.measured');
  const rows = records.map((record): AnnexIvCell[] => {
    const measurement = at(record.body, 'measurement');
    const seconds = (path: string) => {
      const value = asNumber(at(measurement, path));
      return value === null ? '—' : `${significant(value)} s`;
    };
    return [
      asString(record.body.stage) ?? '—',
      asString(at(measurement, 'method')) ?? '—',
      seconds('wallSeconds'),
      seconds('cpuSeconds'),
      measuredWithBounds(measurement, 'energyKwh', 'energyBoundsKwh', 'kWh'),
      measuredWithBounds(measurement, 'co2eGrams', 'co2eBoundsGrams', 'g'),
    ];
  });
  const warnings = [
    ...new Set(records.flatMap((record) => asArray(at(record.body, 'measurement.warnings')).filter((w): w is string => typeof w === 'string'))),
  ];
  return filledItem(
    'iv-2-c-resources',
    'Annex IV(2)(c)',
    title,
    [
      facts([
        fact('Measurement method', energy.method === 'rapl' ? 'RAPL energy counters' : 'estimate from CPU time and thermal design power (TDP)'),
        fact('Energy of the training run', withBounds(energy.energyKwh, energy.energyBoundsKwh.lower, energy.energyBoundsKwh.upper, 'kWh')),
        fact('Emissions of the training run (CO2e)', withBounds(energy.co2eGrams, energy.co2eBoundsGrams.lower, energy.co2eBoundsGrams.upper, 'g')),
        fact('Grid intensity', `${significant(energy.gridIntensity.gCo2ePerKwh)} gCO2e/kWh, ${energy.gridIntensity.region}, ${energy.gridIntensity.year}`),
        fact('Grid intensity source', energy.gridIntensity.source),
        fact('Wall time / CPU time of the training run', `${significant(energy.wallSeconds)} s / ${significant(energy.cpuSeconds)} s`),
        fact('Peak memory', bytes(energy.peakRssBytes)),
        fact('Estimated training FLOPs', energy.estimatedFlops === null ? null : count(energy.estimatedFlops)),
      ]),
      table('Measurements per stage (value [lower, upper bound])', ['Stage', 'Method', 'Wall time', 'CPU time', 'Energy', 'CO2e'], rows),
      bullets('Measurement warnings', warnings),
    ],
    cite(...records),
  );
}

/** `value unit [lower, upper]` from a measurement's value and `[lower, upper]` bounds array. */
function measuredWithBounds(measurement: unknown, valuePath: string, boundsPath: string, unit: string): string {
  const value = asNumber(at(measurement, valuePath));
  if (value === null) return '—';
  const [lower, upper] = asArray(at(measurement, boundsPath)).map(asNumber);
  return typeof lower === 'number' && typeof upper === 'number' ? withBounds(value, lower, upper, unit) : `${significant(value)} ${unit}`;
}

export function oversightItem(evidence: DossierEvidence): AnnexIvItem {
  const title = 'Human oversight measures (Art. 14) and interpretation of outputs (Art. 13(3)(d))';
  const { measures } = oversightMeasures(evidence);
  if (evidence.document.humanOversight === null && measures.length === 0 && evidence.document.explanations === null) {
    return gapItem('iv-2-e-oversight', 'Annex IV(2)(e)', title, 'No oversight measure, promotion request or explanation is recorded.');
  }
  return filledItem('iv-2-e-oversight', 'Annex IV(2)(e)', title, oversightBlocks(evidence, true), cite(...oversightSources(evidence)));
}

export function changesItem(evidence: DossierEvidence): AnnexIvItem {
  const { artifacts, humanOversight } = evidence.document;
  const promotion = evidence.latestPromotion();
  const title = 'Pre-determined changes and continuous compliance';
  if (artifacts === null && promotion === undefined) {
    return gapItem('iv-2-f-changes', 'Annex IV(2)(f)', title, 'Neither the artefacts nor a promotion decision are recorded.');
  }
  const packs = promotion?.decision.packs.filter((pack) => pack.applicable).map((pack) => `${pack.id} ${pack.version}`) ?? [];
  return filledItem(
    'iv-2-f-changes',
    'Annex IV(2)(f)',
    title,
    [
      facts([
        fact(
          'Model version',
          artifacts === null
            ? null
            : `Fixed by its model digest ${artifacts.modelDigest}${artifacts.signature?.verified ? ', signed and verified' : ''}: a changed model is a new model version with its own evidence.`,
        ),
        fact(
          'Promotion gate',
          packs.length === 0 ? null : `Policy packs evaluated on this version’s evidence: ${list(packs)}; a new version is evaluated again`,
        ),
        fact('Human approval before production', humanOversight === null ? null : yesNo(humanOversight.approvalRequired)),
      ]),
      partGap(
        'Pre-determined changes',
        'Assay records no change to the model that was planned in advance; any such plan, and how compliance is kept through it, is the provider’s to describe.',
      ),
    ],
    [...cite(evidence.bySubject('model_version.registered', evidence.document.model.versionId).at(-1)), ...(promotion ? [citeDecision(promotion)] : [])],
  );
}

export function securityItem(evidence: DossierEvidence): AnnexIvItem {
  const { artifacts, records, differentialPrivacy, membershipInference } = evidence.document;
  const { checkpoint } = evidence.dossier;
  const title = 'Cybersecurity measures';
  if (artifacts === null && checkpoint === null && records.length === 0) {
    return gapItem('iv-2-h-security', 'Annex IV(2)(h)', title, 'No artefact digests, signatures or ledger entries are recorded.');
  }
  const completed = evidence.latestRunRecord('training.completed');
  const signature = at(completed?.body, 'signature');
  const indexes = records.map((record) => record.ledgerIndex).filter((index): index is number => index !== null);
  const unledgered = records.length - indexes.length;
  return filledItem(
    'iv-2-h-security',
    'Annex IV(2)(h)',
    title,
    [
      facts([
        fact('Integrity of the artefacts', artifacts === null ? null : `SHA-256 digest of every file; OMS root digest ${artifacts.modelDigest}`),
        fact(
          'Signature over the artefacts',
          artifacts?.signature
            ? `${artifacts.signature.format}, ${artifacts.signature.method} signature, verified: ${yesNo(artifacts.signature.verified)}${artifacts.signature.keyHint === null ? '' : `, key ${artifacts.signature.keyHint}`}`
            : null,
        ),
        fact('Signature bundle', asString(at(signature, 'format'))),
        fact('Signature algorithm', asString(at(signature, 'algorithm'))),
        fact('Signature bundle digest', asString(at(signature, 'digest'))),
        fact(
          'Tamper-evident evidence ledger',
          records.length === 0
            ? null
            : `${count(records.length)} evidence records in an append-only Merkle-tree ledger${indexes.length > 0 ? `, entries ${Math.min(...indexes)}–${Math.max(...indexes)}` : ''}${unledgered > 0 ? `; ${unledgered} not in the ledger` : ''}`,
        ),
        fact(
          'Ledger checkpoint the bundle’s proofs are against',
          checkpoint === null ? null : `${checkpoint.origin}, tree size ${count(checkpoint.treeSize)}, root hash ${checkpoint.rootHash}`,
        ),
        fact('Evidence document digest (SHA-256 over RFC 8785 JSON)', evidence.documentDigest),
        fact(
          'Differentially private training',
          differentialPrivacy
            ? `ε = ${differentialPrivacy.epsilon === null ? '∞ (no finite guarantee)' : significant(differentialPrivacy.epsilon)}, δ = ${significant(differentialPrivacy.delta)} (${differentialPrivacy.mechanism}, ${differentialPrivacy.accountant} accountant)`
            : null,
        ),
        fact(
          'Membership-inference audit',
          membershipInference
            ? `${membershipInference.attack}: AUC ${fixed(membershipInference.auc)} [${fixed(membershipInference.aucCi.lower)}, ${fixed(membershipInference.aucCi.upper)}], advantage ${fixed(membershipInference.advantage)} [${fixed(membershipInference.advantageCi.lower)}, ${fixed(membershipInference.advantageCi.upper)}]`
            : null,
        ),
      ]),
      partGapIf(artifacts !== null && artifacts.signature === null, 'Signature over the artefacts', 'The artefacts of this version are unsigned.'),
      partGapIf(checkpoint === null, 'Ledger checkpoint', 'The dossier carries no checkpoint to prove the records against.'),
    ],
    cite(completed, evidence.bySubject('model_version.registered', evidence.document.model.versionId).at(-1)),
  );
}
