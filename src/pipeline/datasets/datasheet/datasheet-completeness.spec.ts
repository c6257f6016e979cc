import type { DatasheetDto } from './datasheet.dto';
import { datasheetCompleteness } from './datasheet-completeness';
import { CREDIT_COLUMNS, fullDatasheet, minimalDatasheet } from './datasheet.fixture';

type Body = ReturnType<typeof fullDatasheet>;
// The fixtures are plain JSON, as a policy rule reads the datasheet from evidence.
const check = (body: unknown, columns = CREDIT_COLUMNS) => datasheetCompleteness(body as DatasheetDto, columns);
const fieldsMissing = (change: (body: Body) => void, columns = CREDIT_COLUMNS) => {
  const body = fullDatasheet();
  change(body);
  return check(body, columns).missing.map((m) => m.field);
};
const omit = <T extends object>(object: T, key: keyof T) => delete object[key];

describe(datasheetCompleteness.name, () => {
  it('finds nothing missing in a full datasheet whose columns exist', () => {
    expect(check(fullDatasheet())).toEqual({ complete: true, missing: [] });
  });

  it('asks a minimal datasheet without personal data only for scope, provenance, licence and uses', () => {
    const result = check(minimalDatasheet(), []);
    expect(result.complete).toBe(false);
    expect(result.missing.map((m) => m.field)).toEqual([
      'collectionProcess.jurisdictions',
      'collectionProcess.collectionPeriod',
      'distribution.licence',
      'uses.intendedUses',
      'uses.knownLimitations',
    ]);
  });

  it('needs a lawful basis, a retention period, quasi-identifiers and sensitive attributes when personal data is present', () => {
    const body = minimalDatasheet();
    body.composition.personalData.present = true;
    const missing = check(body, []).missing;
    expect(missing).toEqual(
      expect.arrayContaining([
        { field: 'collectionProcess.legalBasis', reason: 'Personal data is present but no lawful basis is given (GDPR Art. 6(1)).' },
        { field: 'maintenance.retention', reason: expect.stringContaining('GDPR Art. 5(1)(e)') },
        { field: 'composition.quasiIdentifiers', reason: expect.stringContaining('re-identification') },
        { field: 'composition.sensitiveAttributes', reason: expect.stringContaining('Art. 10(2)(f)') },
      ]),
    );
  });

  it('accepts [] as "declared: none" where absence means "not answered"', () => {
    const body = fullDatasheet();
    Object.assign(body.composition, { quasiIdentifiers: [], sensitiveAttributes: [] });
    Object.assign(body.uses, { knownLimitations: [] });
    expect(check(body).missing).toEqual([]);
    expect(fieldsMissing((b) => omit(b.uses, 'knownLimitations'))).toEqual(['uses.knownLimitations']);
  });

  it('needs an Art. 9(2) condition and a DPIA for special-category data', () => {
    expect(fieldsMissing((b) => omit(b.collectionProcess.legalBasis, 'article9Condition'))).toEqual(['collectionProcess.legalBasis.article9Condition']);
    expect(fieldsMissing((b) => omit(b.collectionProcess, 'dpiaReference'))).toEqual(['collectionProcess.dpiaReference']);
    // The flag alone is enough to require the condition, and then the categories are asked for too.
    expect(
      fieldsMissing((b) => {
        omit(b.composition.personalData, 'specialCategories');
        omit(b.collectionProcess.legalBasis, 'article9Condition');
      }),
    ).toEqual(['composition.personalData.specialCategories', 'collectionProcess.legalBasis.article9Condition']);
  });

  it('reports contradictions between the special-category flag and list', () => {
    expect(fieldsMissing((b) => (b.composition.personalData.specialCategoryDataPresent = false))).toEqual([
      'composition.personalData.specialCategoryDataPresent',
    ]);
    const anonymous = minimalDatasheet();
    Object.assign(anonymous.composition.personalData, { specialCategories: ['health_data'] });
    expect(check(anonymous, []).missing.map((m) => m.field)).toContain('composition.personalData.present');
  });

  it('needs an authorising law for criminal-offence data', () => {
    expect(
      fieldsMissing((b) => {
        b.composition.personalData.criminalOffenceDataPresent = true;
        omit(b.collectionProcess.legalBasis, 'article10Authorisation');
      }),
    ).toEqual(['collectionProcess.legalBasis.article10Authorisation']);
  });

  it('needs the consent scope, and that it covers model training, when relying on consent', () => {
    expect(fieldsMissing((b) => omit(b.collectionProcess.legalBasis, 'consent'))).toEqual(['collectionProcess.legalBasis.consent']);
    expect(fieldsMissing((b) => (b.collectionProcess.legalBasis.consent.coversModelTraining = false))).toEqual([
      'collectionProcess.legalBasis.consent.coversModelTraining',
    ]);
    // Explicit consent under Art. 9(2)(a) needs it as well, whatever the Art. 6 basis.
    expect(
      fieldsMissing((b) => {
        b.collectionProcess.legalBasis.article6 = 'contract';
        omit(b.collectionProcess.legalBasis, 'consent');
      }),
    ).toEqual(['collectionProcess.legalBasis.consent']);
  });

  it('needs the balancing test when relying on legitimate interests', () => {
    const change = (b: Body) => {
      b.collectionProcess.legalBasis.article6 = 'legitimate_interests';
      b.collectionProcess.legalBasis.article9Condition = 'substantial_public_interest';
    };
    expect(fieldsMissing(change)).toEqual([]);
    expect(fieldsMissing((b) => (change(b), omit(b.collectionProcess.legalBasis, 'legitimateInterestsAssessment')))).toEqual([
      'collectionProcess.legalBasis.legitimateInterestsAssessment',
    ]);
  });

  it('needs a licence, and the terms of a bespoke LicenseRef- one', () => {
    expect(fieldsMissing((b) => omit(b.distribution, 'licence'))).toEqual(['distribution.licence']);
    expect(fieldsMissing((b) => omit(b.distribution, 'licenceTermsUrl'))).toEqual(['distribution.licenceTermsUrl']);
    expect(fieldsMissing((b) => ((b.distribution.licence = 'CC-BY-4.0'), omit(b.distribution, 'licenceTermsUrl')))).toEqual([]);
  });

  it('needs at least one intended use', () => {
    expect(fieldsMissing((b) => (b.uses.intendedUses = []))).toEqual(['uses.intendedUses']);
  });

  it('needs the interval of a periodic update policy', () => {
    expect(fieldsMissing((b) => omit(b.maintenance.updatePolicy, 'interval'))).toEqual(['maintenance.updatePolicy.interval']);
  });

  it('checks that the label, sensitive and quasi-identifier columns exist in the dataset version', () => {
    const columns = CREDIT_COLUMNS.filter((c) => c !== 'credit_risk' && c !== 'sex');
    const result = check(fullDatasheet(), columns);
    expect(result.complete).toBe(false);
    expect(result.missing).toEqual([
      { field: 'composition.labelColumn', reason: '"credit_risk" is not a column of this dataset version.' },
      { field: 'composition.sensitiveAttributes[1]', reason: '"sex" is not a column of this dataset version.' },
      { field: 'composition.quasiIdentifiers[1]', reason: '"sex" is not a column of this dataset version.' },
    ]);
  });
});
