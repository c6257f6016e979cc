import { AssayException } from '../../../platform/errors/assay.exception';
import { createValidationPipe } from '../../../platform/http/validation';
import { DatasheetDto } from './datasheet.dto';

/** Datasheet bodies for specs: a full one that answers every field, and the smallest accepted one. */

export const CREDIT_COLUMNS = ['age', 'sex', 'personal_status', 'foreign_worker', 'postcode', 'credit_amount', 'duration_months', 'credit_risk'];

export function fullDatasheet() {
  return {
    motivation: {
      purpose: 'Pre-screen consumer loan applications by predicted repayment risk.',
      creators: ['Credit Risk Analytics, Example Bank AG'],
      funding: 'Internal budget of Example Bank AG.',
    },
    composition: {
      instances: 'One instance per closed loan application: applicant attributes and the repayment outcome.',
      recordCount: 1000,
      isSample: true,
      samplingStrategy: 'Stratified by outcome from applications closed 2019–2021.',
      labelColumn: 'credit_risk',
      sensitiveAttributes: ['age', 'sex', 'foreign_worker'],
      quasiIdentifiers: ['age', 'sex', 'postcode'],
      missingData: 'Postcode is missing for applications made by phone.',
      knownErrors: 'Twelve suspected duplicate applications remain.',
      personalData: {
        present: true,
        dataSubjects: ['loan applicants'],
        identifiability: 'pseudonymised',
        specialCategoryDataPresent: true,
        specialCategories: ['racial_or_ethnic_origin'],
        criminalOffenceDataPresent: false,
        childrenDataPresent: false,
      },
    },
    collectionProcess: {
      sources: [
        {
          name: 'Loan origination system',
          kind: 'collected_directly',
          url: 'https://data.example.com/sources/los?export=2022#closed',
          description: 'Export of closed applications.',
        },
      ],
      collectionPeriod: { start: '2019-01-01', end: '2021-12-31' },
      method: 'Application forms (branch and online), repayment status from the servicing system.',
      collectors: 'Bank staff as part of their duties; no separate compensation.',
      jurisdictions: ['DE', 'CN'],
      legalBasis: {
        article6: 'consent',
        article9Condition: 'explicit_consent',
        article10Authorisation: 'Not applicable: no criminal-offence data.',
        consent: {
          scope: 'Assessing my application and improving the bank’s credit models.',
          coversModelTraining: true,
          obtainedVia: 'Signed application form, version 2018-11.',
          withdrawalMechanism: 'Privacy portal; records are removed from the next dataset version.',
        },
        legitimateInterestsAssessment: 'LIA-2022-03',
      },
      dataSubjectsInformed: true,
      ethicalReview: { conducted: true, reference: 'Ethics board decision 2022-07' },
      dpiaReference: 'DPIA-2022-014',
    },
    preprocessing: {
      steps: [
        { kind: 'deduplication', description: 'Merged repeated applications by the same applicant within 30 days.' },
        { kind: 'anonymisation', description: 'Removed names and account numbers; truncated postcodes to three digits.' },
      ],
      rawDataRetained: false,
      labeling: { method: 'source_provided', description: 'Repayment status 24 months after disbursement.' },
    },
    uses: {
      intendedUses: ['Training and evaluating credit pre-screening models.'],
      prohibitedUses: ['Marketing', 'Employment decisions'],
      priorUses: [],
      knownLimitations: ['Applicants who were declined have no outcome (selection bias).'],
      knownBiases: ['Younger applicants are under-represented.'],
    },
    distribution: {
      licence: 'LicenseRef-ExampleBank-Internal',
      licenceTermsUrl: 'https://data.example.com/terms',
      thirdPartyDistribution: false,
      restrictions: ['Bank secrecy: not to leave the EU/EEA or China.'],
    },
    maintenance: {
      contact: { name: 'Data Governance Office', email: 'data-governance@example.com', url: 'https://data.example.com/issues' },
      updatePolicy: { cadence: 'periodic', interval: 'P1Y', description: 'A new version each January; older versions are retired after review.' },
      retention: { period: 'P5Y', justification: 'Credit-decision records are kept for audits.', deletionProcedure: 'Dataset versions older than five years are deleted.' },
      dataSubjectRequests: 'Handled by the privacy office; an erased applicant is dropped from the next version.',
    },
  };
}

export function minimalDatasheet() {
  return {
    motivation: { purpose: 'Benchmark tabular classifiers.' },
    composition: { instances: 'Synthetic loan applications.', personalData: { present: false } },
    collectionProcess: { sources: [{ name: 'Generator v1', kind: 'synthetic' }] },
    preprocessing: {},
    uses: {},
    distribution: {},
    maintenance: { contact: { name: 'ML Platform team' } },
  };
}

const pipe = createValidationPipe();

/** Runs a body through the application's global ValidationPipe, as PUT …/datasheet would. */
export async function validateDatasheet(body: unknown): Promise<{ ok: true; value: DatasheetDto } | { ok: false; error: AssayException }> {
  try {
    const value = (await pipe.transform(body, { type: 'body', metatype: DatasheetDto, data: undefined })) as DatasheetDto;
    return { ok: true, value };
  } catch (error) {
    if (error instanceof AssayException) return { ok: false, error };
    throw error;
  }
}
