import { instanceToPlain } from 'class-transformer';
import { type EvidenceKind, type JsonSchema } from '../../../platform/evidence/evidence-kind';
import type { DatasheetDto } from './datasheet.dto';
import { EMAIL_MAX_LENGTH, NOT_BLANK_PATTERN, URL_MAX_LENGTH } from './datasheet.decorators';
import {
  DATA_SOURCE_KINDS,
  EMAIL_PATTERN,
  GDPR_ARTICLE_6_BASES,
  GDPR_ARTICLE_9_CONDITIONS,
  GDPR_SPECIAL_CATEGORIES,
  HTTP_URL_PATTERN,
  IDENTIFIABILITY_LEVELS,
  LABELING_METHODS,
  LIMITS,
  PREPROCESSING_STEP_KINDS,
  UPDATE_CADENCES,
} from './datasheet.vocabulary';
import { ISO_3166_ALPHA2_CODES } from './iso-3166-country';
import { ISO_DATE_PATTERN, ISO_DURATION_PATTERN } from './iso-8601';
import { SPDX_EXPRESSION_MAX_LENGTH, SPDX_EXPRESSION_PATTERNS } from './spdx-license-expression';

/*
 * JSON Schema (2020-12) of the `datasheet.recorded` evidence body: the datasheet as accepted by
 * DatasheetDto, field for field, so an exported bundle can be checked without Assay. One rule the
 * DTO enforces has no JSON Schema keyword: collectionPeriod.end ≥ start (comparing two values
 * needs ajv's non-standard $data); the schema checks each date alone.
 */

/** An object that admits exactly the listed properties; `optional` names those that may be absent. */
const object = (properties: Record<string, JsonSchema>, optional: string[] = []): JsonSchema => ({
  type: 'object',
  additionalProperties: false,
  properties,
  required: Object.keys(properties).filter((key) => !optional.includes(key)),
});

const notBlank = (maxLength: number): JsonSchema => ({ type: 'string', minLength: 1, maxLength, pattern: NOT_BLANK_PATTERN });
const text = notBlank(LIMITS.text);
const name = notBlank(LIMITS.name);
const textList: JsonSchema = { type: 'array', maxItems: LIMITS.listItems, uniqueItems: true, items: text };
const columnList: JsonSchema = { type: 'array', maxItems: LIMITS.columns, uniqueItems: true, items: name };
const oneOf = (values: readonly string[]): JsonSchema => ({ type: 'string', enum: [...values] });
const enumList = (values: readonly string[]): JsonSchema => ({ type: 'array', maxItems: LIMITS.listItems, uniqueItems: true, items: oneOf(values) });
const boolean: JsonSchema = { type: 'boolean' };
const count: JsonSchema = { type: 'integer', minimum: 0, maximum: Number.MAX_SAFE_INTEGER };
const url: JsonSchema = { type: 'string', minLength: 1, maxLength: URL_MAX_LENGTH, pattern: HTTP_URL_PATTERN };
const email: JsonSchema = { type: 'string', minLength: 1, maxLength: EMAIL_MAX_LENGTH, pattern: EMAIL_PATTERN };
const date: JsonSchema = { type: 'string', pattern: ISO_DATE_PATTERN, format: 'date' };
const duration: JsonSchema = { type: 'string', pattern: ISO_DURATION_PATTERN, format: 'duration' };
const spdxExpression: JsonSchema = {
  type: 'string',
  maxLength: SPDX_EXPRESSION_MAX_LENGTH,
  allOf: [{ pattern: SPDX_EXPRESSION_PATTERNS.structure }, { pattern: SPDX_EXPRESSION_PATTERNS.knownIds }],
};
const countries: JsonSchema = {
  type: 'array',
  minItems: 1,
  maxItems: ISO_3166_ALPHA2_CODES.length,
  uniqueItems: true,
  items: { type: 'string', enum: [...ISO_3166_ALPHA2_CODES] },
};

const personalData = object(
  {
    present: boolean,
    dataSubjects: textList,
    identifiability: oneOf(IDENTIFIABILITY_LEVELS),
    specialCategoryDataPresent: boolean,
    specialCategories: enumList(GDPR_SPECIAL_CATEGORIES),
    criminalOffenceDataPresent: boolean,
    childrenDataPresent: boolean,
  },
  ['dataSubjects', 'identifiability', 'specialCategoryDataPresent', 'specialCategories', 'criminalOffenceDataPresent', 'childrenDataPresent'],
);

const legalBasis = object(
  {
    article6: oneOf(GDPR_ARTICLE_6_BASES),
    article9Condition: oneOf(GDPR_ARTICLE_9_CONDITIONS),
    article10Authorisation: text,
    consent: object({ scope: text, coversModelTraining: boolean, obtainedVia: text, withdrawalMechanism: text }, ['obtainedVia', 'withdrawalMechanism']),
    legitimateInterestsAssessment: text,
  },
  ['article9Condition', 'article10Authorisation', 'consent', 'legitimateInterestsAssessment'],
);

export const DATASHEET_SCHEMA: JsonSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  title: 'Datasheet for a dataset version (Gebru et al. 2021)',
  ...object({
    motivation: object({ purpose: text, creators: textList, funding: text }, ['creators', 'funding']),
    composition: object(
      {
        instances: text,
        recordCount: count,
        isSample: boolean,
        samplingStrategy: text,
        labelColumn: name,
        sensitiveAttributes: columnList,
        quasiIdentifiers: columnList,
        missingData: text,
        knownErrors: text,
        personalData,
      },
      ['recordCount', 'isSample', 'samplingStrategy', 'labelColumn', 'sensitiveAttributes', 'quasiIdentifiers', 'missingData', 'knownErrors'],
    ),
    collectionProcess: object(
      {
        sources: {
          type: 'array',
          minItems: 1,
          maxItems: LIMITS.listItems,
          items: object({ name, kind: oneOf(DATA_SOURCE_KINDS), url, description: text }, ['url', 'description']),
        },
        collectionPeriod: object({ start: date, end: date }, ['end']),
        method: text,
        collectors: text,
        jurisdictions: countries,
        legalBasis,
        dataSubjectsInformed: boolean,
        ethicalReview: object({ conducted: boolean, reference: text }, ['reference']),
        dpiaReference: text,
      },
      ['collectionPeriod', 'method', 'collectors', 'jurisdictions', 'legalBasis', 'dataSubjectsInformed', 'ethicalReview', 'dpiaReference'],
    ),
    preprocessing: object(
      {
        steps: { type: 'array', maxItems: LIMITS.listItems, items: object({ kind: oneOf(PREPROCESSING_STEP_KINDS), description: text }) },
        rawDataRetained: boolean,
        labeling: object({ method: oneOf(LABELING_METHODS), description: text }, ['description']),
      },
      ['steps', 'rawDataRetained', 'labeling'],
    ),
    uses: object(
      { intendedUses: textList, prohibitedUses: textList, priorUses: textList, knownLimitations: textList, knownBiases: textList },
      ['intendedUses', 'prohibitedUses', 'priorUses', 'knownLimitations', 'knownBiases'],
    ),
    distribution: object({ licence: spdxExpression, licenceTermsUrl: url, thirdPartyDistribution: boolean, restrictions: textList }, [
      'licence',
      'licenceTermsUrl',
      'thirdPartyDistribution',
      'restrictions',
    ]),
    maintenance: object(
      {
        contact: object({ name, email, url }, ['email', 'url']),
        updatePolicy: object({ cadence: oneOf(UPDATE_CADENCES), interval: duration, description: text }, ['interval', 'description']),
        retention: object({ period: duration, justification: text, deletionProcedure: text }, ['justification', 'deletionProcedure']),
        dataSubjectRequests: text,
      },
      ['updatePolicy', 'retention', 'dataSubjectRequests'],
    ),
  }),
};

export const DATASHEET_RECORDED_KIND: EvidenceKind = {
  kind: 'datasheet.recorded',
  version: 1,
  description: 'A datasheet (Gebru et al. 2021) was recorded for a dataset version.',
  schema: DATASHEET_SCHEMA,
};

/** The evidence body of a validated datasheet: plain JSON, with absent answers left out rather than undefined. */
export function toDatasheetBody(datasheet: DatasheetDto): Record<string, unknown> {
  return JSON.parse(JSON.stringify(instanceToPlain(datasheet))) as Record<string, unknown>;
}
