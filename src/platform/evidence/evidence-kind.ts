/** A JSON Schema (draft 2020-12 subset that ajv compiles). */
export type JsonSchema = Record<string, unknown>;

/**
 * One kind of evidence: its name (`<noun>.<past-verb>`), version, and the JSON schema its body
 * must satisfy. The list is closed at boot: recording an unregistered kind is a programming error.
 */
export interface EvidenceKind {
  kind: string;
  version: number;
  description: string;
  schema: JsonSchema;
}

export const KIND_NAME = /^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_-]*)+$/;

const digest = { type: 'string', pattern: '^sha256:[0-9a-f]{64}$' } as const;
const uuid = { type: 'string', format: 'uuid' } as const;
export const schemaParts = { digest, uuid };
