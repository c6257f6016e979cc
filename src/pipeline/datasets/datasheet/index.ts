export * from './datasheet.dto';
export * from './datasheet.schema';
export * from './datasheet-completeness';
export * from './datasheet.vocabulary';
export { checkSpdxExpression, type SpdxExpressionCheck } from './spdx-license-expression';
export { countryCodeProblem, isIso3166Alpha2 } from './iso-3166-country';
export { isIsoCalendarDate, isIsoDuration } from './iso-8601';
