// Types for `ajv-formats-draft2019` 1.6 (used by the specs to assert `iri-reference` and `idn-email`): it installs formats on an Ajv instance.
declare module 'ajv-formats-draft2019' {
  import type Ajv from 'ajv';
  function addDraft2019Formats(ajv: Ajv, options?: { formats?: Array<'duration' | 'idn-email' | 'idn-hostname' | 'iri' | 'iri-reference'> }): Ajv;
  export = addDraft2019Formats;
}
