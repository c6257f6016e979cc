/**
 * A loaded policy pack: what pack.yaml and its rule files declare, their digest, and every
 * expression compiled. Produced only by the loader (policy-pack.loader.ts).
 */
import type { PromotionStage } from '../evidence-document/evidence-document';
import type { CompiledTemplate } from './message-template';
import type { ParameterDeclaration, ParameterValue } from './pack-parameters';
import type { PackEnvironment } from './cel-environment';
import type { Converter } from './cel-types';
import type { ReadPath } from './expression-reads';
import type { CompiledExpression } from './rule-expression';

export type RuleSeverity = 'block' | 'warn';

export interface PolicyRule {
  id: string;
  title: string;
  description: string | null;
  cites: string[];
  stages: PromotionStage[];
  severity: RuleSeverity;
  waivable: boolean;
  when: CompiledExpression | null;
  require: CompiledExpression;
  message: CompiledTemplate;
  /** What the rule reads, sorted by label: through `when` alone (when it is false) and through both. */
  reads: { when: ReadPath[]; all: ReadPath[] };
  /** Where the rule is defined, e.g. `policies/baseline/artifacts.rules.yaml:4:5`. */
  source: { file: string; line: number; column: number };
}

export interface PackFile {
  /** Relative to the pack folder. */
  path: string;
  /** `sha256:<hex>` of the file's bytes. */
  digest: string;
}

export interface PolicyPack {
  id: string;
  version: string;
  title: string;
  description: string | null;
  jurisdiction: string;
  /** null: every risk tier / every jurisdiction. */
  appliesTo: { riskTiers: string[] | null; jurisdictions: string[] | null };
  references: Array<{ title: string; url: string }>;
  /** See policy-pack.digest.ts for exactly what is hashed. */
  digest: string;
  files: PackFile[];
  directory: string;
  parameters: Record<string, ParameterDeclaration>;
  /** Effective values: defaults overridden by the organisation's settings. */
  parameterValues: Record<string, ParameterValue>;
  rules: PolicyRule[];
  /** Compiled state the evaluator needs; not part of any record. */
  runtime: { environment: PackEnvironment; params: unknown; convertEvidence: Converter };
}
