import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import addFormats from 'ajv-formats';
import AjvDraft04 from 'ajv-draft-04';
import fc from 'fast-check';
import { LineageGraphError, lineageOf, type LineageGraph } from './lineage-graph';
import { digest, sampleLineage } from './lineage-graph.fixture';
import { toProvJson, type ProvDocument } from './prov-json.exporter';

// The shared reference folder sits beside the repository root (/work/shared next to /work/main).
const SCHEMA_FILE = path.resolve(__dirname, '../../../..', '../shared/reference/prov/prov-json-schema-v4.json');
const present = existsSync(SCHEMA_FILE);
const describeSchema = present ? describe : describe.skip;
if (!present) console.warn(`PROV-JSON schema validation skipped: ${SCHEMA_FILE} not found`);

describeSchema(
  `PROV-JSON export against prov-json-schema-v4.json${present ? '' : ' (SKIPPED: ../shared/reference/prov not found)'}`,
  () => {
    let validate: (document: unknown) => string[];

    beforeAll(() => {
      const ajv = new AjvDraft04({ allErrors: true });
      addFormats(ajv);
      const check = ajv.compile(JSON.parse(readFileSync(SCHEMA_FILE, 'utf8')) as object);
      validate = (document) => (check(document) ? [] : (check.errors ?? []).map((e) => `${e.instancePath} ${e.message}`));
    });

    it('validates the sample lineage, whole and per version', () => {
      expect(validate(toProvJson(sampleLineage()))).toEqual([]);
      expect(validate(toProvJson(lineageOf(sampleLineage(), 'v-raw')))).toEqual([]);
      expect(validate(toProvJson(sampleLineage(), { namespace: 'https://audit.acme.test/assay/' }))).toEqual([]);
    });

    it('rejects a broken document (the validator is live)', () => {
      const document = toProvJson(sampleLineage()) as unknown as Record<string, Record<string, Record<string, unknown>>>;
      document.wasGeneratedBy!['assay:generation/v-raw']!['prov:time'] = 'yesterday';
      expect(validate(document)).not.toEqual([]);
    });

    it('validates random lineage graphs', () => {
      fc.assert(
        fc.property(arbLineage, (graph) => expect(validate(toProvJson(graph))).toEqual([])),
        { numRuns: 100 },
      );
    });
  },
);

describe('toProvJson', () => {
  const document = toProvJson(sampleLineage());

  it('declares the assay, prov and xsd prefixes', () => {
    expect(document.prefix).toEqual({
      assay: 'https://assay.example/ns#',
      prov: 'http://www.w3.org/ns/prov#',
      xsd: 'http://www.w3.org/2001/XMLSchema#',
    });
    expect(toProvJson(sampleLineage(), { namespace: 'https://acme.test/lineage/' }).prefix.assay).toBe('https://acme.test/lineage/');
    expect(() => toProvJson(sampleLineage(), { namespace: 'acme' })).toThrow('absolute URI');
    expect(() => toProvJson(sampleLineage(), { namespace: 'https://acme.test/ns' })).toThrow('ending in # or /');
  });

  it('describes each dataset version as an entity with its digests and shape', () => {
    expect(document.entity?.['assay:dataset-version/v-raw']).toEqual({
      'prov:type': { $: 'assay:DatasetVersion', type: 'prov:QUALIFIED_NAME' },
      'prov:label': 'Adult census v1',
      'assay:versionId': 'v-raw',
      'assay:datasetId': 'adult',
      'assay:version': { $: '1', type: 'xsd:int' },
      'assay:sha256': digest('a'),
      'assay:tableSha256': digest('b'),
      'assay:rows': { $: '100', type: 'xsd:long' },
      'assay:bytes': { $: '5120', type: 'xsd:long' },
      'assay:columns': { $: '3', type: 'xsd:int' },
      'assay:column/0': 'email',
      'assay:column/1': 'age',
      'assay:column/2': 'label',
      'assay:columnType/0': 'categorical',
      'assay:columnType/1': 'numeric',
      'assay:createdAt': { $: '2025-03-01T10:00:05.000Z', type: 'xsd:dateTime' },
    });
    expect(document.entity?.['assay:dataset/adult']).toEqual({
      'prov:type': { $: 'assay:Dataset', type: 'prov:QUALIFIED_NAME' },
      'prov:label': 'Adult census',
      'assay:datasetId': 'adult',
    });
    expect(document.specializationOf?.['assay:specialization/v-ps']).toEqual({
      'prov:specificEntity': 'assay:dataset-version/v-ps',
      'prov:generalEntity': 'assay:dataset/adult',
    });
  });

  it('describes each activity with its times, type and parameters, and escapes odd ids', () => {
    expect(document.activity?.['assay:activity/0B6F3C1E-8E8D-4C2A-9A39-6F1E0E3D2C11']).toEqual({
      'prov:startTime': '2025-03-01T12:00:00.000Z',
      'prov:endTime': '2025-03-01T12:00:01.000Z',
      'prov:type': { $: 'assay:split', type: 'prov:QUALIFIED_NAME' },
      'assay:activityType': 'split',
      'assay:runId': '0b6f3c1e-8e8d-4c2a-9a39-6f1e0e3d2c11',
      'assay:parameters': '{"ratios":{"test":0.2,"train":0.8},"seed":42,"stratifyBy":"label","type":"split"}',
      'assay:parameter/ratios/test': 0.2,
      'assay:parameter/ratios/train': 0.8,
      'assay:parameter/seed': 42,
      'assay:parameter/stratifyBy': 'label',
      'assay:parameter/type': 'split',
    });
    expect(Object.keys(document.activity ?? {})).toContain('assay:activity/upload%3Av-raw');
    expect(document.entity?.['assay:dataset-version/v-ps']).not.toHaveProperty('assay:sha256');
    expect(document.agent?.['assay:agent/svc%2Fworker']).toEqual({
      'prov:type': { $: 'prov:SoftwareAgent', type: 'prov:QUALIFIED_NAME' },
      'prov:label': 'assay worker',
      'assay:agentId': 'svc/worker',
    });
    expect(document.agent?.['assay:agent/u-alice']?.['prov:type']).toEqual({ $: 'prov:Person', type: 'prov:QUALIFIED_NAME' });
  });

  it('relates them: generation, usage, derivation, association, attribution', () => {
    const split = 'assay:activity/0B6F3C1E-8E8D-4C2A-9A39-6F1E0E3D2C11';
    expect(document.wasGeneratedBy?.['assay:generation/v-train']).toEqual({
      'prov:entity': 'assay:dataset-version/v-train',
      'prov:activity': split,
      'prov:time': '2025-03-01T12:00:01.000Z',
      'prov:role': 'train',
    });
    expect(document.used?.['assay:usage/0B6F3C1E-8E8D-4C2A-9A39-6F1E0E3D2C11/v-ps']).toEqual({
      'prov:activity': split,
      'prov:entity': 'assay:dataset-version/v-ps',
      'prov:time': '2025-03-01T12:00:00.000Z',
    });
    expect(document.wasDerivedFrom?.['assay:derivation/v-test/v-ps']).toEqual({
      'prov:generatedEntity': 'assay:dataset-version/v-test',
      'prov:usedEntity': 'assay:dataset-version/v-ps',
      'prov:activity': split,
      'prov:generation': 'assay:generation/v-test',
      'prov:usage': 'assay:usage/0B6F3C1E-8E8D-4C2A-9A39-6F1E0E3D2C11/v-ps',
    });
    expect(document.wasAssociatedWith?.['assay:association/act-pseudonymise']).toEqual({
      'prov:activity': 'assay:activity/act-pseudonymise',
      'prov:agent': 'assay:agent/svc%2Fworker',
    });
    expect(document.wasAttributedTo?.['assay:attribution/v-raw']).toEqual({
      'prov:entity': 'assay:dataset-version/v-raw',
      'prov:agent': 'assay:agent/u-alice',
    });
    expect(Object.keys(document.wasDerivedFrom ?? {}).sort()).toEqual([
      'assay:derivation/v-ps/v-raw',
      'assay:derivation/v-test/v-ps',
      'assay:derivation/v-train/v-ps',
    ]);
    expect(Object.keys(document.used ?? {})).toHaveLength(2);
  });

  it('refers only to nodes it declares', () => {
    fc.assert(
      fc.property(arbLineage, (graph) => {
        const doc = toProvJson(graph);
        const declared = new Set([
          ...Object.keys(doc.entity ?? {}),
          ...Object.keys(doc.activity ?? {}),
          ...Object.keys(doc.agent ?? {}),
          ...Object.keys(doc.wasGeneratedBy ?? {}),
          ...Object.keys(doc.used ?? {}),
        ]);
        for (const relation of relations(doc)) {
          for (const [key, value] of Object.entries(relation)) {
            if (REFERENCES.includes(key)) {
              expect(declared.has(value as string)).toBe(true);
            }
          }
        }
      }),
      { numRuns: 100 },
    );
  });

  it('is deterministic whatever the order of the graph lists', () => {
    const graph = sampleLineage();
    const shuffled: LineageGraph = {
      versions: [...graph.versions].reverse(),
      activities: [...graph.activities].reverse(),
      agents: [...graph.agents].reverse(),
    };
    expect(JSON.stringify(toProvJson(shuffled))).toBe(JSON.stringify(document));
  });

  it('refuses a graph that does not hold together', () => {
    const graph = sampleLineage();
    graph.activities[1]!.inputs.push('v-missing');
    expect(() => toProvJson(graph)).toThrow(LineageGraphError);
    expect(() => toProvJson(graph)).toThrow('version v-missing is not in the graph');
  });
});

const REFERENCES = [
  'prov:entity',
  'prov:activity',
  'prov:agent',
  'prov:generatedEntity',
  'prov:usedEntity',
  'prov:generation',
  'prov:usage',
  'prov:specificEntity',
  'prov:generalEntity',
];

function relations(doc: ProvDocument): Record<string, unknown>[] {
  const kinds = ['wasGeneratedBy', 'used', 'wasDerivedFrom', 'wasAssociatedWith', 'wasAttributedTo', 'specializationOf'] as const;
  return kinds.flatMap((kind) => Object.values(doc[kind] ?? {}));
}

/** Random DAGs: each activity reads some earlier versions and writes new ones; ids with odd characters. */
const arbLineage = fc
  .record({
    ids: fc.uniqueArray(fc.string({ minLength: 1, maxLength: 8 }), { minLength: 12, maxLength: 12 }),
    steps: fc.array(
      fc.record({
        reads: fc.array(fc.nat(), { maxLength: 3 }),
        writes: fc.integer({ min: 1, max: 3 }),
        type: fc.constantFrom('upload', 'split', 'filter', 'x y'),
      }),
      {
        minLength: 1,
        maxLength: 6,
      },
    ),
    parameters: fc.dictionary(fc.string({ minLength: 1, maxLength: 6 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 }),
  })
  .map(({ ids, steps, parameters }): LineageGraph => {
    const graph: LineageGraph = { versions: [], activities: [], agents: [{ id: ids[0]!, kind: 'person' }] };
    let t = Date.UTC(2025, 0, 1);
    steps.forEach((step, s) => {
      const existing = graph.versions.map((v) => v.id);
      const inputs = existing.length === 0 ? [] : [...new Set(step.reads.map((r) => existing[r % existing.length]!))];
      const outputs = Array.from({ length: step.writes }, (_, w) => `${ids[1 + (s % 11)]}#${s}.${w}`);
      for (const id of outputs) {
        graph.versions.push({
          id,
          datasetId: ids[w(s)]!,
          version: s + 1,
          sha256: 'ab',
          tableSha256: 'cd',
          rows: s,
          columns: [{ name: ids[2]! }],
          createdAt: new Date(t + 1000),
          createdBy: ids[0]!,
        });
      }
      graph.activities.push({
        id: `${ids[3]}/${s}`,
        type: step.type,
        parameters: JSON.parse(JSON.stringify(parameters)) as Record<string, unknown>,
        inputs,
        outputs,
        startedAt: new Date(t),
        endedAt: new Date(t + 1000),
        actor: ids[0]!,
      });
      t += 60_000;
    });
    return graph;
  });

function w(s: number): number {
  return 4 + (s % 8);
}
