/**
 * `datasets`: every split the run read (training, validation, test), each described by its own
 * `dataset_version.registered` record and the dataset's `dataset.registered` name. Its datasheet is
 * its own latest `datasheet.recorded`, else the latest one of the source version it was split from
 * (a split copies rows of the source, which that datasheet describes; the summary's digest names the
 * record it came from). The source version is not listed itself: the document has no role for it.
 */
import type { DatasetEvidence, DatasetRole } from '../evidence-document';
import { EvidenceAssemblyError, readRecord } from './assembly.error';
import { summariseDatasheet } from './datasheet-summary';
import type { DatasetRegisteredBody, DatasetVersionRegisteredBody, DatasheetBody, RunInputs, SplitInput } from './producer-bodies';
import type { Evidence, RecordSet } from './record-set';

export const DATASET_ROLES: Readonly<Record<SplitInput['role'], DatasetRole>> = { train: 'training', validation: 'validation', test: 'test' };

function missing(kind: string, subject: { type: string; id: string }): EvidenceAssemblyError {
  return new EvidenceAssemblyError(
    'EVIDENCE_ASSEMBLY_RECORD_MISSING',
    `The model was trained on ${subject.type} ${subject.id}, but its ${kind} record is not among the records`,
    {
      kind,
      subject,
    },
  );
}

/** The datasheet that documents a split: its own, else its source version's. */
export function datasheetFor(current: RecordSet, versionId: string, inputs: RunInputs): Evidence<DatasheetBody> | null {
  return current.latest<DatasheetBody>('datasheet.recorded', versionId) ?? current.latest<DatasheetBody>('datasheet.recorded', inputs.sourceVersionId);
}

function datasetEvidence(current: RecordSet, inputs: RunInputs, name: string, split: SplitInput): DatasetEvidence {
  const registered = current.latest<DatasetVersionRegisteredBody>('dataset_version.registered', split.versionId);
  if (!registered) throw missing('dataset_version.registered', { type: 'dataset_version', id: split.versionId });
  const version = readRecord(registered, () => {
    const { body } = registered;
    if (body.tableDigest !== split.tableDigest) {
      throw new EvidenceAssemblyError(
        'EVIDENCE_ASSEMBLY_INCONSISTENT',
        `The run read table ${split.tableDigest} as version ${split.versionId}, which registered ${body.tableDigest}`,
        {
          kind: registered.kind,
          digest: registered.digest,
        },
      );
    }
    return { ...body, columnNames: body.columns.map((column) => column.name) };
  });
  const sheet = datasheetFor(current, split.versionId, inputs);
  return {
    role: DATASET_ROLES[split.role],
    datasetId: version.datasetId,
    name,
    versionId: version.versionId,
    version: version.version,
    origin: version.origin,
    tableDigest: version.tableDigest,
    rawDigest: version.rawDigest,
    rows: version.rows,
    columns: version.columnNames.length,
    datasheet: sheet ? readRecord(sheet, () => summariseDatasheet(sheet, version.columnNames)) : null,
  };
}

export function datasetsSection(current: RecordSet, inputs: RunInputs | null): DatasetEvidence[] {
  if (!inputs) return [];
  const dataset = current.latest<DatasetRegisteredBody>('dataset.registered', inputs.datasetId);
  if (!dataset) throw missing('dataset.registered', { type: 'dataset', id: inputs.datasetId });
  const name = readRecord(dataset, () => {
    if (typeof dataset.body.name !== 'string') throw new TypeError('the dataset has no name');
    return dataset.body.name;
  });
  return inputs.splits.map((split) => datasetEvidence(current, inputs, name, split));
}
