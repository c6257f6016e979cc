/**
 * The sections that come from the registry and the promotion request rather than from evidence
 * records: `model` (the registered model's declarations and the version) and `humanOversight`
 * (who asks for which stage; approval by another person is always required in Assay).
 * Declarations the caller does not pass are not declared: null, or [] for lists.
 */
import type { HumanOversightSection, ModelSection } from '../evidence-document';
import type { EvidenceDocumentAssemblyInput, ModelFacts } from './assembly-input';

export function modelSection(model: ModelFacts): ModelSection {
  return {
    id: model.id,
    name: model.name,
    versionId: model.version.id,
    version: model.version.version,
    riskTier: model.riskTier,
    intendedUse: model.intendedUse,
    prohibitedUses: [...model.prohibitedUses],
    jurisdictions: [...model.jurisdictions],
    knownLimitations: model.knownLimitations ? [...model.knownLimitations] : null,
    declaredPerformance: (model.declaredPerformance ?? []).map((declared) => ({
      metric: declared.metric,
      ...(declared.minimum === undefined ? {} : { minimum: declared.minimum }),
      ...(declared.maximum === undefined ? {} : { maximum: declared.maximum }),
    })),
    provider: model.provider ? { name: model.provider.name, contact: model.provider.contact } : null,
  };
}

export function humanOversightSection(input: EvidenceDocumentAssemblyInput): HumanOversightSection {
  return {
    requestedBy: { id: input.requestedBy.id, role: input.requestedBy.role },
    requestedAt: input.requestedAt ?? input.assembledAt,
    targetStage: input.stage,
    rationale: input.rationale ?? null,
    approvalRequired: true,
    measures: [...(input.model.oversightMeasures ?? [])],
    stopProcedure: input.model.stopProcedure ?? null,
  };
}
