import { existsSync, readFileSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { toOpenLineageEvents, type OpenLineageDataset, type OpenLineageFacet, type OpenLineageRunEvent } from '../../../pipeline/datasets/provenance';
import { modelDossierFixture } from '../dossier/dossier.fixture';
import type { ModelDossier } from '../dossier/model-dossier';
import { modelLineage } from './model-lineage';
import { approvedDossierFixture } from './model-lineage.fixture';
import { MODEL_JOB_NAMES, toModelOpenLineageEvents } from './model-openlineage.exporter';

// The shared reference folder sits beside the repository root (/work/shared next to /work/main).
const REFERENCE_DIR = path.resolve(__dirname, '../../../..', '../shared/reference/openlineage');
const present = existsSync(path.join(REFERENCE_DIR, 'OpenLineage.json')) && existsSync(path.join(REFERENCE_DIR, 'facets'));
const describeSchema = present ? describe : describe.skip;
if (!present) console.warn(`OpenLineage schema validation skipped: ${REFERENCE_DIR} not found`);

interface SchemaFile {
  $id: string;
  properties?: Record<string, unknown>;
}

const runOf = (events: OpenLineageRunEvent[], job: string) => events.filter((event) => event.job.name === job);
const versionIdOf = (dataset: OpenLineageDataset) => dataset.facets.assay_digests?.versionId;

describeSchema(
  `model lineage OpenLineage events against OpenLineage.json 2-0-2 and its facet schemas${present ? '' : ' (SKIPPED: ../shared/reference/openlineage not found)'}`,
  () => {
    let coreId: string;
    const ajv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false });
    const facetSchemaByKey = new Map<string, string>();

    beforeAll(() => {
      const core = JSON.parse(readFileSync(path.join(REFERENCE_DIR, 'OpenLineage.json'), 'utf8')) as SchemaFile;
      const facetFiles = readdirSync(path.join(REFERENCE_DIR, 'facets'))
        .filter((f) => f.endsWith('.json'))
        .map((f) => JSON.parse(readFileSync(path.join(REFERENCE_DIR, 'facets', f), 'utf8')) as SchemaFile);
      // As the dataset exporter's spec: facet schemas validate a facets container and $ref the core by its $id.
      ajv.addKeyword('example');
      addFormats(ajv);
      ajv.addSchema(core);
      for (const schema of facetFiles) ajv.addSchema(schema);
      for (const schema of facetFiles) for (const key of Object.keys(schema.properties ?? {})) facetSchemaByKey.set(key, schema.$id);
      coreId = core.$id;
    });

    function problems(id: string, data: unknown): string[] {
      const validate = ajv.getSchema(id);
      if (!validate) throw new Error(`schema ${id} not registered`);
      return validate(data) ? [] : (validate.errors ?? []).map((e) => `${id} ${e.instancePath} ${e.message}`);
    }

    /** The whole event against the core schema, then every standard facet against its own schema. */
    function eventProblems(event: OpenLineageRunEvent): string[] {
      const found = problems(coreId, event);
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

    it('emits events that validate, core and facets, for the fixture and an approved version', async () => {
      for (const dossier of [await modelDossierFixture(), await approvedDossierFixture()]) {
        const events = toModelOpenLineageEvents(dossier);
        expect(events.length).toBeGreaterThanOrEqual(8);
        for (const event of events) expect(eventProblems(event)).toEqual([]);
      }
    });

    it('validates with a configured namespace, producer and data source', async () => {
      const options = {
        namespace: 'https://audit.acme.test/ns/',
        producer: 'https://git.acme.test/assay/tree/v1.2.3',
        jobNamespace: 'acme',
        datasetNamespace: 'assay://acme',
      };
      for (const event of toModelOpenLineageEvents(await modelDossierFixture(), options)) expect(eventProblems(event)).toEqual([]);
    });

    it('rejects a broken event (the validators are live)', async () => {
      const [event] = toModelOpenLineageEvents(await modelDossierFixture()).filter((e) => e.job.name === MODEL_JOB_NAMES.training);
      expect(eventProblems({ ...event!, eventTime: 'yesterday' })).not.toEqual([]);
      const output = event!.outputs[0]!;
      expect(
        eventProblems({ ...event!, outputs: [{ ...output, facets: { ...output.facets, datasetType: { ...output.facets.datasetType!, datasetType: 7 } } }] }),
      ).not.toEqual([]);
    });
  },
);

describe(toModelOpenLineageEvents.name, () => {
  let dossier: ModelDossier;
  let events: OpenLineageRunEvent[];

  beforeAll(async () => {
    dossier = await modelDossierFixture();
    events = toModelOpenLineageEvents(dossier);
  });

  it('starts with the dataset jobs of the provenance library and adds the training and the evaluation, in time order', () => {
    const datasetEvents = toOpenLineageEvents(modelLineage(dossier).graph);
    expect(events.slice(0, datasetEvents.length)).toEqual(datasetEvents);
    expect(events.map((e) => `${e.job.name} ${e.eventType}`).slice(datasetEvents.length)).toEqual([
      'model-training START',
      'model-training COMPLETE',
      'model-evaluation START',
      'model-evaluation COMPLETE',
    ]);
    const times = events.map((e) => new Date(e.eventTime).getTime());
    expect([...times].sort((a, b) => a - b)).toEqual(times);
  });

  it('has the training run read the training and validation splits and write the model as a MODEL dataset', () => {
    const { training, artifacts, model } = dossier.document;
    const [start, complete] = runOf(events, MODEL_JOB_NAMES.training);
    expect(start).toMatchObject({ eventType: 'START', eventTime: training!.startedAt, run: { runId: training!.runId } });
    expect(complete).toMatchObject({ eventType: 'COMPLETE', eventTime: training!.endedAt, run: { runId: training!.runId } });
    expect(start!.inputs.map(versionIdOf)).toEqual([training!.trainingDatasetVersionId, training!.validationDatasetVersionId]);
    expect(start!.outputs).toHaveLength(1);
    expect(start!.outputs[0]).toMatchObject({
      name: `models/${model.id}`,
      facets: { datasetType: { datasetType: 'MODEL' }, version: { datasetVersion: '1' }, assay_model: { modelDigest: artifacts!.modelDigest } },
    });
    expect(start!.run.facets.executionParameters!.parameters).toContainEqual({ key: '/model/type', value: 'logistic_regression' });
  });

  it('describes a split exactly as the dataset exporter does', () => {
    const split = events.find((e) => e.job.name === 'dataset-split' && e.eventType === 'START')!;
    const [training] = runOf(events, MODEL_JOB_NAMES.training);
    for (const input of training!.inputs) expect(split.outputs).toContainEqual(input);
  });

  it('has the evaluation read the test split and the model, timed by its energy measurement', () => {
    const [start, complete] = runOf(events, MODEL_JOB_NAMES.evaluation);
    expect(start!.run.runId).toBe(complete!.run.runId);
    expect(start!.inputs.map((d) => d.name)).toEqual([`datasets/${dossier.document.datasets[2]!.datasetId}`, `models/${dossier.document.model.id}`]);
    expect(versionIdOf(start!.inputs[0]!)).toBe(dossier.document.evaluation!.datasetVersionId);
    expect(start!.outputs).toEqual([]);
    expect(complete!.run.facets.assay_metrics).toMatchObject({ metrics: dossier.document.evaluation!.metrics });
  });

  it('emits only the COMPLETE event of an evaluation whose start is not recorded', async () => {
    const unmeasured = await modelDossierFixture();
    const evaluation = unmeasured.records.find((r) => r.kind === 'evaluation.completed')!;
    unmeasured.records = unmeasured.records.filter((r) => !(r.kind === 'energy.measured' && r.body.stage === 'evaluation'));
    const run = runOf(toModelOpenLineageEvents(unmeasured), MODEL_JOB_NAMES.evaluation);
    expect(run.map((e) => [e.eventType, e.eventTime])).toEqual([['COMPLETE', evaluation.createdAt]]);
  });

  it('is deterministic: the same dossier gives the same bytes', async () => {
    expect(JSON.stringify(toModelOpenLineageEvents(await modelDossierFixture()))).toBe(JSON.stringify(events));
  });
});
