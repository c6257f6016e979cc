/**
 * A `datasheet.recorded` record summarised for policy: the answers rules read, and its
 * completeness as datasheetCompleteness() judges it against the dataset version's columns (the
 * same judgement the datasheet API reports). Unanswered questions stay null; the three flags the
 * document types as booleans (special-category and criminal-offence data) read "not declared
 * present" as false, as the completeness check does.
 */
import { datasheetCompleteness } from '../../../pipeline/datasets/datasheet/datasheet-completeness';
import type { DatasheetSummary, LegalBasis } from '../evidence-document';
import type { DatasheetBody } from './producer-bodies';
import type { Evidence } from './record-set';

export function legalBasisOf(sheet: DatasheetBody): LegalBasis | null {
  const basis = sheet.collectionProcess.legalBasis;
  if (!basis) return null;
  return {
    article6: basis.article6,
    article9Condition: basis.article9Condition ?? null,
    consentCoversModelTraining: basis.consent ? basis.consent.coversModelTraining : null,
  };
}

export function summariseDatasheet(record: Evidence<DatasheetBody>, columns: readonly string[]): DatasheetSummary {
  const sheet = record.body;
  const { composition, collectionProcess, uses, distribution } = sheet;
  const personal = composition.personalData;
  const specialCategories = personal.specialCategories ?? [];
  const completeness = datasheetCompleteness(sheet, columns);
  return {
    digest: record.digest,
    complete: completeness.complete,
    missing: completeness.missing.map((item) => item.field),
    purpose: sheet.motivation.purpose,
    sources: collectionProcess.sources.map((source) => ({ name: source.name, kind: source.kind })),
    licence: distribution.licence ?? null,
    jurisdictions: collectionProcess.jurisdictions ?? null,
    labelColumn: composition.labelColumn ?? null,
    personalData: personal.present,
    identifiability: personal.identifiability ?? null,
    specialCategoryData: personal.specialCategoryDataPresent === true || specialCategories.length > 0,
    specialCategories: [...specialCategories],
    criminalOffenceData: personal.criminalOffenceDataPresent === true,
    childrenData: personal.childrenDataPresent ?? null,
    legalBasis: legalBasisOf(sheet),
    sensitiveAttributes: composition.sensitiveAttributes ?? null,
    quasiIdentifiers: composition.quasiIdentifiers ?? null,
    dataSubjectsInformed: collectionProcess.dataSubjectsInformed ?? null,
    dpiaReference: collectionProcess.dpiaReference ?? null,
    knownBiases: uses.knownBiases ?? null,
  };
}
