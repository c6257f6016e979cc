/**
 * Training preprocessing: imputation, standardisation, one-hot encoding and label encoding,
 * fitted on the training split only and stored (as plain, hashable JSON) with the model so
 * inference applies exactly the same transformation. Pure library: no NestJS, no database.
 */
export { fitPreprocessor } from './preprocessor.fitter';
export { FittedPreprocessor, type TransformedRow, type TransformedTable } from './fitted-preprocessor';
export * from './preprocessing-spec';
export { validatePreprocessingSpec, type PreprocessingSpecValidation } from './preprocessing-spec.validator';
export * from './preprocessor-state';
export { PreprocessingError, PREPROCESSING_ERROR_CODES, type PreprocessingErrorCode, type PreprocessingErrorDetails } from './preprocessing.error';
