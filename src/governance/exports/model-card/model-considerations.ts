/**
 * The considerations of a model card in plain statements, shared by the Model Card Toolkit document
 * and the CycloneDX `modelCard`: who it is for and what for (the registration), its known
 * limitations (declared by the provider and by the datasheets of its data), the trade-offs measured
 * (robustness under perturbation, differential privacy), and the risks of risk-statements.ts.
 */
import type { DatasetEvidence, EvidenceDocument, RobustnessCondition } from '../../evidence-document';
import type { ModelDossier } from '../dossier/model-dossier';
import { datasheetOf } from './dataset-statements';
import { objectField, stringList } from './dossier-records';
import { exact } from './performance-metrics';
import {
  NOT_RECORDED,
  datasetLabel,
  environmentalImpact,
  fairnessFindings,
  fairnessRisks,
  membershipInferenceRisk,
  policyFindings,
  privacyRisks,
  type FairnessFinding,
  type RiskStatement,
} from './risk-statements';

export interface ModelConsiderations {
  users: string[];
  useCases: string[];
  limitations: string[];
  tradeoffs: string[];
  /** Personal data, re-identification and membership inference. */
  privacy: RiskStatement[];
  /** The rules recorded promotion decisions failed, could not evaluate, or waived. */
  policy: RiskStatement[];
  /** Per attribute set; null when no fairness assessment is recorded. */
  fairness: FairnessFinding[] | null;
  /** The same findings (or their absence) worded as risks. */
  fairnessRisks: RiskStatement[];
  environment: string;
}

/** The registration declares an intended use but no user group. */
export const USERS_NOT_RECORDED = `Intended users: ${NOT_RECORDED} (the registration declares the intended use, not a user group).`;

function useCases(document: EvidenceDocument): string[] {
  const { model } = document;
  return [model.intendedUse === null ? `Intended use: ${NOT_RECORDED}.` : model.intendedUse, ...model.prohibitedUses.map((use) => `Prohibited use: ${use}`)];
}

/** `uses.knownLimitations` of the datasheet the document summarised for `dataset`. */
function datasheetLimitations(dossier: ModelDossier, dataset: DatasetEvidence): string[] {
  return stringList(objectField(datasheetOf(dossier, dataset)?.uses)?.knownLimitations) ?? [];
}

function limitations(dossier: ModelDossier): string[] {
  const { model, datasets } = dossier.document;
  const declared = model.knownLimitations === null ? [`Known limitations: ${NOT_RECORDED} (the provider declares none).`] : model.knownLimitations;
  const ofData = datasets.flatMap((dataset) => [
    ...(dataset.datasheet?.knownBiases ?? []).map((bias) => `${datasetLabel(dataset)}, known bias: ${bias}`),
    ...datasheetLimitations(dossier, dataset).map((limitation) => `${datasetLabel(dataset)}, known limitation: ${limitation}`),
  ]);
  return [...declared, ...ofData];
}

function condition(c: RobustnessCondition): string {
  const under =
    c.kind === 'noise'
      ? `Gaussian input noise σ=${c.sigma === null ? NOT_RECORDED : exact(c.sigma)}`
      : `${c.column ?? NOT_RECORDED} masked to its training mean`;
  return `${under}: ${c.value === null ? 'not defined' : exact(c.value)} (drop ${c.drop === null ? 'not defined' : exact(c.drop)})`;
}

function tradeoffs(document: EvidenceDocument): string[] {
  const { robustness, differentialPrivacy: dp } = document;
  const robust =
    robustness === null
      ? `Robustness under input perturbation: ${NOT_RECORDED}.`
      : `Robustness of ${robustness.metric} on the test split (baseline ${robustness.baseline === null ? 'not defined' : exact(robustness.baseline)}): ` +
        `${robustness.conditions.map(condition).join('; ')}; largest drop ${robustness.maxDrop === null ? 'not defined' : exact(robustness.maxDrop)}.`;
  const privacy = dp
    ? [
        `Differentially private training (DP-SGD, ${dp.accountant} accountant): ε ${dp.epsilon === null ? 'not finite' : exact(dp.epsilon)}, ` +
          `δ ${exact(dp.delta)}, noise multiplier ${exact(dp.noiseMultiplier)}, clipping norm ${exact(dp.l2NormClip)}, ${dp.steps} steps.`,
      ]
    : [];
  return [robust, ...privacy];
}

export function modelConsiderations(dossier: ModelDossier): ModelConsiderations {
  const { document } = dossier;
  const membership = membershipInferenceRisk(document);
  return {
    users: [USERS_NOT_RECORDED],
    useCases: useCases(document),
    limitations: limitations(dossier),
    tradeoffs: tradeoffs(document),
    privacy: [...privacyRisks(document), ...(membership === null ? [] : [membership])],
    policy: policyFindings(dossier.promotions),
    fairness: fairnessFindings(document),
    fairnessRisks: fairnessRisks(document),
    environment: environmentalImpact(document.energy),
  };
}
