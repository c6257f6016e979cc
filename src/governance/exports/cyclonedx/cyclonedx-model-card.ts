/**
 * The CycloneDX 1.6 `modelCard` of the model component (bom-1.6.schema.json `#/definitions/modelCard`),
 * which @cyclonedx/cyclonedx-library 10.x has no model for, so it is built here as plain JSON and
 * added to the serialised BOM. It states what the Model Card Toolkit card states (the same
 * statements from ../model-card), in the 1.6 shape: metric values and bounds as strings, fairness
 * and energy in their own fields, energy in kWh and CO2e in tonnes as the schema's units require.
 */
import type { EnergySection } from '../../evidence-document';
import type { ReportCharts } from '../../../pipeline/assessment/report';
import type { ModelDossier } from '../dossier/model-dossier';
import {
  NOT_RECORDED,
  exact,
  inputFormat,
  modelArchitecture,
  modelConsiderations,
  modelInterface,
  outputFormat,
  performanceMetrics,
  type MetricStatement,
  type RiskStatement,
} from '../model-card';

export interface CycloneDxProperty {
  name: string;
  value: string;
}

export interface CycloneDxPerformanceMetric {
  type: string;
  value?: string;
  slice?: string;
  confidenceInterval?: { lowerBound: string; upperBound: string };
}

export interface CycloneDxEnergyConsumption {
  activity: 'training';
  /** The schema requires the list; who supplied the energy is not recorded, so it is empty. */
  energyProviders: [];
  activityEnergyCost: { value: number; unit: 'kWh' };
  co2CostEquivalent: { value: number; unit: 'tCO2eq' };
  properties: CycloneDxProperty[];
}

export interface CycloneDxModelCard {
  modelParameters: {
    approach?: { type: 'supervised' };
    task?: string;
    architectureFamily?: string;
    modelArchitecture?: string;
    datasets: Array<{ ref: string }>;
    inputs?: Array<{ format: string }>;
    outputs?: Array<{ format: string }>;
  };
  quantitativeAnalysis: {
    performanceMetrics?: CycloneDxPerformanceMetric[];
    graphics?: { description: string; collection: Array<{ name: string; image: { contentType: 'image/png'; encoding: 'base64'; content: string } }> };
  };
  considerations: {
    users: string[];
    useCases: string[];
    technicalLimitations: string[];
    performanceTradeoffs: string[];
    ethicalConsiderations: Array<{ name: string; mitigationStrategy?: string }>;
    fairnessAssessments?: Array<{ groupAtRisk: string; harms: string }>;
    environmentalConsiderations: { energyConsumptions?: CycloneDxEnergyConsumption[]; properties?: CycloneDxProperty[] };
  };
}

const ARCHITECTURE_FAMILIES: Readonly<Record<string, string>> = {
  logistic_regression: 'logistic regression (generalized linear model)',
  mlp: 'multilayer perceptron (feed-forward neural network)',
  cnn: 'convolutional neural network',
};

const GRAMS_PER_TONNE = 1_000_000;

function metric(statement: MetricStatement): CycloneDxPerformanceMetric {
  return {
    type: statement.type,
    ...(statement.value === null ? {} : { value: statement.value }),
    ...(statement.slice === null ? {} : { slice: statement.slice }),
    ...(statement.interval === null ? {} : { confidenceInterval: { lowerBound: statement.interval.lower, upperBound: statement.interval.upper } }),
  };
}

const risk = ({ name, mitigation }: RiskStatement) => (mitigation === null ? { name } : { name, mitigationStrategy: mitigation });

/** The training energy as a 1.6 `energyConsumption`; the exact grams, bounds, method and grid go in its properties. */
function environmentalConsiderations(energy: EnergySection | null): CycloneDxModelCard['considerations']['environmentalConsiderations'] {
  if (energy === null) return { properties: [{ name: 'assay:energy:training', value: NOT_RECORDED }] };
  const grid = energy.gridIntensity;
  const properties: Array<[string, string]> = [
    ['assay:energy:method', energy.method],
    ['assay:energy:energyKwh', exact(energy.energyKwh)],
    ['assay:energy:energyKwh:lower', exact(energy.energyBoundsKwh.lower)],
    ['assay:energy:energyKwh:upper', exact(energy.energyBoundsKwh.upper)],
    ['assay:energy:co2eGrams', exact(energy.co2eGrams)],
    ['assay:energy:co2eGrams:lower', exact(energy.co2eBoundsGrams.lower)],
    ['assay:energy:co2eGrams:upper', exact(energy.co2eBoundsGrams.upper)],
    ['assay:energy:grid:gCo2ePerKwh', exact(grid.gCo2ePerKwh)],
    ['assay:energy:grid:region', grid.region],
    ['assay:energy:grid:year', grid.year],
    ['assay:energy:grid:source', grid.source],
    ['assay:energy:wallSeconds', exact(energy.wallSeconds)],
    ['assay:energy:cpuSeconds', exact(energy.cpuSeconds)],
  ];
  return {
    energyConsumptions: [
      {
        activity: 'training',
        energyProviders: [],
        activityEnergyCost: { value: energy.energyKwh, unit: 'kWh' },
        co2CostEquivalent: { value: energy.co2eGrams / GRAMS_PER_TONNE, unit: 'tCO2eq' },
        properties: properties.map(([name, value]) => ({ name, value })),
      },
    ],
  };
}

/** `datasetRefs`: bom-refs of the data components, training first. */
export function cycloneDxModelCard(dossier: ModelDossier, datasetRefs: readonly string[], charts: Readonly<ReportCharts> = {}): CycloneDxModelCard {
  const io = modelInterface(dossier);
  const modelType = dossier.document.training?.modelType;
  const architecture = modelArchitecture(dossier);
  const input = inputFormat(io);
  const output = outputFormat(io);
  const considerations = modelConsiderations(dossier);
  const metrics = performanceMetrics(dossier.document).map(metric);
  const graphics = Object.values(charts).map((chart) => ({
    name: chart.title,
    image: { contentType: 'image/png' as const, encoding: 'base64' as const, content: chart.png.toString('base64') },
  }));
  const fairness = considerations.fairness ?? [];
  return {
    modelParameters: {
      // A label column to learn from: supervised learning.
      ...(io.label === null ? {} : { approach: { type: 'supervised' as const } }),
      ...(io.task === null ? {} : { task: `${io.task} classification` }),
      ...(modelType === undefined ? {} : { architectureFamily: ARCHITECTURE_FAMILIES[modelType] ?? modelType }),
      ...(architecture === null ? {} : { modelArchitecture: architecture }),
      datasets: datasetRefs.map((ref) => ({ ref })),
      ...(input === null ? {} : { inputs: [{ format: input }] }),
      ...(output === null ? {} : { outputs: [{ format: output }] }),
    },
    quantitativeAnalysis: {
      ...(metrics.length === 0 ? {} : { performanceMetrics: metrics }),
      ...(graphics.length === 0
        ? {}
        : { graphics: { description: 'Charts of the model report (PNG), drawn from the evidence records.', collection: graphics } }),
    },
    considerations: {
      users: considerations.users,
      useCases: considerations.useCases,
      technicalLimitations: considerations.limitations,
      performanceTradeoffs: considerations.tradeoffs,
      ethicalConsiderations: [...considerations.privacy, ...(fairness.length === 0 ? considerations.fairnessRisks : []), ...considerations.policy].map(risk),
      ...(fairness.length === 0 ? {} : { fairnessAssessments: fairness.map(({ groupAtRisk, harms }) => ({ groupAtRisk, harms })) }),
      environmentalConsiderations: environmentalConsiderations(dossier.document.energy),
    },
  };
}
