/**
 * CycloneDX 1.6 ML-BOM for regulator exports: the model version as a `machine-learning-model`
 * component with its 1.6 `modelCard`, the datasets it saw as `data` components, built with
 * @cyclonedx/cyclonedx-library and validated with its strict 1.6 validator. Pure: no NestJS, no
 * database, no clock.
 */
export { toCycloneDxBom, bomSerialNumber, type CycloneDxBom } from './cyclonedx-bom';
export { validateCycloneDxBom } from './cyclonedx-validation';
export { cycloneDxModelCard, type CycloneDxModelCard, type CycloneDxPerformanceMetric, type CycloneDxEnergyConsumption } from './cyclonedx-model-card';
export { modelRef, datasetRef, sha256Hex, type CycloneDxComponentData } from './cyclonedx-components';
