/**
 * A pack as JSON, for `GET /policies/:pack` and exports: its declarations and rule sources, without
 * the compiled state.
 */
import type { ParameterDeclaration, ParameterValue } from './pack-parameters';
import type { PackFile, PolicyPack, RuleSeverity } from './policy-pack';

export interface PackDescription {
  id: string;
  version: string;
  title: string;
  description: string | null;
  jurisdiction: string;
  appliesTo: { riskTiers: string[] | null; jurisdictions: string[] | null };
  references: Array<{ title: string; url: string }>;
  digest: string;
  files: PackFile[];
  parameters: Record<string, ParameterDeclaration & { value: ParameterValue }>;
  rules: Array<{
    id: string;
    title: string;
    description: string | null;
    cites: string[];
    stages: string[];
    severity: RuleSeverity;
    waivable: boolean;
    when: string | null;
    require: string;
    message: string;
    source: string;
  }>;
}

export function describePack(pack: PolicyPack): PackDescription {
  return {
    id: pack.id,
    version: pack.version,
    title: pack.title,
    description: pack.description,
    jurisdiction: pack.jurisdiction,
    appliesTo: structuredClone(pack.appliesTo),
    references: structuredClone(pack.references),
    digest: pack.digest,
    files: structuredClone(pack.files),
    parameters: Object.fromEntries(
      Object.entries(pack.parameters).map(([name, declaration]) => [name, { ...structuredClone(declaration), value: structuredClone(pack.parameterValues[name]!) }]),
    ),
    rules: pack.rules.map((rule) => ({
      id: rule.id,
      title: rule.title,
      description: rule.description,
      cites: [...rule.cites],
      stages: [...rule.stages],
      severity: rule.severity,
      waivable: rule.waivable,
      when: rule.when?.source ?? null,
      require: rule.require.source,
      message: rule.message.source,
      source: `${rule.source.file}:${rule.source.line}:${rule.source.column}`,
    })),
  };
}
