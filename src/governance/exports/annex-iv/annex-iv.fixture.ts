/**
 * Dossiers for the Annex IV specs, derived from the shared `modelDossierFixture()`: one with the
 * evaluation, energy, monitoring and datasheet evidence removed (document sections and their
 * records), and one completed with the declarations the shared fixture lacks (provider, known
 * limitations, declared accuracy, a monitoring plan).
 */
import type { ModelDossier } from '../dossier/model-dossier';

const REMOVED_KINDS = new Set(['evaluation.completed', 'energy.measured', 'datasheet.recorded']);

export function withoutEvidence(dossier: ModelDossier): ModelDossier {
  const copy = structuredClone(dossier);
  copy.document.evaluation = null;
  copy.document.energy = null;
  delete copy.document.monitoring;
  copy.document.datasets = copy.document.datasets.map((dataset) => ({ ...dataset, datasheet: null }));
  copy.datasheets = [];
  copy.records = copy.records.filter((record) => !REMOVED_KINDS.has(record.kind));
  copy.document.records = copy.document.records.filter((record) => !REMOVED_KINDS.has(record.kind));
  return copy;
}

export function completed(dossier: ModelDossier): ModelDossier {
  const copy = structuredClone(dossier);
  copy.document.model.provider = { name: 'Example Bank AG, Credit Risk Analytics', contact: 'ai-governance@example.com' };
  copy.document.model.knownLimitations = ['Declined applicants have no outcome (selection bias).'];
  copy.document.model.declaredPerformance = [
    { metric: 'accuracy', minimum: 0.85 },
    { metric: 'expectedCalibrationError', maximum: 0.08 },
  ];
  copy.document.monitoring = {
    plan: {
      decisionLogging: true,
      features: ['age', 'income', 'debt'],
      window: 'P7D',
      thresholds: [{ metric: 'psi', value: 0.2 }],
      groupDrift: true,
      webhooks: 1,
    },
    openAlerts: 0,
    lastAlertAt: null,
  };
  return copy;
}
