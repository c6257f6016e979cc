import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import addDraft2019Formats from 'ajv-formats-draft2019';
import { modelDossierFixture } from '../dossier/dossier.fixture';
import type { ModelDossier } from '../dossier/model-dossier';
import { datasetRef, modelRef } from './cyclonedx-components';
import { bomSerialNumber, toCycloneDxBom, type CycloneDxBom } from './cyclonedx-bom';
import type { CycloneDxModelCard } from './cyclonedx-model-card';
import { validateCycloneDxBom } from './cyclonedx-validation';

// The shared reference folder sits beside the repository root (/work/shared next to /work/main).
const REFERENCE_DIR = path.resolve(__dirname, '../../../..', '../shared/reference/cyclonedx');
const present = existsSync(path.join(REFERENCE_DIR, 'bom-1.6.schema.json'));
const describeSchema = present ? describe : describe.skip;
if (!present) console.warn(`CycloneDX 1.6 schema validation skipped: ${REFERENCE_DIR} not found`);

type Component = Record<string, unknown> & { 'bom-ref'?: string; type: string };

const modelOf = (bom: CycloneDxBom) => bom.components.find((c) => c.type === 'machine-learning-model') as Component & { modelCard: CycloneDxModelCard };
const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

describeSchema(
  `ML-BOM against the CycloneDX bom-1.6.schema.json with formats asserted${present ? '' : ' (SKIPPED: ../shared/reference/cyclonedx not found)'}`,
  () => {
    const read = (file: string) => JSON.parse(readFileSync(path.join(REFERENCE_DIR, file), 'utf8')) as Record<string, unknown>;
    let validate: (bom: unknown) => string[];

    beforeAll(() => {
      // Draft-07; `uri`, `date-time`, … from ajv-formats, `iri-reference` and `idn-email` from ajv-formats-draft2019, all asserted.
      const ajv = new Ajv({ allErrors: true, strict: false });
      addFormats(ajv);
      addDraft2019Formats(ajv, { formats: ['iri', 'iri-reference', 'idn-email', 'idn-hostname'] });
      ajv.addSchema(read('spdx.schema.json'));
      ajv.addSchema(read('jsf-0.82.schema.json'));
      const check = ajv.compile(read('bom-1.6.schema.json'));
      validate = (bom) => (check(bom) ? [] : (check.errors ?? []).map((e) => `${e.instancePath} ${e.message}`));
    });

    it('accepts the official valid ML-BOM examples and rejects an invalid timestamp (the validator is live)', () => {
      expect(validate(read('tests-1.6/valid-machine-learning-1.6.json'))).toEqual([]);
      expect(validate(read('tests-1.6/valid-machine-learning-considerations-env-1.6.json'))).toEqual([]);
      expect(validate(read('tests-1.6/invalid-metadata-timestamp-1.6.json'))).not.toEqual([]);
    });

    it('validates the ML-BOM of the fixture, with and without charts', async () => {
      const dossier = await modelDossierFixture();
      expect(validate(toCycloneDxBom(dossier))).toEqual([]);
      const charts = { roc: { title: 'ROC curve', png: Buffer.from('png bytes') } } as never;
      expect(validate(toCycloneDxBom(dossier, charts))).toEqual([]);
    });

    it('validates the ML-BOM of a model with a declared provider, reachable by e-mail or otherwise', async () => {
      const dossier = await modelDossierFixture();
      dossier.document.model.provider = { name: 'Acme Bank AG', contact: 'ai-office@acme-bank.example' };
      const bom = toCycloneDxBom(dossier);
      expect(validate(bom)).toEqual([]);
      expect(modelOf(bom).supplier).toEqual({ name: 'Acme Bank AG', contact: [{ email: 'ai-office@acme-bank.example' }] });
      dossier.document.model.provider = { name: 'Acme Bank AG', contact: 'Compliance desk, +49 69 000000' };
      const other = toCycloneDxBom(dossier);
      expect(validate(other)).toEqual([]);
      expect(modelOf(other).properties).toContainEqual({ name: 'assay:provider:contact', value: 'Compliance desk, +49 69 000000' });
    });

    it('validates the ML-BOM of a dossier with nothing measured and no datasheets', async () => {
      const dossier = await modelDossierFixture();
      Object.assign(dossier.document, { evaluation: null, energy: null, fairness: null, privacy: null, robustness: null, training: null, artifacts: null });
      for (const dataset of dossier.document.datasets) dataset.datasheet = null;
      dossier.promotions = [];
      expect(validate(toCycloneDxBom(dossier))).toEqual([]);
    });

    it('rejects an external reference URL that is not an IRI reference, and an e-mail address that is not one (formats are asserted)', async () => {
      const bom = toCycloneDxBom(await modelDossierFixture());
      const goodUrl = clone(bom);
      modelOf(goodUrl).externalReferences = [{ type: 'documentation', url: 'https://assay.example/models/credit-scoring' }];
      expect(validate(goodUrl)).toEqual([]);
      // A string either way: only the asserted `iri-reference` format (no such URI scheme) tells them apart.
      const badUrl = clone(bom);
      modelOf(badUrl).externalReferences = [{ type: 'documentation', url: 'notascheme://assay.example/models/credit-scoring' }];
      expect(validate(badUrl).join('\n')).toMatch(/iri-reference/);
      const badEmail = clone(bom);
      const data = badEmail.components.find((c) => c.type === 'data')!.data as Array<{ governance: unknown }>;
      data[0]!.governance = { stewards: [{ contact: { email: 'not an e-mail address' } }] };
      expect(validate(badEmail).join('\n')).toMatch(/idn-email/);
    });
  },
);

describe(validateCycloneDxBom.name, () => {
  it('passes the ML-BOM with the library’s strict 1.6 validator, and reports a broken one', async () => {
    const bom = toCycloneDxBom(await modelDossierFixture());
    expect(await validateCycloneDxBom(bom)).toEqual([]);
    expect(await validateCycloneDxBom(JSON.stringify(bom))).toEqual([]);
    const broken = clone(bom);
    modelOf(broken).type = 'neural-network';
    expect(await validateCycloneDxBom(broken)).not.toEqual([]);
  });
});

describe(toCycloneDxBom.name, () => {
  let dossier: ModelDossier;
  let bom: CycloneDxBom;

  beforeAll(async () => {
    dossier = await modelDossierFixture();
    bom = toCycloneDxBom(dossier);
  });

  it('is a 1.6 BOM stamped with the dossier’s time, made by assay, with a serial number derived from the dossier', async () => {
    expect(bom).toMatchObject({ bomFormat: 'CycloneDX', specVersion: '1.6', version: 1 });
    expect(bom.metadata).toMatchObject({ timestamp: dossier.generatedAt, tools: { components: [{ type: 'application', name: 'assay', version: '0.1.0' }] } });
    expect(bom.serialNumber).toBe(bomSerialNumber(dossier));
    expect(bom.serialNumber).toMatch(/^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const changed = await modelDossierFixture();
    changed.generatedAt = '2026-11-30T10:00:00.000Z';
    expect(bomSerialNumber(changed)).not.toBe(bom.serialNumber);
  });

  it('is deterministic: the same dossier gives the same bytes', async () => {
    expect(JSON.stringify(toCycloneDxBom(await modelDossierFixture()))).toBe(JSON.stringify(bom));
  });

  it('hashes the model by its model digest and its files by theirs', () => {
    const model = modelOf(bom);
    const { artifacts, model: facts } = dossier.document;
    expect(model).toMatchObject({ name: facts.name, version: '1', 'bom-ref': modelRef(facts.versionId) });
    expect(model.hashes).toEqual([{ alg: 'SHA-256', content: artifacts!.modelDigest.slice('sha256:'.length) }]);
    const files = model.components as Array<{ name: string; hashes: unknown }>;
    for (const file of artifacts!.files) expect(files.find((f) => f.name === file.path)?.hashes).toEqual([{ alg: 'SHA-256', content: file.digest.slice(7) }]);
  });

  it('lists each dataset version as a data component hashed by its table digest, which the model depends on', () => {
    for (const dataset of dossier.document.datasets) {
      const component = bom.components.find((c) => c['bom-ref'] === datasetRef(dataset.versionId))!;
      expect(component).toMatchObject({ type: 'data', name: dataset.name, version: String(dataset.version) });
      expect(component.hashes).toEqual([{ alg: 'SHA-256', content: dataset.tableDigest.slice(7) }]);
      expect(component.data).toEqual([expect.objectContaining({ type: 'dataset', name: `${dataset.name} v${dataset.version} (${dataset.role})` })]);
    }
    const training = bom.components.find((c) => c['bom-ref'] === datasetRef(dossier.document.datasets[0]!.versionId))!;
    expect(training.licenses).toEqual([{ license: { id: 'CC-BY-4.0' } }]);
    expect((training.data as Array<Record<string, unknown>>)[0]).toMatchObject({
      classification: 'personal data (pseudonymised)',
      governance: { stewards: [{ organization: { name: 'Data Governance Office' } }] },
    });
    const dependencies = bom.dependencies as Array<{ ref: string; dependsOn?: string[] }>;
    expect(dependencies.find((d) => d.ref === modelRef(dossier.document.model.versionId))?.dependsOn).toEqual(
      dossier.document.datasets.map((d) => datasetRef(d.versionId)).sort(),
    );
  });

  it('states every test metric and its interval exactly as the evidence document records them', () => {
    const metrics = modelOf(bom).modelCard.quantitativeAnalysis.performanceMetrics!;
    for (const metric of dossier.document.evaluation!.metrics) {
      const stated = metrics.filter((m) => m.type === metric.name && m.slice === undefined);
      expect(stated).toEqual([
        { type: metric.name, value: String(metric.value), confidenceInterval: { lowerBound: String(metric.ci!.lower), upperBound: String(metric.ci!.upper) } },
      ]);
      expect(Number(stated[0]!.value)).toBe(metric.value);
    }
  });

  it('fills the model parameters from the run and references the data components', () => {
    const { modelParameters } = modelOf(bom).modelCard;
    expect(modelParameters).toMatchObject({
      approach: { type: 'supervised' },
      task: 'binary classification',
      architectureFamily: 'logistic regression (generalized linear model)',
      modelArchitecture: 'logistic_regression, TensorFlow.js 4.22.0 (wasm backend 4.22.0, deterministic)',
      datasets: dossier.document.datasets.map((d) => ({ ref: datasetRef(d.versionId) })),
      outputs: [{ format: 'Binary classification of credit_risk into bad, good (positive class: good)' }],
    });
  });

  it('states fairness, failed policy rules and the training energy in their 1.6 fields', () => {
    const { considerations } = modelOf(bom).modelCard;
    expect(considerations.fairnessAssessments).toHaveLength(1);
    expect(considerations.fairnessAssessments![0]!.harms).toContain('demographic parity ratio 0.9307692307692308');
    expect(considerations.ethicalConsiderations.map((c) => c.name)).toContainEqual(expect.stringContaining('baseline/datasheet-complete'));
    const energy = dossier.document.energy!;
    const [consumption] = considerations.environmentalConsiderations.energyConsumptions!;
    expect(consumption).toMatchObject({ activity: 'training', energyProviders: [], activityEnergyCost: { value: energy.energyKwh, unit: 'kWh' } });
    expect(consumption!.co2CostEquivalent).toEqual({ value: energy.co2eGrams / 1e6, unit: 'tCO2eq' });
    expect(consumption!.properties).toContainEqual({ name: 'assay:energy:co2eGrams', value: String(energy.co2eGrams) });
    expect(consumption!.properties).toContainEqual({ name: 'assay:energy:grid:source', value: energy.gridIntensity.source });
  });

  it('says "not recorded" for an absent energy measurement and evaluation instead of a number', async () => {
    const unmeasured = await modelDossierFixture();
    unmeasured.document.energy = null;
    unmeasured.document.evaluation = null;
    unmeasured.document.fairness = null;
    const card = modelOf(toCycloneDxBom(unmeasured)).modelCard;
    expect(card.considerations.environmentalConsiderations).toEqual({ properties: [{ name: 'assay:energy:training', value: 'not recorded' }] });
    expect(card.quantitativeAnalysis.performanceMetrics).toBeUndefined();
    expect(card.considerations.fairnessAssessments).toBeUndefined();
    expect(card.considerations.ethicalConsiderations).toContainEqual({ name: 'Group fairness across sensitive attributes: not recorded.' });
  });
});
