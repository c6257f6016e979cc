/**
 * Annex IV point 1: general description of the AI system — intended purpose, provider and version
 * (a), interaction with other hardware and software (b), software versions (c), the forms it is
 * put into service in (d), hardware (e), instructions for use and user interface (g)–(h).
 */
import type { AnnexIvBlock, AnnexIvCell, AnnexIvItem, AnnexIvPoint } from '../annex-iv-document';
import { bytes, count, fixed, list, metricName, yesNo } from '../annex-iv-format';
import { bullets, fact, facts, filledItem, gapItem, partGap, partGapIf, table } from '../annex-iv-items';
import { asArray, asBoolean, asNumber, asString, at, cite, type DossierEvidence } from '../dossier-evidence';
import { inputColumns, oversightBlocks, oversightSources, trainingDatasetRecord } from './shared-statements';

export function generalDescriptionPoint(evidence: DossierEvidence): AnnexIvPoint {
  return {
    number: 1,
    reference: 'Annex IV(1)',
    title: 'General description of the AI system',
    items: [purposeItem(evidence), interactionItem(evidence), softwareItem(evidence), formsItem(evidence), hardwareItem(evidence), instructionsItem(evidence)],
  };
}

function previousVersions(evidence: DossierEvidence): string {
  const { version } = evidence.document.model;
  const moves = evidence.dossier.aliasMoves
    .filter((move) => move.toVersion === version && move.fromVersion !== null && move.fromVersion !== version)
    .map((move) => `replaced version ${move.fromVersion} as the ${move.alias} alias on ${move.at}`);
  const base =
    version === 1
      ? 'Version 1 is the first version of the model (version numbers start at 1): there is no earlier version.'
      : `Follows version${version === 2 ? ' 1' : `s 1–${version - 1}`} of the same model, each a separate model version with its own evidence (not part of this dossier).`;
  return moves.length === 0 ? base : `${base} This version ${moves.join('; ')}.`;
}

function purposeItem(evidence: DossierEvidence): AnnexIvItem {
  const { model } = evidence.document;
  const { registration } = evidence.dossier;
  const versionRecord = evidence.bySubject('model_version.registered', model.versionId).at(-1);
  const modelRecords = [...evidence.bySubject('model.registered', model.id), ...evidence.bySubject('model.updated', model.id)];
  return filledItem(
    'iv-1-a-purpose',
    'Annex IV(1)(a)',
    'Intended purpose, provider and version',
    [
      facts([
        fact('Model', `${model.name} (id ${model.id})`),
        fact('Intended purpose', model.intendedUse),
        fact('Prohibited uses', model.prohibitedUses.length === 0 ? 'none declared' : model.prohibitedUses.join(' · ')),
        fact('Risk tier (EU AI Act)', model.riskTier),
        fact('Jurisdictions of use (ISO 3166-1 alpha-2)', list(model.jurisdictions)),
        fact('Description (registry)', registration.description.trim() === '' ? null : registration.description),
        fact('Provider', model.provider === null ? null : `${model.provider.name} (contact: ${model.provider.contact})`),
        fact('Version', `${model.version} (model version id ${model.versionId})`),
        fact('Version registered at', versionRecord?.createdAt),
        fact('Training run', asString(versionRecord?.body.runId) ?? evidence.document.training?.runId),
        fact('Model digest (OMS root over the artefacts)', evidence.document.artifacts?.modelDigest),
        fact('Relation to previous versions', previousVersions(evidence)),
      ]),
      partGapIf(model.intendedUse === null, 'Intended purpose', 'The model declares no intended use (Art. 13(3)(b)(i)).'),
      partGapIf(
        model.provider === null,
        'Name of the provider',
        'The evidence document names no provider (Art. 13(3)(a)): declare the provider and its contact on the model.',
      ),
    ],
    [...cite(...modelRecords, versionRecord)],
  );
}

function interactionItem(evidence: DossierEvidence): AnnexIvItem {
  const columns = inputColumns(evidence);
  const evaluationRecord = evidence.latestRunRecord('evaluation.completed');
  const classes = asArray(evaluationRecord?.body.classes).filter((value): value is string => typeof value === 'string');
  const evaluation = evidence.document.evaluation;
  const monitoring = evidence.document.monitoring?.plan ?? null;
  const title = 'Interaction with hardware and software outside the system';
  if (columns.length === 0 && classes.length === 0) {
    return gapItem(
      'iv-1-b-interaction',
      'Annex IV(1)(b)',
      title,
      'No training data schema and no evaluation record: the inputs and outputs are not evidenced.',
    );
  }
  const threshold = asNumber(at(evaluationRecord?.body, 'settings.threshold'));
  return filledItem(
    'iv-1-b-interaction',
    'Annex IV(1)(b)',
    title,
    [
      facts([
        fact('Inputs (columns of the training data)', columns.length === 0 ? null : columns.map((column) => `${column.name} (${column.type})`).join(', ')),
        fact('Outputs (classes in encoded order)', classes.length === 0 ? null : classes.join(', ')),
        fact('Positive class', evaluation?.positiveLabel),
        fact('Decision threshold used in the evaluation (positive-class probability)', threshold === null ? null : fixed(threshold, 2)),
        fact('Decision logging when serving (Art. 12)', monitoring === null ? null : yesNo(monitoring.decisionLogging)),
        fact('Alert webhooks (other systems notified)', monitoring === null ? null : count(monitoring.webhooks)),
      ]),
      partGap(
        'Other hardware or software, including other AI systems, the system interacts with',
        "Assay records the model's own inputs and outputs only; the provider describes the systems it is integrated with.",
      ),
    ],
    cite(trainingDatasetRecord(evidence), evaluationRecord),
  );
}

function softwareItem(evidence: DossierEvidence): AnnexIvItem {
  const training = evidence.document.training;
  const title = 'Versions of relevant software';
  if (training === null)
    return gapItem('iv-1-c-software', 'Annex IV(1)(c)', title, 'No training evidence: the runtime the model was built with is not recorded.');
  const completed = evidence.latestRunRecord('training.completed');
  const backend = at(completed?.body, 'backend');
  const flag = (name: string): string | null => {
    const value = asBoolean(at(backend, name));
    return value === null ? null : yesNo(value);
  };
  return filledItem(
    'iv-1-c-software',
    'Annex IV(1)(c)',
    title,
    [
      facts([
        fact('Machine-learning runtime', `TensorFlow.js ${training.backend.tfjsVersion}`),
        fact('Backend', `${training.backend.name} ${training.backend.version}`),
        fact('Deterministic backend', yesNo(training.backend.deterministic)),
        fact('SIMD', flag('simd')),
        fact('Threads', flag('threads')),
        fact('Model files', evidence.document.artifacts ? evidence.document.artifacts.files.map((file) => file.path).join(', ') : null),
      ]),
    ],
    cite(completed),
  );
}

function formsItem(evidence: DossierEvidence): AnnexIvItem {
  const artifacts = evidence.document.artifacts;
  const title = 'Forms in which the system is placed on the market or put into service';
  if (artifacts === null) return gapItem('iv-1-d-forms', 'Annex IV(1)(d)', title, 'No artefacts are recorded for this version.');
  const versionRecord = evidence.bySubject('model_version.registered', evidence.document.model.versionId).at(-1);
  const sizes = new Map(asArray(versionRecord?.body.artifacts).map((file) => [asString(at(file, 'path')) ?? '', asNumber(at(file, 'size'))] as const));
  const rows = artifacts.files.map((file): AnnexIvCell[] => {
    const size = sizes.get(file.path);
    return [file.path, size === undefined || size === null ? '—' : bytes(size), file.digest];
  });
  return filledItem(
    'iv-1-d-forms',
    'Annex IV(1)(d)',
    title,
    [
      facts([
        fact('Form recorded by Assay', `Model version package of ${count(artifacts.files.length)} files, identified by its OMS root digest`),
        fact('Model digest', artifacts.modelDigest),
        fact(
          'Signature',
          artifacts.signature === null
            ? 'unsigned'
            : `${artifacts.signature.format}, ${artifacts.signature.method}, verified: ${yesNo(artifacts.signature.verified)}`,
        ),
      ]),
      table('Files of the model version', ['Path', 'Size', 'Digest'], rows),
      partGap(
        'Distribution channel',
        'Whether the system is offered as a download, an API or embedded in a product is not recorded by Assay; the provider describes it.',
      ),
    ],
    cite(versionRecord),
  );
}

function hardwareItem(evidence: DossierEvidence): AnnexIvItem {
  const records = evidence.runRecords('energy.measured');
  const title = 'Hardware';
  if (records.length === 0)
    return gapItem('iv-1-e-hardware', 'Annex IV(1)(e)', title, 'No energy measurement is recorded, so not even the hardware used for training is evidenced.');
  const rows = records.map((record): AnnexIvCell[] => {
    const cpu = at(record.body, 'measurement.cpu');
    const cores = asNumber(at(cpu, 'cores'));
    const logical = asNumber(at(cpu, 'logicalCpus'));
    const rss = asNumber(at(record.body, 'measurement.peakRssBytes'));
    return [
      asString(record.body.stage) ?? '—',
      asString(at(cpu, 'model')) ?? '—',
      cores === null ? '—' : `${count(cores)}${logical === null ? '' : ` (${count(logical)} logical)`}`,
      rss === null ? '—' : bytes(rss),
    ];
  });
  return filledItem(
    'iv-1-e-hardware',
    'Annex IV(1)(e)',
    title,
    [
      table('Hardware the model was trained and measured on', ['Stage', 'CPU', 'Cores', 'Peak memory'], rows),
      partGap(
        'Hardware on which the system is intended to run',
        'Assay records the machines that trained and measured the model, not the deployment hardware.',
      ),
    ],
    cite(...records),
  );
}

function instructionsItem(evidence: DossierEvidence): AnnexIvItem {
  const { model } = evidence.document;
  const declared = model.declaredPerformance.map((level) => {
    const bounds = [level.minimum === undefined ? null : `≥ ${level.minimum}`, level.maximum === undefined ? null : `≤ ${level.maximum}`].filter(
      (b) => b !== null,
    );
    return `${metricName(level.metric)} ${bounds.join(' and ')}`;
  });
  const blocks: Array<AnnexIvBlock | null> = [
    facts([
      fact('Intended purpose', model.intendedUse),
      fact('Prohibited uses', model.prohibitedUses.length === 0 ? null : model.prohibitedUses.join(' · ')),
      fact('Provider contact', model.provider?.contact),
      fact('Declared accuracy levels', declared.length === 0 ? null : declared.join('; ')),
    ]),
    bullets('Known and foreseeable limitations declared for the model', model.knownLimitations ?? []),
    ...oversightBlocks(evidence, false),
    partGapIf(model.declaredPerformance.length === 0, 'Declared accuracy levels (Art. 13(3)(b)(ii))', 'The model declares no level of accuracy for its users.'),
    partGapIf(model.knownLimitations === null, 'Known and foreseeable limitations (Art. 13(3)(b)(iii))', 'The model declares no known limitations.'),
    partGap(
      'User interface provided to the deployer (Annex IV(1)(g))',
      'Assay records no user interface of the deployed system; the provider describes it with the instructions for use.',
    ),
  ];
  return filledItem('iv-1-h-instructions', 'Annex IV(1)(g)–(h)', 'Instructions for use: the elements recorded', blocks, cite(...oversightSources(evidence)));
}
