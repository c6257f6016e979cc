import { uploadActivity, type LineageGraph, type LineageVersion } from './lineage-graph';

/** `sha256:` + 64 hex characters, the form dataset_versions stores. */
export const digest = (hexDigit: string): string => `sha256:${hexDigit.repeat(64)}`;

/**
 * A small lineage for specs, shaped like the database rows it would come from: an upload (made
 * with `uploadActivity`), a pseudonymisation, then a stratified split into train and test. Counts
 * are bigint strings where PostgreSQL would return them; one activity id is a UUID, others are
 * not; some ids need escaping.
 */
export function sampleLineage(): LineageGraph {
  const columns = [{ name: 'email', type: 'categorical' as const }, { name: 'age', type: 'numeric' as const }, { name: 'label' }];
  const raw: LineageVersion = {
    id: 'v-raw',
    datasetId: 'adult',
    datasetName: 'Adult census',
    version: 1,
    sha256: digest('a'),
    tableSha256: digest('b'),
    rows: '100',
    bytes: '5120',
    columns,
    createdAt: new Date('2025-03-01T10:00:05Z'),
    createdBy: 'u-alice',
  };
  return {
    agents: [
      { id: 'u-alice', kind: 'person', label: 'Alice Engineer', role: 'engineer' },
      { id: 'svc/worker', kind: 'software', label: 'assay worker' },
    ],
    versions: [
      raw,
      {
        id: 'v-ps',
        datasetId: 'adult',
        datasetName: 'Adult census',
        version: 2,
        sha256: null,
        tableSha256: digest('d'),
        rows: 100,
        columns,
        createdAt: '2025-03-01T11:00:02.000Z',
        createdBy: 'svc/worker',
      },
      {
        id: 'v-train',
        datasetId: 'adult-train',
        version: 1,
        tableSha256: digest('f'),
        rows: '80',
        columns,
        createdAt: '2025-03-01T12:00:01Z',
        createdBy: 'u-alice',
      },
      {
        id: 'v-test',
        datasetId: 'adult-test',
        version: 1,
        tableSha256: digest('2'),
        rows: 20,
        bytes: 1000,
        columns,
        createdAt: '2025-03-01T12:00:01Z',
        createdBy: 'u-alice',
      },
    ],
    activities: [
      { ...uploadActivity(raw, { fileName: 'adult.csv', encoding: 'utf-8' }), startedAt: '2025-03-01T10:00:00Z' },
      {
        id: 'act-pseudonymise',
        type: 'pseudonymise',
        parameters: { type: 'pseudonymise', columns: ['email'] },
        inputs: ['v-raw'],
        outputs: ['v-ps'],
        startedAt: '2025-03-01T11:00:00Z',
        endedAt: '2025-03-01T11:00:02Z',
        actor: 'svc/worker',
      },
      {
        id: '0B6F3C1E-8E8D-4C2A-9A39-6F1E0E3D2C11',
        type: 'split',
        parameters: { type: 'split', ratios: { train: 0.8, test: 0.2 }, seed: 42, stratifyBy: 'label' },
        inputs: ['v-ps'],
        outputs: [
          { versionId: 'v-train', role: 'train' },
          { versionId: 'v-test', role: 'test' },
        ],
        startedAt: new Date('2025-03-01T12:00:00Z'),
        endedAt: new Date('2025-03-01T12:00:01Z'),
        actor: 'u-alice',
      },
    ],
  };
}
