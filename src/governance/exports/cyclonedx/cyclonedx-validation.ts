/**
 * Validation of a CycloneDX 1.6 BOM with the library's strict JSON validator (the 1.6 schema it
 * ships, ajv with ajv-formats; the library accepts any `iri-reference`). One validator per process,
 * compiled on first use.
 */
import { Spec, Validation } from '@cyclonedx/cyclonedx-library';

let validator: Validation.JsonStrictValidator | undefined;

interface SchemaError {
  instancePath?: string;
  message?: string;
}

/** The problems the validator finds in `bom` (a BOM object or its JSON text); [] when it is valid. */
export async function validateCycloneDxBom(bom: unknown): Promise<string[]> {
  validator ??= new Validation.JsonStrictValidator(Spec.Version.v1dot6);
  const errors: unknown = await validator.validate(typeof bom === 'string' ? bom : JSON.stringify(bom));
  if (errors === null) return [];
  return Array.isArray(errors)
    ? (errors as SchemaError[]).map((error) => `${error.instancePath ?? ''} ${error.message ?? 'invalid'}`.trim())
    : [JSON.stringify(errors)];
}
