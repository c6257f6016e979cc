/**
 * Risks stated in words from the evidence, for the model card's ethical considerations and the
 * ML-BOM's: personal data (datasheet declarations and privacy-scan findings, with the lawful basis),
 * re-identification (k-anonymity), membership inference, group fairness (demographic parity and the
 * four-fifths rule), the policy rules a promotion decision failed, and the energy the training
 * used. Numbers are quoted exactly as recorded; a section that was not recorded is said to be so.
 */
import type { DatasetEvidence, EnergySection, EvidenceDocument, FairnessAttributeSet, FairnessSection, LegalBasis } from '../../evidence-document';
import type { DossierPromotion } from '../dossier/model-dossier';
import { exact, groupSlice } from './performance-metrics';

export const NOT_RECORDED = 'not recorded';

export interface RiskStatement {
  name: string;
  /** How the risk is addressed, as recorded; null when nothing is recorded. */
  mitigation: string | null;
}

/** One attribute set of the fairness assessment, in the shape of CycloneDX `fairnessAssessment`. */
export interface FairnessFinding {
  attributes: string[];
  groupAtRisk: string;
  harms: string;
}

const ROLE_NAMES = { training: 'Training', validation: 'Validation', test: 'Test' } as const;

export function datasetLabel(dataset: DatasetEvidence): string {
  return `${ROLE_NAMES[dataset.role]} data ${dataset.name} v${dataset.version}`;
}

const yesNo = (value: boolean | null): string => (value === null ? NOT_RECORDED : value ? 'yes' : 'no');
const defined = (value: number | null): string => (value === null ? 'not defined' : exact(value));

export function lawfulBasisText(basis: LegalBasis | null): string {
  if (basis === null) return `Lawful basis: ${NOT_RECORDED}.`;
  const article9 = basis.article9Condition === null ? '' : `, GDPR Art. 9(2) condition ${basis.article9Condition}`;
  const consent =
    basis.consentCoversModelTraining === null ? '' : `; the consent ${basis.consentCoversModelTraining ? 'covers' : 'does not cover'} model training`;
  return `Lawful basis: GDPR Art. 6(1) ${basis.article6}${article9}${consent}.`;
}

function declaredPersonalData(dataset: DatasetEvidence): RiskStatement | null {
  const sheet = dataset.datasheet;
  if (sheet === null || !sheet.personalData) return null;
  const details = [
    `identifiability ${sheet.identifiability ?? NOT_RECORDED}`,
    sheet.specialCategoryData ? `special-category data (GDPR Art. 9): ${sheet.specialCategories.join(', ') || 'categories not listed'}` : null,
    sheet.criminalOffenceData ? 'criminal-offence data (GDPR Art. 10)' : null,
    sheet.childrenData === true ? "children's data" : null,
  ].filter((part): part is string => part !== null);
  return {
    name: `${datasetLabel(dataset)} holds personal data (declared in its datasheet: ${details.join('; ')}).`,
    mitigation: `${lawfulBasisText(sheet.legalBasis)} Data subjects informed: ${yesNo(sheet.dataSubjectsInformed)}. DPIA: ${sheet.dpiaReference ?? NOT_RECORDED}.`,
  };
}

/** Declared personal data per dataset, scan findings, and k-anonymity of the training data. */
export function privacyRisks(document: EvidenceDocument): RiskStatement[] {
  const declared = document.datasets.map(declaredPersonalData).filter((risk): risk is RiskStatement => risk !== null);
  const { privacy } = document;
  if (privacy === null) return [...declared, { name: `Privacy scan of the datasets: ${NOT_RECORDED}.`, mitigation: null }];
  const findings = privacy.findings.map((finding) => ({
    name:
      `The privacy scan found ${finding.entityType} in column${finding.columns.length === 1 ? '' : 's'} ${finding.columns.join(', ')} ` +
      `(${finding.count} values; highest share ${exact(finding.maxShare)}, highest confidence ${exact(finding.maxConfidence)}).`,
    mitigation: lawfulBasisText(privacy.legalBasis),
  }));
  const k = privacy.kAnonymity;
  const reidentification: RiskStatement =
    k === null
      ? { name: `Re-identification risk of the training data (k-anonymity): ${NOT_RECORDED}.`, mitigation: null }
      : {
          name:
            `Re-identification: the training data is ${k.k}-anonymous over the quasi-identifiers ${k.quasiIdentifiers.join(', ')} ` +
            `(${k.records} records in ${k.classes} equivalence classes).`,
          mitigation: null,
        };
  return [...declared, ...findings, reidentification];
}

/** The membership-inference audit, when the document has one. */
export function membershipInferenceRisk(document: EvidenceDocument): RiskStatement | null {
  const audit = document.membershipInference;
  if (!audit) return null;
  return {
    name:
      `Membership inference (${audit.attack} attack, ${audit.members} members and ${audit.nonMembers} non-members): ` +
      `AUC ${exact(audit.auc)} [${exact(audit.aucCi.lower)}, ${exact(audit.aucCi.upper)}], ` +
      `advantage ${exact(audit.advantage)} [${exact(audit.advantageCi.lower)}, ${exact(audit.advantageCi.upper)}].`,
    mitigation: null,
  };
}

const sameAttributes = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && a.every((attribute, i) => attribute === b[i]);

function groupLabels(set: FairnessAttributeSet, groups: readonly (readonly string[])[]): string {
  return groups.map((values) => groupSlice(set.attributes, values)).join('; ');
}

const valuesOf = (group: FairnessAttributeSet['groups'][number]): string[] => group.values;

function fairnessFinding(set: FairnessAttributeSet, section: FairnessSection): FairnessFinding {
  const assessed = groupLabels(set, set.groups.map(valuesOf));
  const verdict = set.fourFifthsPass === null ? 'undetermined' : set.fourFifthsPass ? 'pass' : 'fail';
  const groupAtRisk =
    set.adverselyImpactedGroups.length > 0
      ? `Adversely impacted under the four-fifths rule: ${groupLabels(set, set.adverselyImpactedGroups)}.`
      : set.fourFifthsPass === null
        ? `Undetermined under the four-fifths rule (groups assessed: ${assessed}).`
        : `No group adversely impacted under the four-fifths rule (groups assessed: ${assessed}).`;
  const small = set.groups.filter((group) => group.tooSmallToJudge).map(valuesOf);
  const balance = section.preTraining?.find((entry) => sameAttributes(entry.attributes, set.attributes));
  const harms = [
    `By ${set.attributes.join(' × ')} on the test split: demographic parity ratio ${defined(set.demographicParityRatio)} ` +
      `(four-fifths rule at ${exact(section.fourFifthsThreshold)}: ${verdict}), demographic parity difference ${defined(set.demographicParityDifference)}, ` +
      `equal opportunity difference ${defined(set.equalOpportunityDifference)}, equalized odds difference ${defined(set.equalizedOddsDifference)}.`,
    small.length === 0 ? null : `Groups under ${section.minGroupSize} rows, reported but not judged: ${groupLabels(set, small)}.`,
    balance === undefined
      ? null
      : `Label balance before training: positive-rate ratio ${defined(balance.positiveRateRatio)}, difference ${defined(balance.positiveRateDifference)}.`,
  ].filter((part): part is string => part !== null);
  return { attributes: set.attributes, groupAtRisk, harms: harms.join(' ') };
}

/** One finding per attribute set; null when no fairness assessment is recorded. */
export function fairnessFindings(document: EvidenceDocument): FairnessFinding[] | null {
  const section = document.fairness;
  return section === null ? null : section.attributeSets.map((set) => fairnessFinding(set, section));
}

/** The fairness findings as risks (the model card has no fairness field of its own). */
export function fairnessRisks(document: EvidenceDocument): RiskStatement[] {
  const findings = fairnessFindings(document);
  if (findings === null) return [{ name: `Group fairness across sensitive attributes: ${NOT_RECORDED}.`, mitigation: null }];
  if (findings.length === 0) return [{ name: 'Group fairness: the assessment recorded no sensitive attribute to compare groups by.', mitigation: null }];
  return findings.map((finding) => ({ name: `Group fairness. ${finding.harms} ${finding.groupAtRisk}`, mitigation: null }));
}

const OUTCOME_WORDS = { fail: 'failed', error: 'could not be evaluated', waived: 'failed and was waived' } as const;

/** Every rule a recorded promotion decision failed, could not evaluate, or waived. */
export function policyFindings(promotions: readonly DossierPromotion[]): RiskStatement[] {
  return promotions.flatMap((promotion) =>
    promotion.decision.rules.flatMap((rule): RiskStatement[] => {
      if (rule.outcome !== 'fail' && rule.outcome !== 'error' && rule.outcome !== 'waived') return [];
      const detail = rule.message ?? rule.reason;
      return [
        {
          name:
            `Policy rule ${rule.packId}/${rule.ruleId} (${rule.title}, ${rule.severity}) ${OUTCOME_WORDS[rule.outcome]} ` +
            `for the ${promotion.targetStage} promotion requested ${promotion.requestedAt}${detail === null ? '.' : `: ${detail}`}`,
          mitigation: rule.waiver === null ? null : `Waived until ${rule.waiver.expiresAt}: ${rule.waiver.justification}`,
        },
      ];
    }),
  );
}

/** Energy and emissions of the training, with the method and the grid intensity they rest on. */
export function environmentalImpact(energy: EnergySection | null): string {
  if (energy === null) return `Energy use and CO2e emissions of the training: ${NOT_RECORDED}.`;
  const grid = energy.gridIntensity;
  return (
    `Training used ${exact(energy.energyKwh)} kWh (bounds ${exact(energy.energyBoundsKwh.lower)} to ${exact(energy.energyBoundsKwh.upper)} kWh; ` +
    `method ${energy.method}) and emitted ${exact(energy.co2eGrams)} g CO2e (bounds ${exact(energy.co2eBoundsGrams.lower)} to ` +
    `${exact(energy.co2eBoundsGrams.upper)} g) at a grid intensity of ${exact(grid.gCo2ePerKwh)} gCO2e/kWh (${grid.region}, ${grid.year}; ` +
    `source: ${grid.source}). Wall time ${exact(energy.wallSeconds)} s, CPU time ${exact(energy.cpuSeconds)} s.`
  );
}
