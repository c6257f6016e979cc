/**
 * The policy engine: policy packs (YAML + CEL) loaded from `policies/`, validated and hashed;
 * evaluation of an `assay.evidence/v1` document into a decision that records what every rule read;
 * waivers; replay of a recorded decision. Pure library: no NestJS, TypeORM, database or platform
 * imports, so the offline verifier can use it.
 */
export { PolicyError, POLICY_ERROR_CODES, formatProblem, type PolicyErrorCode, type PolicyProblem } from './policy.error';
export { loadPolicyPack, loadPolicyPacks, withPackParameters, PACK_MANIFEST, RULES_FILE, type LoadPackOptions, type LoadPacksOptions } from './policy-pack.loader';
export type { PolicyPack, PolicyRule, PackFile, RuleSeverity } from './policy-pack';
export { packDigest } from './policy-pack.digest';
export { describePack, type PackDescription } from './pack-description';
export { POLICY_PACK_SCHEMA, POLICY_PACK_SCHEMA_ID, POLICY_RULES_SCHEMA, POLICY_RULES_SCHEMA_ID } from './policy-pack.schema';
export { PARAMETER_TYPES, type ParameterDeclaration, type ParameterType, type ParameterValue } from './pack-parameters';
export { evaluatePolicies, type EvaluationOptions } from './policy.evaluator';
export * from './policy-decision';
export type { Waiver } from './waivers';
export type { JsonValue } from './observed-values';
export { replayDecision, replayDecisionWithPacks, type DecisionDifference, type ReplayResult } from './policy.replay';
export { loadPackTestCases, type RuleTestCase } from './pack-test-cases';
export { applyJsonPatch, type JsonPatchOperation } from './json-patch';
export { decisionDigest } from './decision-digest';
