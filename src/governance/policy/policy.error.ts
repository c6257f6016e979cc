/**
 * Every way loading packs or evaluating them can fail. The codes are stable API (API.md "Errors");
 * `problems` name the file, line and column of each defect so a refused boot says where to look.
 */

export const POLICY_ERROR_CODES = [
  /** A pack folder, pack.yaml or rule file is malformed, or an expression does not compile. */
  'POLICY_PACK_INVALID',
  /** The pack (or packs root) to load does not exist. */
  'POLICY_PACK_NOT_FOUND',
  /** Organisation parameter values do not match the pack's declarations. */
  'POLICY_PARAMETERS_INVALID',
  /** The evidence document does not satisfy the assay.evidence/v1 schema. */
  'POLICY_EVIDENCE_INVALID',
  /** A waiver is malformed (no justification, unparseable expiry, …). */
  'POLICY_WAIVER_INVALID',
  /** Evaluation options are malformed (unknown stage, bad time). */
  'POLICY_OPTIONS_INVALID',
  /** A recorded decision handed to replay is not a decision. */
  'POLICY_DECISION_INVALID',
] as const;

export type PolicyErrorCode = (typeof POLICY_ERROR_CODES)[number];

/** One defect. `file` is relative to the working directory when inside it; line and column are 1-based. */
export interface PolicyProblem {
  file?: string;
  line?: number;
  column?: number;
  /** RFC 6901 pointer into the YAML document or JSON value, when there is one. */
  path?: string;
  message: string;
}

/** `policies/x/rules.yaml:12:5 /rules/0/foo: unknown field "foo"`. */
export function formatProblem(problem: PolicyProblem): string {
  const where = problem.file ? [problem.file, problem.line, problem.column].filter((part) => part !== undefined).join(':') : '';
  const path = problem.path ? `${problem.path}: ` : '';
  return `${where ? `${where} ` : ''}${path}${problem.message}`;
}

export class PolicyError extends Error {
  override readonly name = 'PolicyError';

  constructor(
    readonly code: PolicyErrorCode,
    message: string,
    readonly problems: readonly PolicyProblem[] = [],
  ) {
    super(problems.length ? `${message}:\n${problems.map((p) => `  ${formatProblem(p)}`).join('\n')}` : message);
  }

  /** JSON-safe details for the `{error: {code, message, details}}` body. */
  get details(): { problems: PolicyProblem[] } {
    return { problems: [...this.problems] };
  }
}
