/**
 * JSON Schemas (draft 2020-12) of `pack.yaml` and of rule files (`*.rules.yaml`). Published as
 * policies/schema/*.json (regenerate with publish-schemas.ts; a spec keeps them equal) so pack
 * authors get editor completion; the loader validates with these and then type-checks the CEL.
 */
import { ISO_3166_ALPHA2_CODES } from '../../pipeline/datasets/datasheet/iso-3166-country';
import { PROMOTION_STAGES } from '../evidence-document/evidence-document';
import { PARAMETER_TYPES } from './pack-parameters';

type JsonSchema = Record<string, unknown>;

export const POLICY_PACK_SCHEMA_ID = 'https://assay.example/schemas/policy-pack.schema.json';
export const POLICY_RULES_SCHEMA_ID = 'https://assay.example/schemas/policy-rules.schema.json';

export const PACK_ID_PATTERN = '^[a-z0-9][a-z0-9-]{0,62}$';
export const RULE_ID_PATTERN = '^[a-z0-9][a-z0-9.-]{0,99}$';
export const PARAMETER_NAME_PATTERN = '^[a-z][A-Za-z0-9]{0,62}$';
export const RISK_TIER_PATTERN = '^[a-z][a-z0-9_-]{0,49}$';

const text = (maxLength: number, description?: string): JsonSchema => ({
  type: 'string',
  minLength: 1,
  maxLength,
  pattern: '\\S',
  ...(description ? { description } : {}),
});

const semver = '^(0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)(-[0-9A-Za-z.-]+)?$';

export const POLICY_PACK_SCHEMA: JsonSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: POLICY_PACK_SCHEMA_ID,
  title: 'Assay policy pack (pack.yaml)',
  type: 'object',
  additionalProperties: false,
  required: ['id', 'version', 'title', 'jurisdiction'],
  properties: {
    id: { type: 'string', pattern: PACK_ID_PATTERN, description: 'Equals the name of the pack folder.' },
    version: { type: 'string', pattern: semver, description: 'Semantic version of the pack (quote it in YAML: "1.0.0").' },
    title: text(200),
    description: text(4000),
    jurisdiction: { type: 'string', pattern: '^[A-Za-z][A-Za-z0-9-]{0,30}$', description: 'EU, CN, US, global, …' },
    appliesTo: {
      type: 'object',
      additionalProperties: false,
      description: 'Which model versions the pack gates; an absent list means "all".',
      properties: {
        riskTiers: { type: 'array', minItems: 1, uniqueItems: true, items: { type: 'string', pattern: RISK_TIER_PATTERN } },
        jurisdictions: {
          type: 'array',
          minItems: 1,
          uniqueItems: true,
          items: { type: 'string', enum: [...ISO_3166_ALPHA2_CODES] },
          description: 'ISO 3166-1 alpha-2 codes: the pack applies when the model is used in any of them.',
        },
      },
    },
    references: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['title', 'url'],
        properties: { title: text(300), url: { type: 'string', pattern: '^https://\\S+$', maxLength: 500 } },
      },
    },
    parameters: {
      type: 'object',
      propertyNames: { pattern: PARAMETER_NAME_PATTERN },
      additionalProperties: {
        type: 'object',
        additionalProperties: false,
        required: ['type', 'default', 'description'],
        properties: {
          type: { type: 'string', enum: [...PARAMETER_TYPES] },
          default: { description: 'A value of the declared type; organisations override it.' },
          description: text(1000),
          minimum: { type: 'number' },
          maximum: { type: 'number' },
        },
      },
    },
  },
};

const expression = (description: string): JsonSchema => ({ type: 'string', minLength: 1, maxLength: 10_000, pattern: '\\S', description });

export const POLICY_RULES_SCHEMA: JsonSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: POLICY_RULES_SCHEMA_ID,
  title: 'Assay policy rules (*.rules.yaml)',
  type: 'object',
  additionalProperties: false,
  required: ['rules'],
  properties: {
    rules: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['id', 'title', 'cites', 'stages', 'severity', 'waivable', 'require', 'message'],
        properties: {
          id: { type: 'string', pattern: RULE_ID_PATTERN, description: 'Unique within the pack.' },
          title: text(200),
          description: text(4000),
          cites: {
            description: 'The clause(s) the rule implements, e.g. "EU AI Act Art. 10(2)(f)".',
            type: ['string', 'array'],
            minLength: 1,
            maxLength: 300,
            pattern: '\\S',
            minItems: 1,
            items: text(300),
          },
          stages: { type: 'array', minItems: 1, uniqueItems: true, items: { type: 'string', enum: [...PROMOTION_STAGES] } },
          severity: { type: 'string', enum: ['block', 'warn'] },
          waivable: { type: 'boolean' },
          when: expression('CEL (bool): the rule applies only when true.'),
          require: expression('CEL (bool): true passes, false fails.'),
          message: text(2000, 'Shown when the rule fails; {{ cel }} inserts a value, e.g. {{ evidence.fairness.minDemographicParityRatio }}.'),
        },
      },
    },
  },
};
