import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { modelDossierFixture } from '../dossier/dossier.fixture';
import type { ModelDossier } from '../dossier/model-dossier';
import type { ModelCard } from './model-card';
import { niUri, toModelCard } from './model-card.builder';
import { modelInterface } from './model-interface';

// The shared reference folder sits beside the repository root (/work/shared next to /work/main).
const SCHEMA_FILE = path.resolve(__dirname, '../../../..', '../shared/reference/model-card-toolkit/model_card.schema.v0.0.2.json');
const present = existsSync(SCHEMA_FILE);
const describeSchema = present ? describe : describe.skip;
if (!present) console.warn(`Model Card Toolkit schema validation skipped: ${SCHEMA_FILE} not found`);

/** The fixture with the evaluation and the energy measurement absent, as for a run that was never measured. */
async function unmeasuredDossier(): Promise<ModelDossier> {
  const dossier = await modelDossierFixture();
  dossier.document.evaluation = null;
  dossier.document.energy = null;
  return dossier;
}

describeSchema(
  `model card against Model Card Toolkit model_card.schema.v0.0.2.json${present ? '' : ' (SKIPPED: ../shared/reference/model-card-toolkit not found)'}`,
  () => {
    let validate: (card: unknown) => string[];

    beforeAll(() => {
      // Draft-07 with formats asserted (uri, date), so a reference or a version date that is not one fails.
      const ajv = new Ajv({ allErrors: true, strict: false });
      addFormats(ajv);
      const check = ajv.compile(JSON.parse(readFileSync(SCHEMA_FILE, 'utf8')) as object);
      validate = (card) => (check(card) ? [] : (check.errors ?? []).map((e) => `${e.instancePath} ${e.message}`));
    });

    it('validates the card of the fixture, with and without charts', async () => {
      const dossier = await modelDossierFixture();
      const charts = { roc: { title: 'ROC curve', png: Buffer.from('png bytes') } } as never;
      expect(validate(toModelCard(dossier))).toEqual([]);
      expect(validate(toModelCard(dossier, charts))).toEqual([]);
    });

    it('validates the card of a model with a declared provider and known limitations', async () => {
      const dossier = await modelDossierFixture();
      dossier.document.model.provider = { name: 'Acme Bank AG', contact: 'ai-office@acme-bank.example' };
      dossier.document.model.knownLimitations = ['Not validated for applicants under 21.'];
      const card = toModelCard(dossier);
      expect(validate(card)).toEqual([]);
      expect(card.model_details.owners).toEqual([{ name: 'Acme Bank AG', contact: 'ai-office@acme-bank.example' }]);
      expect(card.considerations.limitations![0]).toEqual({ description: 'Not validated for applicants under 21.' });
    });

    it('validates the card of a dossier with nothing measured', async () => {
      const dossier = await unmeasuredDossier();
      dossier.document.fairness = null;
      dossier.document.privacy = null;
      dossier.document.training = null;
      dossier.document.artifacts = null;
      dossier.promotions = [];
      dossier.records = [];
      expect(validate(toModelCard(dossier))).toEqual([]);
    });

    it('rejects a broken card (the validator is live and asserts formats)', async () => {
      const card = toModelCard(await modelDossierFixture());
      expect(validate({ ...card, model_details: { ...card.model_details, version: { name: '1', date: '28/11/2026' } } })).not.toEqual([]);
      expect(validate({ ...card, model_details: { ...card.model_details, references: [{ reference: 'not a uri' }] } })).not.toEqual([]);
      expect(validate({ ...card, extra: true })).not.toEqual([]);
    });
  },
);

describe(toModelCard.name, () => {
  let dossier: ModelDossier;
  let card: ModelCard;

  beforeAll(async () => {
    dossier = await modelDossierFixture();
    card = toModelCard(dossier);
  });

  it('names the model, its version and the date the version was registered', () => {
    expect(card.schema_version).toBe('0.0.2');
    expect(card.model_details.name).toBe(dossier.document.model.name);
    expect(card.model_details.version).toEqual({ name: '1', date: '2026-11-28' });
    expect(card.model_details.overview).toBe('Intended use: Pre-screen consumer loan applications; a credit officer decides.');
    // The fixture declares no provider and no licence: none is made up.
    expect(card.model_details.owners).toBeUndefined();
    expect(card.model_details.licenses).toBeUndefined();
    expect(card.model_details.citations).toBeUndefined();
  });

  it('states each test metric and its interval exactly as the evidence document records them', () => {
    const metrics = dossier.document.evaluation!.metrics;
    expect(metrics.length).toBeGreaterThan(5);
    for (const metric of metrics) {
      const stated = card.quantitative_analysis.performance_metrics!.filter((m) => m.type === metric.name && m.slice === undefined);
      expect(stated).toHaveLength(1);
      expect(Number(stated[0]!.value)).toBe(metric.value);
      expect(Number(stated[0]!.confidence_interval!.lower_bound)).toBe(metric.ci!.lower);
      expect(Number(stated[0]!.confidence_interval!.upper_bound)).toBe(metric.ci!.upper);
    }
  });

  it('states the fairness group rates per slice, without an interval the document does not hold', () => {
    const sliced = card.quantitative_analysis.performance_metrics!.filter((m) => m.slice !== undefined);
    const female = dossier.document.fairness!.attributeSets[0]!.groups[0]!;
    expect(sliced).toContainEqual({ type: 'selectionRate', value: String(female.selectionRate), slice: 'sex=F' });
    expect(sliced.every((m) => m.confidence_interval === undefined)).toBe(true);
  });

  it('leaves out the value of a metric undefined on the data instead of writing a number', () => {
    const copy = structuredClone(dossier);
    copy.document.evaluation!.metrics[4] = { name: 'rocAuc', value: null, ci: null };
    expect(toModelCard(copy).quantitative_analysis.performance_metrics).toContainEqual({ type: 'rocAuc' });
  });

  it('describes every dataset with its digests, and the inputs and outputs from the run spec and the data records', () => {
    expect(card.model_parameters.data!.map((d) => d.name)).toEqual([
      'synthetic-credit v2 (training)',
      'synthetic-credit v3 (validation)',
      'synthetic-credit v4 (test)',
    ]);
    for (const [i, dataset] of dossier.document.datasets.entries()) expect(card.model_parameters.data![i]!.description).toContain(dataset.tableDigest);
    expect(card.model_parameters.model_architecture).toBe('logistic_regression, TensorFlow.js 4.22.0 (wasm backend 4.22.0, deterministic)');
    expect(card.model_parameters.input_format_map).toEqual([
      { key: 'age', value: 'numeric' },
      { key: 'sex', value: 'categorical' },
      { key: 'income', value: 'numeric' },
      { key: 'debt', value: 'numeric' },
      { key: 'purpose', value: 'categorical' },
    ]);
    expect(card.model_parameters.output_format).toBe('Binary classification of credit_risk into bad, good (positive class: good)');
  });

  it('reports use cases, limitations, privacy, fairness, failed policy rules and energy as considerations', () => {
    const { considerations } = card;
    expect(considerations.use_cases).toEqual([
      { description: 'Pre-screen consumer loan applications; a credit officer decides.' },
      { description: 'Prohibited use: Automated final credit decisions without human review' },
    ]);
    expect(considerations.limitations).toContainEqual({ description: 'Training data synthetic-credit v2, known bias: Few applicants under 25.' });
    const risks = considerations.ethical_considerations!.map((risk) => risk.name);
    expect(risks.some((name) => name.includes('demographic parity ratio 0.9307692307692308') && name.includes('four-fifths rule at 0.8: pass'))).toBe(true);
    const failed = dossier.promotions[0]!.decision.rules.filter((rule) => rule.outcome === 'fail');
    expect(failed.length).toBeGreaterThan(0);
    for (const rule of failed) expect(risks.some((name) => name.includes(`${rule.packId}/${rule.ruleId}`))).toBe(true);
    const energy = risks.find((name) => name.startsWith('Environmental impact.'))!;
    expect(energy).toContain(`${dossier.document.energy!.energyKwh} kWh`);
    expect(energy).toContain(`${dossier.document.energy!.co2eGrams} g CO2e`);
    expect(energy).toContain('method tdp-estimate');
    expect(energy).toContain(dossier.document.energy!.gridIntensity.source);
  });

  it('says "not recorded" where the evaluation and the energy measurement are absent, never a number', async () => {
    const unmeasured = await unmeasuredDossier();
    const unmeasuredCard = toModelCard(unmeasured);
    const text = JSON.stringify(unmeasuredCard);
    expect(text).toContain('Evaluation on the held-out test split: not recorded.');
    expect(text).toContain('Energy use and CO2e emissions of the training: not recorded.');
    expect(text).not.toContain(String(dossier.document.energy!.energyKwh));
    expect(text).not.toContain(String(dossier.document.energy!.co2eGrams));
    // Only the fairness group rates remain: no test metric, and no number in its place.
    expect(unmeasuredCard.quantitative_analysis.performance_metrics!.every((m) => m.slice !== undefined)).toBe(true);
    const quantitative = JSON.stringify(unmeasuredCard.quantitative_analysis);
    for (const metric of dossier.document.evaluation!.metrics) expect(quantitative).not.toContain(String(metric.value));
  });

  it('is deterministic: the same dossier gives the same bytes', async () => {
    expect(JSON.stringify(toModelCard(await modelDossierFixture()))).toBe(JSON.stringify(card));
  });

  it('references the evidence document and the policy decisions by RFC 6920 ni: names of their digests', () => {
    expect(niUri(`sha256:${'00'.repeat(32)}`)).toBe('ni:///sha-256;AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA');
    expect(niUri('md5:abc')).toBeNull();
    expect(card.model_details.references).toContainEqual({ reference: niUri(dossier.promotions[0]!.evidenceDocumentDigest) });
    expect(card.model_details.references).toContainEqual({ reference: niUri(dossier.promotions[0]!.decisionDigest) });
  });
});

describe(modelInterface.name, () => {
  it('uses the spec’s features when declared, and says nothing when the training split’s columns are not recorded', async () => {
    const dossier = await modelDossierFixture();
    const completed = dossier.records.find((record) => record.kind === 'training.completed')!;
    ((completed.body.spec as Record<string, Record<string, unknown>>).preprocessing as Record<string, unknown>).features = ['income', 'debt'];
    expect(modelInterface(dossier).features).toEqual([
      { name: 'income', type: 'numeric' },
      { name: 'debt', type: 'numeric' },
    ]);
    dossier.records = dossier.records.filter((record) => record.kind !== 'dataset_version.registered');
    expect(modelInterface(dossier).features).toEqual([
      { name: 'income', type: null },
      { name: 'debt', type: null },
    ]);
    delete ((completed.body.spec as Record<string, Record<string, unknown>>).preprocessing as Record<string, unknown>).features;
    expect(modelInterface(dossier).features).toBeNull();
  });
});
