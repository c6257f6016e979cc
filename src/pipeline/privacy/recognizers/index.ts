/** PII recognisers and the per-column scanner used by the privacy scan (pure library). */
export {
  ENTITY_TYPES,
  CONTEXT_ONLY_ENTITY_TYPES,
  isEntityType,
  type EntityType,
  type Finding,
  type ChecksumTally,
} from './entity-types';
export { recognizeValue, type RecognizeOptions } from './recognize-value';
export { ColumnPiiScanner, type ColumnPiiFinding, type ColumnPiiScannerOptions } from './column-pii-scanner';
export { maskValue } from './mask';
export { entityTypesFromColumnName, normalizeColumnName } from './column-context';
export { luhnValid, cardScheme } from './payment-card.recognizer';
export { isValidIban } from './iban.recognizer';
export { isValidSsnDigits } from './us-ssn.recognizer';
export { isValidCnResidentId, cnIdCheckCharacter } from './cn-resident-id.recognizer';
