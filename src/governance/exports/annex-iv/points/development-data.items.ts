/**
 * Annex IV(2)(d), data requirements: the datasets the model saw with their provenance, one
 * datasheet per dataset version (Gebru et al.: purpose, sources, collection, personal data and
 * lawful basis, uses), how the data was prepared (transformations such as splits and
 * pseudonymisation, cleaning, labelling) and what the personal-data scans found.
 */
import type { DatasetEvidence, DatasheetSummary } from '../../../evidence-document/evidence-document';
import type { DossierDatasheet, DossierRecord } from '../../dossier/model-dossier';
import type { AnnexIvCell, AnnexIvFact, AnnexIvItem } from '../annex-iv-document';
import { count, fixed, jsonText, list, percent, words, yesNo } from '../annex-iv-format';
import { bullets, fact, facts, filledItem, gapItem, partGap, partGapIf, table } from '../annex-iv-items';
import { asArray, asBoolean, asNumber, asRecord, asString, at, cite, stringsAt, type DossierEvidence, type Json } from '../dossier-evidence';
import { datasetLabel, inputColumns, labelColumn, sourceText } from './shared-statements';

export function dataItems(evidence: DossierEvidence): AnnexIvItem[] {
  return [
    datasetsItem(evidence),
    ...evidence.document.datasets.map((dataset) => datasheetItem(evidence, dataset)),
    preparationItem(evidence),
    privacyItem(evidence),
  ];
}

function versionRecord(evidence: DossierEvidence, versionId: string): DossierRecord | undefined {
  return evidence.bySubject('dataset_version.registered', versionId).at(-1);
}

function datasetsItem(evidence: DossierEvidence): AnnexIvItem {
  const { datasets } = evidence.document;
  const title = 'Data sets used: provenance, scope and main characteristics';
  if (datasets.length === 0) return gapItem('iv-2-d-datasets', 'Annex IV(2)(d)', title, 'The evidence document lists no dataset version.');
  const records = datasets.map((dataset) => versionRecord(evidence, dataset.versionId));
  const rows = datasets.map((dataset, index): AnnexIvCell[] => {
    const input = asString(at(records[index]?.body, 'derivedFrom.inputVersionId'));
    const inputVersion = input === null ? undefined : versionRecord(evidence, input);
    const transformationId = asString(at(records[index]?.body, 'derivedFrom.transformationId'));
    const transformation = evidence.records('dataset.transformed', (body) => body.transformationId === transformationId).at(-1);
    const how = asString(at(transformation?.body, 'spec.type')) ?? 'transformation';
    const origin =
      dataset.origin === 'upload'
        ? 'uploaded'
        : `derived from ${inputVersion ? `v${asNumber(inputVersion.body.version) ?? '?'}` : (input ?? 'an earlier version')} by ${how}`;
    return [
      dataset.role,
      `${dataset.name} v${dataset.version}`,
      origin,
      { value: dataset.rows, text: count(dataset.rows) },
      { value: dataset.columns, text: count(dataset.columns) },
      dataset.tableDigest,
      dataset.datasheet === null ? 'none' : dataset.datasheet.complete ? 'complete' : `incomplete (${dataset.datasheet.missing.length} fields missing)`,
    ];
  });
  const sourceIds = [...new Set(records.map((record) => asString(at(record?.body, 'derivedFrom.inputVersionId'))).filter((id): id is string => id !== null))];
  const sources = sourceIds.map((id) => versionRecord(evidence, id)).filter((record): record is DossierRecord => record !== undefined);
  const sourceRows = sources.map((record): AnnexIvCell[] => {
    const ingest = at(record.body, 'ingest');
    const rows = asNumber(record.body.rows);
    return [
      `${asString(at(evidence.records('dataset.registered', (body) => body.datasetId === record.body.datasetId).at(-1)?.body, 'name')) ?? 'dataset'} v${asNumber(record.body.version) ?? '?'}`,
      asString(record.body.origin) ?? '—',
      rows === null ? '—' : { value: rows, text: count(rows) },
      [asString(at(ingest, 'encoding')), asString(at(ingest, 'delimiter')) === null ? null : `delimiter ${asString(at(ingest, 'delimiter'))}`]
        .filter((part): part is string => part !== null)
        .join(', ') || '—',
      asString(record.body.rawDigest) ?? '—',
    ];
  });
  return filledItem(
    'iv-2-d-datasets',
    'Annex IV(2)(d)',
    title,
    [
      table('Dataset versions the model saw', ['Role', 'Dataset version', 'Origin', 'Rows', 'Columns', 'Table digest', 'Datasheet'], rows),
      table('Source versions the splits were derived from', ['Dataset version', 'Origin', 'Rows', 'Ingest', 'Raw file digest'], sourceRows),
    ],
    cite(...records, ...sources),
  );
}

/** The full datasheet of a dataset: the one whose record the summary names, else one recorded for the version. */
function fullDatasheet(evidence: DossierEvidence, dataset: DatasetEvidence): DossierDatasheet | undefined {
  const { datasheets } = evidence.dossier;
  return (
    datasheets.find((sheet) => dataset.datasheet !== null && sheet.recordDigest === dataset.datasheet.digest) ??
    datasheets.find((sheet) => sheet.datasetVersionId === dataset.versionId && sheet.role === dataset.role)
  );
}

function legalBasisText(summary: DatasheetSummary | null, sheet: Json | null): string | null {
  const basis = summary?.legalBasis ?? null;
  const article6 = basis?.article6 ?? asString(at(sheet, 'collectionProcess.legalBasis.article6'));
  if (article6 === null) return null;
  const article9 = basis?.article9Condition ?? asString(at(sheet, 'collectionProcess.legalBasis.article9Condition'));
  const covers = basis?.consentCoversModelTraining ?? asBoolean(at(sheet, 'collectionProcess.legalBasis.consent.coversModelTraining'));
  const scope = asString(at(sheet, 'collectionProcess.legalBasis.consent.scope'));
  return [
    `GDPR Art. 6(1): ${words(article6)}`,
    article9 === null ? null : `Art. 9(2) condition: ${words(article9)}`,
    scope === null ? null : `consent scope: “${scope}”`,
    covers === null ? null : `consent covers model training: ${yesNo(covers)}`,
  ]
    .filter((part): part is string => part !== null)
    .join('; ');
}

function personalDataText(summary: DatasheetSummary | null, sheet: Json | null): string | null {
  const present = summary?.personalData ?? asBoolean(at(sheet, 'composition.personalData.present'));
  if (present === null) return null;
  if (!present) return 'none (declared)';
  const identifiability = summary?.identifiability ?? asString(at(sheet, 'composition.personalData.identifiability'));
  const subjects = stringsAt(sheet, 'composition.personalData.dataSubjects');
  const special = summary?.specialCategories ?? stringsAt(sheet, 'composition.personalData.specialCategories') ?? [];
  return [
    'present',
    identifiability === null ? null : identifiability,
    subjects === null ? null : `data subjects: ${list(subjects)}`,
    `special categories (GDPR Art. 9(1)): ${list(special.map(words))}`,
    summary ? `criminal-offence data: ${yesNo(summary.criminalOffenceData)}` : null,
    summary === null || summary.childrenData === null ? null : `children's data: ${yesNo(summary.childrenData)}`,
  ]
    .filter((part): part is string => part !== null)
    .join('; ');
}

function declaredList(values: string[] | null | undefined): string | null {
  return values === null || values === undefined ? null : list(values, 'none (declared)');
}

function datasheetItem(evidence: DossierEvidence, dataset: DatasetEvidence): AnnexIvItem {
  const id = `iv-2-d-datasheet-${dataset.role}-${dataset.version}`;
  const title = `Datasheet: ${datasetLabel(dataset)}`;
  const summary = dataset.datasheet;
  const documented = fullDatasheet(evidence, dataset);
  if (summary === null && documented === undefined) {
    return gapItem(id, 'Annex IV(2)(d)', title, 'No datasheet is recorded for this dataset version or for the version it was derived from.');
  }
  const sheet = documented === undefined ? null : asRecord(documented.datasheet);
  const text = (path: string) => asString(at(sheet, path));
  const sources =
    summary?.sources ??
    asArray(at(sheet, 'collectionProcess.sources')).map((source) => ({ name: asString(at(source, 'name')) ?? '?', kind: asString(at(source, 'kind')) ?? '?' }));
  const period = at(sheet, 'collectionProcess.collectionPeriod');
  const steps = asArray(at(sheet, 'preprocessing.steps')).map(
    (step) => `${words(asString(at(step, 'kind')) ?? 'step')}: ${asString(at(step, 'description')) ?? ''}`,
  );
  const retention = text('maintenance.retention.period');
  const rows: Array<AnnexIvFact | null> = [
    fact(
      'Documented version',
      documented === undefined || documented.documentedVersionId === dataset.versionId
        ? null
        : `the source version ${documented.documentedVersionId} (this split has no datasheet of its own)`,
    ),
    fact('Purpose of the collection', summary?.purpose ?? text('motivation.purpose')),
    fact('Creators', declaredList(stringsAt(sheet, 'motivation.creators'))),
    fact('Instances', text('composition.instances')),
    fact('Sampling', text('composition.samplingStrategy')),
    fact('Label column', summary?.labelColumn ?? text('composition.labelColumn')),
    fact('Sensitive attributes', declaredList(summary?.sensitiveAttributes ?? stringsAt(sheet, 'composition.sensitiveAttributes'))),
    fact('Quasi-identifiers', declaredList(summary?.quasiIdentifiers ?? stringsAt(sheet, 'composition.quasiIdentifiers'))),
    fact('Missing data', text('composition.missingData')),
    fact('Known errors', text('composition.knownErrors')),
    fact('Sources (how the data was obtained)', sources.length === 0 ? null : sources.map(sourceText).join('; ')),
    fact('Collection method', text('collectionProcess.method')),
    fact(
      'Collection period',
      asString(at(period, 'start')) === null ? null : `${asString(at(period, 'start'))} to ${asString(at(period, 'end')) ?? 'ongoing'}`,
    ),
    fact('Jurisdictions of collection', declaredList(summary?.jurisdictions ?? stringsAt(sheet, 'collectionProcess.jurisdictions'))),
    fact('Personal data', personalDataText(summary, sheet)),
    fact('Lawful basis', legalBasisText(summary, sheet)),
    fact('Data subjects informed', summary === null || summary.dataSubjectsInformed === null ? null : yesNo(summary.dataSubjectsInformed)),
    fact('Data protection impact assessment', summary?.dpiaReference ?? text('collectionProcess.dpiaReference')),
    fact(
      'Labelling',
      text('preprocessing.labeling.method') === null
        ? null
        : `${words(text('preprocessing.labeling.method') ?? '')}${text('preprocessing.labeling.description') ? `: ${text('preprocessing.labeling.description')}` : ''}`,
    ),
    fact('Intended uses', declaredList(stringsAt(sheet, 'uses.intendedUses'))),
    fact('Prohibited uses', declaredList(stringsAt(sheet, 'uses.prohibitedUses'))),
    fact('Known limitations', declaredList(stringsAt(sheet, 'uses.knownLimitations'))),
    fact('Known biases', declaredList(summary?.knownBiases ?? stringsAt(sheet, 'uses.knownBiases'))),
    fact('Licence (SPDX)', summary?.licence ?? text('distribution.licence')),
    fact('Retention', retention),
    fact('Contact', text('maintenance.contact.name')),
    fact('Datasheet record', summary?.digest ?? documented?.recordDigest),
  ];
  return filledItem(
    id,
    'Annex IV(2)(d)',
    title,
    [
      facts(rows),
      bullets('Preprocessing, cleaning and labelling steps declared in the datasheet', steps),
      partGapIf(summary !== null && !summary.complete, 'Datasheet fields a compliance review needs', `Not answered: ${list(summary?.missing ?? [])}.`),
    ],
    summary !== null
      ? [{ kind: 'datasheet.recorded', digest: summary.digest }]
      : documented
        ? [{ kind: 'datasheet.recorded', digest: documented.recordDigest }]
        : [],
  );
}

/** A transformation spec in words. */
function transformationText(spec: unknown, summary: unknown): string {
  const type = asString(at(spec, 'type'));
  const algorithm = asString(at(summary, 'algorithm'));
  const suffix = algorithm === null ? '' : ` (${algorithm})`;
  switch (type) {
    case 'split': {
      const ratios = asRecord(at(spec, 'ratios')) ?? {};
      const shares = Object.entries(ratios).map(([role, share]) => `${role} ${typeof share === 'number' ? percent(share) : '?'}`);
      const stratify = asString(at(spec, 'stratifyBy'));
      return `Split into ${shares.join(', ')}${stratify === null ? '' : `, stratified by ${stratify}`}, seed ${jsonText(at(spec, 'seed'), 60)}${suffix}`;
    }
    case 'pseudonymise':
      return `Pseudonymisation of columns ${list(stringsAt(spec, 'columns') ?? [])}: values replaced by keyed pseudonyms${suffix}`;
    case 'dropColumns':
      return `Columns dropped: ${list(stringsAt(spec, 'columns') ?? [])}${suffix}`;
    case 'filter':
      return `Rows kept where ${jsonText(at(spec, 'where'), 300)}${suffix}`;
    case 'impute':
      return `Missing values imputed: ${asArray(at(spec, 'columns'))
        .map((column) => `${asString(at(column, 'name')) ?? '?'} (${asString(at(column, 'strategy')) ?? '?'})`)
        .join(', ')}${suffix}`;
    default:
      return `${type ?? 'Transformation'}: ${jsonText(spec, 300)}${suffix}`;
  }
}

const CLEANING_TYPES = new Set(['filter', 'impute', 'dropColumns']);

function preparationItem(evidence: DossierEvidence): AnnexIvItem {
  const transformations = evidence.records('dataset.transformed');
  const sheets = evidence.document.datasets
    .map((dataset) => fullDatasheet(evidence, dataset))
    .filter((sheet): sheet is DossierDatasheet => sheet !== undefined);
  const uniqueSheets = [...new Map(sheets.map((sheet) => [sheet.recordDigest, sheet])).values()];
  const title = 'Data preparation: selection, transformations, cleaning and labelling';
  const columns = inputColumns(evidence);
  if (transformations.length === 0 && uniqueSheets.length === 0 && columns.length === 0) {
    return gapItem('iv-2-d-preparation', 'Annex IV(2)(d)', title, 'No transformation, datasheet or dataset profile is recorded.');
  }
  const rows = transformations.map((record): AnnexIvCell[] => {
    const outputs = asArray(record.body.outputs).map((output) => {
      const versionId = asString(at(output, 'versionId')) ?? '';
      const role = asString(at(output, 'role')) ?? '?';
      const version = asNumber(versionRecord(evidence, versionId)?.body.version);
      const rowCount = asNumber(at(record.body, `summary.rowsPerOutput.${role}`));
      return `${role} → ${version === null ? versionId : `v${version}`}${rowCount === null ? '' : ` (${count(rowCount)} rows)`}`;
    });
    const input = asString(record.body.inputVersionId) ?? '';
    const inputVersion = asNumber(versionRecord(evidence, input)?.body.version);
    return [
      asString(record.body.endedAt) ?? record.createdAt,
      transformationText(record.body.spec, record.body.summary),
      inputVersion === null ? input : `v${inputVersion}`,
      outputs.join('; '),
      record.digest,
    ];
  });
  const labelling = uniqueSheets
    .map((sheet) => {
      const method = asString(at(sheet.datasheet, 'preprocessing.labeling.method'));
      const description = asString(at(sheet.datasheet, 'preprocessing.labeling.description'));
      return method === null ? null : `${words(method)}${description === null ? '' : `: ${description}`}`;
    })
    .filter((text): text is string => text !== null);
  const steps = uniqueSheets.flatMap((sheet) => asArray(at(sheet.datasheet, 'preprocessing.steps')));
  const cleaningRecorded = steps.length > 0 || transformations.some((record) => CLEANING_TYPES.has(asString(at(record.body, 'spec.type')) ?? ''));
  const missing = columns.filter((column) => column.missing !== null && column.missing > 0);
  const trainingRows = evidence.document.datasets.find((dataset) => dataset.role === 'training')?.rows ?? null;
  const identifiability = [
    ...new Set(evidence.document.datasets.map((dataset) => dataset.datasheet?.identifiability).filter((level): level is NonNullable<typeof level> => !!level)),
  ];
  return filledItem(
    'iv-2-d-preparation',
    'Annex IV(2)(d)',
    title,
    [
      table('Transformations recorded', ['Completed at', 'Transformation', 'Input', 'Outputs', 'Record digest'], rows),
      facts([
        fact('Label column', labelColumn(evidence)),
        fact('Labelling procedure', labelling.length === 0 ? null : labelling.join('; ')),
        fact('Identifiability of personal data (datasheets)', identifiability.length === 0 ? null : list(identifiability)),
        fact(
          'Missing values in the training data',
          columns.length === 0
            ? null
            : missing.length === 0
              ? 'none'
              : missing.map((column) => `${column.name}: ${count(column.missing ?? 0)}${trainingRows === null ? '' : ` of ${count(trainingRows)}`}`).join(', '),
        ),
      ]),
      partGapIf(labelling.length === 0, 'Labelling procedure', 'No datasheet says how the labels were produced (preprocessing.labeling).'),
      partGapIf(
        !cleaningRecorded,
        'Data cleaning methodology',
        'No cleaning step (outlier detection, filtering, imputation) is recorded in a transformation or a datasheet.',
      ),
    ],
    [...cite(...transformations), ...uniqueSheets.map((sheet) => ({ kind: 'datasheet.recorded', digest: sheet.recordDigest }))],
  );
}

function privacyItem(evidence: DossierEvidence): AnnexIvItem {
  const { privacy, datasets } = evidence.document;
  const title = 'Examination of personal data in the data sets';
  if (privacy === null) return gapItem('iv-2-d-privacy', 'Annex IV(2)(d)', title, 'No personal-data scan is recorded.');
  const byVersion = new Map(datasets.map((dataset) => [dataset.versionId, dataset]));
  const scanRows = privacy.scans.map((scan): AnnexIvCell[] => {
    const dataset = byVersion.get(scan.datasetVersionId);
    return [
      dataset === undefined ? `${scan.role} ${scan.datasetVersionId}` : datasetLabel(dataset),
      { value: scan.rows, text: count(scan.rows) },
      list(scan.piiColumns),
      scan.digest,
    ];
  });
  const findingRows = privacy.findings.map((finding): AnnexIvCell[] => [
    finding.entityType,
    list(finding.columns),
    { value: finding.count, text: count(finding.count) },
    percent(finding.maxShare),
    fixed(finding.maxConfidence, 2),
  ]);
  const k = privacy.kAnonymity;
  return filledItem(
    'iv-2-d-privacy',
    'Annex IV(2)(d)',
    title,
    [
      table('Scans for personal data', ['Dataset version', 'Rows', 'Columns with personal data', 'Scan record'], scanRows),
      table('Findings by entity type', ['Entity type', 'Columns', 'Count', 'Largest share of a column', 'Highest confidence'], findingRows),
      facts([
        fact('Personal data detected by the scans', yesNo(privacy.personalDataDetected)),
        fact(
          'k-anonymity of the training data',
          k === null ? null : `k = ${count(k.k)} over ${list(k.quasiIdentifiers)} (${count(k.records)} records in ${count(k.classes)} equivalence classes)`,
        ),
        fact('Lawful basis of the training data', privacy.legalBasis === null ? null : `GDPR Art. 6(1): ${words(privacy.legalBasis.article6)}`),
      ]),
      k === null ? partGap('k-anonymity', 'No quasi-identifiers were declared, so re-identification risk was not measured.') : null,
    ],
    privacy.scans.map((scan) => ({ kind: 'privacy.scanned', digest: scan.digest })),
  );
}
