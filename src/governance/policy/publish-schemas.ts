/**
 * Writes the published JSON Schemas from their sources in code:
 *   src/governance/evidence-document/assay.evidence.v1.schema.json  (assay.evidence/v1)
 *   policies/schema/policy-pack.schema.json                           (pack.yaml)
 *   policies/schema/policy-rules.schema.json                          (*.rules.yaml)
 * Run `node -r @swc-node/register src/governance/policy/publish-schemas.ts` after changing a schema;
 * publish-schemas.spec.ts fails while a published file differs from its source.
 */
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { EVIDENCE_DOCUMENT_SCHEMA } from '../evidence-document/evidence-document.schema';
import { POLICY_PACK_SCHEMA, POLICY_RULES_SCHEMA } from './policy-pack.schema';

export function publishedSchemas(root: string): Array<{ path: string; content: string }> {
  const json = (schema: unknown) => `${JSON.stringify(schema, null, 2)}\n`;
  return [
    { path: join(root, 'src/governance/evidence-document/assay.evidence.v1.schema.json'), content: json(EVIDENCE_DOCUMENT_SCHEMA) },
    { path: join(root, 'policies/schema/policy-pack.schema.json'), content: json(POLICY_PACK_SCHEMA) },
    { path: join(root, 'policies/schema/policy-rules.schema.json'), content: json(POLICY_RULES_SCHEMA) },
  ];
}

if (require.main === module) {
  for (const file of publishedSchemas(resolve(__dirname, '../../..'))) {
    writeFileSync(file.path, file.content);
    console.log(`wrote ${file.path}`);
  }
}
