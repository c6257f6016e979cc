/**
 * Assembles the `assay.evidence/v1` document of one model version from the evidence records that
 * reach it (DESIGN.md "The spine"): a pure function of its input, so the same records give the same
 * document, here when a promotion is requested and offline when a decision is replayed. Sections
 * whose evidence is absent are null; nothing is filled in that no record says. The result is
 * checked against the published schema before it is returned.
 */
import { EVIDENCE_DOCUMENT_FORMAT, type EvidenceDocument, type EvidenceRecordRef } from '../evidence-document';
import { validateEvidenceDocument } from '../evidence-document.validator';
import type { EvidenceDocumentAssemblyInput, EvidenceRecordInput } from './assembly-input';
import { EvidenceAssemblyError } from './assembly.error';
import { artifactsSection } from './artifacts.section';
import { datasetsSection } from './datasets.section';
import { energySection, trainingEnergyRecord } from './energy.section';
import { evaluationSection } from './evaluation.section';
import { explanationsSection } from './explanations.section';
import { fairnessSection } from './fairness.section';
import { checkAssemblyInput } from './input-check';
import { traceLineage } from './lineage';
import { monitoringSection } from './monitoring.section';
import { privacySection } from './privacy.section';
import { differentialPrivacySection, membershipInferenceSection } from './privacy-protection.sections';
import { humanOversightSection, modelSection } from './request.sections';
import { robustnessSection } from './robustness.section';
import { trainingSection } from './training.section';

const recordRef = (record: EvidenceRecordInput): EvidenceRecordRef => ({
  kind: record.kind,
  digest: record.digest,
  ledgerIndex: record.ledgerIndex,
  createdAt: record.createdAt,
});

export function assembleEvidenceDocument(input: EvidenceDocumentAssemblyInput): EvidenceDocument {
  checkAssemblyInput(input);
  const { runId } = input.model.version;
  const { reaching, current, completed, inputs } = traceLineage(input.records, input.model);
  const datasets = datasetsSection(current, inputs);
  const trainingEnergy = trainingEnergyRecord(current, completed);
  const document: EvidenceDocument = {
    format: EVIDENCE_DOCUMENT_FORMAT,
    assembledAt: input.assembledAt,
    model: modelSection(input.model),
    records: reaching.map(recordRef),
    artifacts: artifactsSection(completed, input.signatureVerification ?? null),
    datasets,
    privacy: privacySection(current, datasets),
    training: trainingSection(current, completed, trainingEnergy),
    energy: energySection(trainingEnergy),
    evaluation: evaluationSection(current, runId),
    fairness: fairnessSection(current, runId),
    robustness: robustnessSection(current, runId),
    explanations: explanationsSection(current, runId),
    humanOversight: humanOversightSection(input),
  };
  const differentialPrivacy = differentialPrivacySection(current, completed);
  if (differentialPrivacy) document.differentialPrivacy = differentialPrivacy;
  const membershipInference = membershipInferenceSection(current, runId);
  if (membershipInference) document.membershipInference = membershipInference;
  const monitoring = monitoringSection(current, input.model.id, input.model.version.id);
  if (monitoring) document.monitoring = monitoring;
  const validation = validateEvidenceDocument(document);
  if (!validation.ok) {
    throw new EvidenceAssemblyError('EVIDENCE_ASSEMBLY_DOCUMENT_INVALID', 'The assembled document does not satisfy the assay.evidence/v1 schema', {
      problems: validation.problems,
    });
  }
  return document;
}
