import type { DatasheetDto } from './datasheet.dto';
import { isSpdxLicenseRef, checkSpdxExpression } from './spdx-license-expression';

export interface MissingItem {
  /** Dotted path of the field to fill in, e.g. `collectionProcess.legalBasis.article9Condition`, `composition.sensitiveAttributes[2]`. */
  field: string;
  reason: string;
}

export interface DatasheetCompleteness {
  complete: boolean;
  missing: MissingItem[];
}

/**
 * What a datasheet still lacks before the dataset may be used to train a model that is to be
 * promoted. The DTO only checks that a datasheet is well formed; these are the answers a
 * compliance review needs, each with the clause that asks for it. Policy rules read `missing`
 * (by field) rather than re-deriving the logic. `columns` are the dataset version's columns.
 */
export function datasheetCompleteness(datasheet: DatasheetDto, columns: readonly string[]): DatasheetCompleteness {
  const missing: MissingItem[] = [];
  const need = (field: string, reason: string) => missing.push({ field, reason });
  const { composition, collectionProcess, uses, distribution, maintenance } = datasheet;
  const personal = composition.personalData;
  const basis = collectionProcess.legalBasis;
  const specialCategories = personal.specialCategories ?? [];
  const specialData = personal.specialCategoryDataPresent === true || specialCategories.length > 0;
  const criminalData = personal.criminalOffenceDataPresent === true;

  // Scope and applicable law.
  if (!collectionProcess.jurisdictions?.length) {
    need('collectionProcess.jurisdictions', 'Which countries the data comes from decides which law and policy packs apply.');
  }
  if (!collectionProcess.collectionPeriod) {
    need('collectionProcess.collectionPeriod', 'When the data was collected is part of its provenance (EU AI Act Art. 10(2)(b)).');
  }

  // Lawfulness of processing personal data.
  if (personal.present) {
    if (!basis) need('collectionProcess.legalBasis', 'Personal data is present but no lawful basis is given (GDPR Art. 6(1)).');
    if (!maintenance.retention) need('maintenance.retention', 'Personal data is present but no retention period is set (GDPR Art. 5(1)(e)).');
    if (composition.quasiIdentifiers === undefined) {
      need('composition.quasiIdentifiers', 'Personal data is present but quasi-identifiers are not declared, so re-identification risk cannot be assessed ([] if there are none).');
    }
    if (composition.sensitiveAttributes === undefined) {
      need('composition.sensitiveAttributes', 'Personal data is present but sensitive attributes are not declared, so biases cannot be examined (EU AI Act Art. 10(2)(f); [] if there are none).');
    }
  }
  if (personal.specialCategoryDataPresent === true && specialCategories.length === 0) {
    need('composition.personalData.specialCategories', 'Special-category data is flagged present; name which GDPR Art. 9(1) categories.');
  }
  if (personal.specialCategoryDataPresent === false && specialCategories.length > 0) {
    need('composition.personalData.specialCategoryDataPresent', 'Special categories are listed, yet special-category data is flagged absent.');
  }
  if ((specialData || criminalData) && !personal.present) {
    need('composition.personalData.present', 'Special-category or criminal-offence data is declared, yet personal data is flagged absent.');
  }
  if (specialData && !basis?.article9Condition) {
    need('collectionProcess.legalBasis.article9Condition', 'Special-category data is present but no GDPR Art. 9(2) condition is given; Art. 9(1) prohibits processing without one.');
  }
  if (criminalData && !basis?.article10Authorisation) {
    need('collectionProcess.legalBasis.article10Authorisation', 'Criminal-offence data is present but no authorising law is given (GDPR Art. 10).');
  }
  if ((specialData || criminalData) && !collectionProcess.dpiaReference) {
    need('collectionProcess.dpiaReference', 'Special-category or criminal-offence data is present; large-scale processing of it needs a DPIA (GDPR Art. 35(3)(b)).');
  }
  if (basis && (basis.article6 === 'consent' || basis.article9Condition === 'explicit_consent')) {
    if (!basis.consent) {
      need('collectionProcess.legalBasis.consent', 'Processing relies on consent, but its scope is not recorded (GDPR Art. 6(1)(a), 7(1)).');
    } else if (!basis.consent.coversModelTraining) {
      need('collectionProcess.legalBasis.consent.coversModelTraining', 'The consent given does not cover training models (purpose limitation, GDPR Art. 5(1)(b)).');
    }
  }
  if (basis?.article6 === 'legitimate_interests' && !basis.legitimateInterestsAssessment) {
    need('collectionProcess.legalBasis.legitimateInterestsAssessment', 'Processing relies on legitimate interests, but no balancing test is referenced (GDPR Art. 6(1)(f)).');
  }

  // Licence and use.
  if (!distribution.licence) {
    need('distribution.licence', 'No licence is given, so the right to use the data for training is not established.');
  } else {
    const check = checkSpdxExpression(distribution.licence);
    if (check.valid && check.licenceIds.some(isSpdxLicenseRef) && !distribution.licenceTermsUrl) {
      need('distribution.licenceTermsUrl', 'A LicenseRef- licence is bespoke; link to its terms.');
    }
  }
  if (!uses.intendedUses?.length) need('uses.intendedUses', 'No intended use is stated (GDPR Art. 5(1)(b); EU AI Act Art. 10(2)).');
  if (uses.knownLimitations === undefined) {
    need('uses.knownLimitations', 'Known gaps and shortcomings are not stated (EU AI Act Art. 10(2)(h); [] if none are known).');
  }
  if (maintenance.updatePolicy?.cadence === 'periodic' && !maintenance.updatePolicy.interval) {
    need('maintenance.updatePolicy.interval', 'Updates are periodic but no interval is given.');
  }

  // Columns named in the datasheet must exist in this dataset version.
  const known = new Set(columns);
  if (composition.labelColumn !== undefined && !known.has(composition.labelColumn)) {
    need('composition.labelColumn', `"${composition.labelColumn}" is not a column of this dataset version.`);
  }
  for (const field of ['sensitiveAttributes', 'quasiIdentifiers'] as const) {
    composition[field]?.forEach((column, i) => {
      if (!known.has(column)) need(`composition.${field}[${i}]`, `"${column}" is not a column of this dataset version.`);
    });
  }

  return { complete: missing.length === 0, missing };
}
