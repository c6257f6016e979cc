/**
 * Closed vocabularies of the datasheet, shared by the DTO, the JSON Schema and the completeness
 * check so the three cannot drift. Values are snake_case so CEL policy rules can compare them.
 */

/** GDPR Art. 6(1)(a)–(f), in the Article's order. */
export const GDPR_ARTICLE_6_BASES = [
  'consent',
  'contract',
  'legal_obligation',
  'vital_interests',
  'public_task',
  'legitimate_interests',
] as const;
export type GdprArticle6Basis = (typeof GDPR_ARTICLE_6_BASES)[number];

/** GDPR Art. 9(2)(a)–(j): the conditions that lift the Art. 9(1) prohibition, in the Article's order. */
export const GDPR_ARTICLE_9_CONDITIONS = [
  'explicit_consent',
  'employment_social_security',
  'vital_interests',
  'not_for_profit_body',
  'manifestly_made_public',
  'legal_claims',
  'substantial_public_interest',
  'health_or_social_care',
  'public_health',
  'archiving_research_statistics',
] as const;
export type GdprArticle9Condition = (typeof GDPR_ARTICLE_9_CONDITIONS)[number];

/** GDPR Art. 9(1) special categories of personal data. */
export const GDPR_SPECIAL_CATEGORIES = [
  'racial_or_ethnic_origin',
  'political_opinions',
  'religious_or_philosophical_beliefs',
  'trade_union_membership',
  'genetic_data',
  'biometric_data',
  'health_data',
  'sex_life_or_sexual_orientation',
] as const;
export type GdprSpecialCategory = (typeof GDPR_SPECIAL_CATEGORIES)[number];

/** GDPR Art. 4(1), 4(5) and Recital 26: anonymised data is no longer personal data; pseudonymised still is. */
export const IDENTIFIABILITY_LEVELS = ['identified', 'pseudonymised', 'anonymised'] as const;
export type IdentifiabilityLevel = (typeof IDENTIFIABILITY_LEVELS)[number];

/** Where the data came from (Gebru et al. §3.3; GDPR Art. 13 vs 14 turns on direct collection). */
export const DATA_SOURCE_KINDS = ['collected_directly', 'third_party', 'public', 'synthetic', 'derived'] as const;
export type DataSourceKind = (typeof DATA_SOURCE_KINDS)[number];

export const PREPROCESSING_STEP_KINDS = [
  'cleaning',
  'deduplication',
  'filtering',
  'sampling',
  'imputation',
  'transformation',
  'labeling',
  'anonymisation',
  'other',
] as const;
export type PreprocessingStepKind = (typeof PREPROCESSING_STEP_KINDS)[number];

export const LABELING_METHODS = ['human', 'automated', 'automated_human_verified', 'source_provided'] as const;
export type LabelingMethod = (typeof LABELING_METHODS)[number];

export const UPDATE_CADENCES = ['none', 'as_needed', 'periodic'] as const;
export type UpdateCadence = (typeof UPDATE_CADENCES)[number];

/** Field limits, shared with the JSON Schema. */
export const LIMITS = {
  name: 200,
  text: 4000,
  listItems: 200,
  columns: 10_000,
} as const;

/** http(s) URL and e-mail as plain patterns, so the API and the ledger schema accept exactly the same strings. */
export const HTTP_URL_PATTERN = '^https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?([/?#][^\\s]*)?$';
export const EMAIL_PATTERN = '^[^\\s@]+@[A-Za-z0-9-]+(\\.[A-Za-z0-9-]+)+$';
