import { existsSync, readFileSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import fc from 'fast-check';
import type { LineageGraph } from './lineage-graph';
import { digest, sampleLineage } from './lineage-graph.fixture';
import {
  OPENLINEAGE_FACET_SCHEMA_URLS,
  openLineageRunEvents,
  toOpenLineageEvents,
  type OpenLineageFacet,
  type OpenLineageRunEvent,
} from './openlineage.exporter';
import { activityRunId } from './run-id';

// The shared reference folder sits beside the repository root (/work/shared next to /work/main).
const REFERENCE_DIR = path.resolve(__dirname, '../../../..', '../shared/reference/openlineage');
const present = existsSync(path.join(REFERENCE_DIR, 'OpenLineage.json')) && existsSync(path.join(REFERENCE_DIR, 'facets'));
const describeSchema = present ? describe : describe.skip;
if (!present) console.warn(`OpenLineage schema validation skipped: ${REFERENCE_DIR} not found`);

interface SchemaFile {
  $id: string;
  properties?: Record<string, unknown>;
}

describeSchema(
  `OpenLineage events against OpenLineage.json 2-0-2 and its facet schemas${present ? '' : ' (SKIPPED: ../shared/reference/openlineage not found)'}`,
  () => {
    const core = JSON.parse(readFileSync(path.join(REFERENCE_DIR, 'OpenLineage.json'), 'utf8')) as SchemaFile;
    const facetFiles = present
      ? readdirSync(path.join(REFERENCE_DIR, 'facets'))
          .filter((f) => f.endsWith('.json'))
          .map((f) => JSON.parse(readFileSync(path.join(REFERENCE_DIR, 'facets', f), 'utf8')) as SchemaFile)
      : [];
    // Facet schemas validate a facets container ({schema: {…}}) and $ref the core by its $id.
    // strictRequired off: the upstream schema's `not: {required: [job, run]}` is valid JSON Schema that the lint dislikes.
    const ajv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false });
    ajv.addKeyword('example');
    addFormats(ajv);
    ajv.addSchema(core);
    for (const schema of facetFiles) ajv.addSchema(schema);
    const facetSchemaByKey = new Map<string, string>();
    for (const schema of facetFiles) for (const key of Object.keys(schema.properties ?? {})) facetSchemaByKey.set(key, schema.$id);

    function problems(id: string, data: unknown): string[] {
      const validate = ajv.getSchema(id);
      if (!validate) throw new Error(`schema ${id} not registered`);
      return validate(data) ? [] : (validate.errors ?? []).map((e) => `${id} ${e.instancePath} ${e.message}`);
    }

    /** The whole event against the core schema, then every standard facet against its own schema. */
    function eventProblems(event: OpenLineageRunEvent): string[] {
      const found = problems(core.$id, event);
      const containers: Record<string, OpenLineageFacet>[] = [
        event.run.facets,
        event.job.facets,
        ...[...event.inputs, ...event.outputs].flatMap((d) => [d.facets, d.outputFacets ?? {}]),
      ];
      for (const facets of containers) {
        for (const [key, facet] of Object.entries(facets)) {
          const schemaId = facetSchemaByKey.get(key);
          if (schemaId === undefined) {
            if (!key.startsWith('assay_')) found.push(`facet ${key} is neither standard nor assay_-prefixed`);
            continue;
          }
          found.push(...problems(schemaId, { [key]: facet }));
          if (!facet._schemaURL.startsWith(`${schemaId}#`)) found.push(`facet ${key}: _schemaURL ${facet._schemaURL} is not ${schemaId}`);
        }
      }
      return found;
    }

    it('registers every facet schema and validates the upstream facet examples (the validators are live)', () => {
      expect(facetFiles.length).toBeGreaterThan(10);
      for (const key of ['schema', 'dataSource', 'version', 'outputStatistics', 'jobType', 'executionParameters'])
        expect(facetSchemaByKey.has(key)).toBe(true);
      const example = JSON.parse(readFileSync(path.join(REFERENCE_DIR, 'tests', 'DatasourceDatasetFacet', '1.json'), 'utf8')) as unknown;
      expect(problems(facetSchemaByKey.get('dataSource')!, example)).toEqual([]);
      expect(problems(facetSchemaByKey.get('dataSource')!, { dataSource: { name: 'x' } })).not.toEqual([]);
    });

    it('emits events that validate, core and facets', () => {
      const events = toOpenLineageEvents(sampleLineage());
      expect(events).toHaveLength(6);
      for (const event of events) expect(eventProblems(event)).toEqual([]);
    });

    it('validates with a configured namespace, producer and data source', () => {
      const options = {
        namespace: 'https://audit.acme.test/ns/',
        producer: 'https://git.acme.test/assay/tree/v1.2.3',
        jobNamespace: 'acme',
        datasetNamespace: 'assay://acme',
      };
      for (const event of toOpenLineageEvents(sampleLineage(), options)) expect(eventProblems(event)).toEqual([]);
    });

    it('emits events that validate for random lineage graphs', () => {
      const arbGraph = fc
        .record({
          ids: fc.uniqueArray(fc.string({ minLength: 1, maxLength: 8 }), { minLength: 4, maxLength: 4 }),
          steps: fc.array(
            fc.record({ reads: fc.array(fc.nat(), { maxLength: 3 }), writes: fc.integer({ min: 1, max: 3 }), bytes: fc.option(fc.nat()) }),
            {
              minLength: 1,
              maxLength: 5,
            },
          ),
          parameters: fc.dictionary(fc.string({ minLength: 1, maxLength: 6 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 }),
        })
        .map(({ ids, steps, parameters }): LineageGraph => {
          const graph: LineageGraph = { versions: [], activities: [], agents: [{ id: ids[0]!, kind: 'software' }] };
          steps.forEach((step, s) => {
            const existing = graph.versions.map((v) => v.id);
            const inputs = existing.length === 0 ? [] : [...new Set(step.reads.map((r) => existing[r % existing.length]!))];
            const outputs = Array.from({ length: step.writes }, (_, w) => ({ versionId: `${ids[1]}${s}.${w}`, role: ids[2] }));
            for (const { versionId } of outputs) {
              graph.versions.push({
                id: versionId,
                datasetId: ids[3]!,
                version: s + 1,
                tableSha256: digest('e'),
                rows: String(s),
                bytes: step.bytes,
                columns: [{ name: ids[2]! }],
                createdAt: new Date(Date.UTC(2025, 0, 1, s, 1)),
                createdBy: ids[0]!,
              });
            }
            const startedAt = new Date(Date.UTC(2025, 0, 1, s));
            graph.activities.push({
              id: `${ids[1]}/${s}`,
              type: ids[2]!,
              parameters: JSON.parse(JSON.stringify(parameters)) as Record<string, unknown>,
              inputs,
              outputs,
              startedAt,
              endedAt: startedAt,
              actor: ids[0]!,
            });
          });
          return graph;
        });
      fc.assert(
        fc.property(arbGraph, (graph) => {
          for (const event of toOpenLineageEvents(graph)) expect(eventProblems(event)).toEqual([]);
        }),
        { numRuns: 100 },
      );
    });

    it('catches a broken event (the core validator is live)', () => {
      const [start] = toOpenLineageEvents(sampleLineage());
      expect(eventProblems({ ...start!, run: { ...start!.run, runId: 'not-a-uuid' } })).not.toEqual([]);
      const noProducer = {
        ...start!,
        job: { ...start!.job, facets: { jobType: { _schemaURL: OPENLINEAGE_FACET_SCHEMA_URLS.jobType } as OpenLineageFacet } },
      };
      expect(eventProblems(noProducer)).not.toEqual([]);
    });
  },
);

describe('toOpenLineageEvents', () => {
  const events = toOpenLineageEvents(sampleLineage());

  it('emits START then COMPLETE per activity, in start order, with a stable runId', () => {
    expect(events.map((e) => [e.job.name, e.eventType, e.eventTime])).toEqual([
      ['dataset-upload', 'START', '2025-03-01T10:00:00.000Z'],
      ['dataset-upload', 'COMPLETE', '2025-03-01T10:00:05.000Z'],
      ['dataset-pseudonymise', 'START', '2025-03-01T11:00:00.000Z'],
      ['dataset-pseudonymise', 'COMPLETE', '2025-03-01T11:00:02.000Z'],
      ['dataset-split', 'START', '2025-03-01T12:00:00.000Z'],
      ['dataset-split', 'COMPLETE', '2025-03-01T12:00:01.000Z'],
    ]);
    expect(events[0]!.run.runId).toBe(events[1]!.run.runId);
    expect(events[4]!.run.runId).toBe('0b6f3c1e-8e8d-4c2a-9a39-6f1e0e3d2c11');
    expect(events[2]!.run.runId).toBe(activityRunId('act-pseudonymise', 'https://assay.example/ns#'));
    expect(toOpenLineageEvents(sampleLineage())).toEqual(events);
    expect(new Set(events.map((e) => e.run.runId)).size).toBe(3);
  });

  it('describes the split run: datasets with schema, data source, version and digests; parameters; row counts on COMPLETE', () => {
    const [start, complete] = openLineageRunEvents(sampleLineage(), '0B6F3C1E-8E8D-4C2A-9A39-6F1E0E3D2C11');
    const producer = 'https://assay.example/assay';
    expect(start.producer).toBe(producer);
    expect(start.schemaURL).toBe('https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent');
    expect(start.job).toEqual({
      namespace: 'assay',
      name: 'dataset-split',
      facets: {
        jobType: {
          _producer: producer,
          _schemaURL: OPENLINEAGE_FACET_SCHEMA_URLS.jobType,
          processingType: 'BATCH',
          integration: 'ASSAY',
          jobType: 'SPLIT',
        },
      },
    });
    expect(start.run.facets.executionParameters!.parameters).toEqual([
      { key: '/ratios/test', value: '0.2' },
      { key: '/ratios/train', value: '0.8' },
      { key: '/seed', value: '42' },
      { key: '/stratifyBy', value: 'label' },
      { key: '/type', value: 'split' },
    ]);
    expect(start.inputs).toEqual([
      {
        namespace: 'https://assay.example',
        name: 'datasets/adult',
        facets: {
          schema: {
            _producer: producer,
            _schemaURL: OPENLINEAGE_FACET_SCHEMA_URLS.schema,
            fields: [
              { name: 'email', type: 'categorical', ordinal_position: 1 },
              { name: 'age', type: 'numeric', ordinal_position: 2 },
              { name: 'label', type: 'string', ordinal_position: 3 },
            ],
          },
          dataSource: {
            _producer: producer,
            _schemaURL: OPENLINEAGE_FACET_SCHEMA_URLS.dataSource,
            name: 'https://assay.example',
            uri: 'https://assay.example',
          },
          version: { _producer: producer, _schemaURL: OPENLINEAGE_FACET_SCHEMA_URLS.version, datasetVersion: '2' },
          assay_digests: {
            _producer: producer,
            _schemaURL: 'https://assay.example/ns#DatasetDigestsFacet',
            versionId: 'v-ps',
            tableSha256: digest('d'),
          },
        },
      },
    ]);
    expect(start.outputs.map((o) => [o.name, o.outputFacets])).toEqual([
      ['datasets/adult-train', undefined],
      ['datasets/adult-test', undefined],
    ]);
    expect(complete.outputs.map((o) => [o.name, o.outputFacets?.outputStatistics])).toEqual([
      ['datasets/adult-train', { _producer: producer, _schemaURL: OPENLINEAGE_FACET_SCHEMA_URLS.outputStatistics, rowCount: 80 }],
      [
        'datasets/adult-test',
        { _producer: producer, _schemaURL: OPENLINEAGE_FACET_SCHEMA_URLS.outputStatistics, rowCount: 20, size: 1000 },
      ],
    ]);
    const [upload] = toOpenLineageEvents(sampleLineage());
    expect(upload!.outputs[0]!.facets.assay_digests).toMatchObject({ versionId: 'v-raw', sha256: digest('a'), tableSha256: digest('b') });
  });

  it('refuses a producer that is not a URI and an unknown activity', () => {
    expect(() => toOpenLineageEvents(sampleLineage(), { producer: 'assay 1.0' })).toThrow('absolute URI');
    expect(() => openLineageRunEvents(sampleLineage(), 'nope')).toThrow('activity nope is not in the lineage graph');
  });
});
