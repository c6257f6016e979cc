/**
 * The Google Model Card Toolkit document, schema v0.0.2 (tensorflow/model-card-toolkit
 * `model_card_toolkit/schema/v0.0.2/model_card.schema.json`), as TypeScript types. Field names are
 * the schema's (snake_case); every field but `schema_version` is optional there, and Assay leaves a
 * field out when the evidence does not hold it rather than filling it with a default.
 */

export const MODEL_CARD_SCHEMA_VERSION = '0.0.2';

export interface ModelCard {
  schema_version: typeof MODEL_CARD_SCHEMA_VERSION;
  model_details: ModelDetails;
  model_parameters: ModelParameters;
  quantitative_analysis: QuantitativeAnalysis;
  considerations: Considerations;
}

export interface ModelDetails {
  name: string;
  /** A brief description of the model. */
  overview?: string;
  /** A more thorough description: one fact per line. */
  documentation?: string;
  owners?: ModelCardOwner[];
  version?: ModelCardVersion;
  licenses?: ModelCardLicense[];
  /** `format: uri`. */
  references?: Array<{ reference: string }>;
  citations?: Array<{ style?: string; citation: string }>;
}

export interface ModelCardOwner {
  name: string;
  contact?: string;
}

export interface ModelCardVersion {
  name: string;
  /** `format: date` (YYYY-MM-DD). */
  date?: string;
  diff?: string;
}

/** The schema requires one of `identifier` (SPDX) and `custom_text`. */
export type ModelCardLicense = { identifier: string } | { custom_text: string };

export interface KeyValue {
  key: string;
  value: string;
}

export interface ModelParameters {
  model_architecture?: string;
  data?: ModelCardDataset[];
  input_format?: string;
  input_format_map?: KeyValue[];
  output_format?: string;
  output_format_map?: KeyValue[];
}

export interface ModelCardDataset {
  name: string;
  description?: string;
  /** `format: uri`. */
  link?: string;
  sensitive?: { sensitive_data: string[] };
  graphics?: GraphicsCollection;
}

export interface PerformanceMetric {
  type: string;
  /** The metric exactly as recorded (`String(number)`); left out when the metric is undefined on the data. */
  value?: string;
  /** The sensitive group the metric was computed on (`sex=F`); left out for the whole test split. */
  slice?: string;
  confidence_interval?: { lower_bound: string; upper_bound: string };
}

export interface GraphicsCollection {
  description?: string;
  collection?: Graphic[];
}

export interface Graphic {
  name: string;
  /** Base64-encoded PNG. */
  image: string;
}

export interface QuantitativeAnalysis {
  performance_metrics?: PerformanceMetric[];
  graphics?: GraphicsCollection;
}

export interface Described {
  description: string;
}

export interface ModelCardRisk {
  name: string;
  mitigation_strategy?: string;
}

export interface Considerations {
  users?: Described[];
  use_cases?: Described[];
  limitations?: Described[];
  tradeoffs?: Described[];
  ethical_considerations?: ModelCardRisk[];
}
