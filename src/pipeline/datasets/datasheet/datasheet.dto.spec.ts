import { DatasheetDto } from './datasheet.dto';
import { fullDatasheet, minimalDatasheet, validateDatasheet } from './datasheet.fixture';

type Body = ReturnType<typeof fullDatasheet>;

/** The problems the pipe reported, flattened to "field: problem" lines. */
async function problems(body: unknown): Promise<string[]> {
  const result = await validateDatasheet(body);
  if (result.ok) return [];
  const fields = (result.error.details?.fields ?? []) as ({ field: string; problems: string[] } | string)[];
  return fields.flatMap((f) => (typeof f === 'string' ? [`${f}: unknown`] : f.problems.map((p) => `${f.field}: ${p}`)));
}

const withChange = (change: (body: Body) => void): Body => {
  const body = fullDatasheet();
  change(body);
  return body;
};

describe(DatasheetDto.name, () => {
  it('accepts a datasheet that answers every field, as class instances', async () => {
    const result = await validateDatasheet(fullDatasheet());
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value).toBeInstanceOf(DatasheetDto);
    expect(result.value.collectionProcess.sources[0]!.constructor.name).toBe('DataSourceDto');
    expect(result.value.collectionProcess.jurisdictions).toEqual(['DE', 'CN']);
  });

  it('accepts the smallest datasheet: the seven sections with their required answers', async () => {
    expect(await problems(minimalDatasheet())).toEqual([]);
  });

  it.each(['MIT', 'Apache-2.0', 'GPL-2.0-or-later', 'MIT OR Apache-2.0'])('accepts the licence %s', async (licence) => {
    expect(await problems(withChange((b) => (b.distribution.licence = licence)))).toEqual([]);
  });

  it.each([
    ['GPL-2.0', 'distribution.licence: licence "GPL-2.0" is a deprecated SPDX licence id: use "GPL-2.0-only" or "GPL-2.0-or-later" to say which one you mean'],
    ['nonsense', 'distribution.licence: licence "nonsense" is not an SPDX licence id'],
  ])('refuses the licence %s with a helpful message', async (licence, message) => {
    const found = await problems(withChange((b) => (b.distribution.licence = licence)));
    expect(found).toEqual([expect.stringContaining(message)]);
  });

  it('accepts the jurisdictions DE and CN and refuses XX', async () => {
    expect(await problems(withChange((b) => (b.collectionProcess.jurisdictions = ['DE'])))).toEqual([]);
    expect(await problems(withChange((b) => (b.collectionProcess.jurisdictions = ['CN', 'XX'])))).toEqual([
      'collectionProcess.jurisdictions: jurisdictions "XX" is not an ISO 3166-1 alpha-2 country code',
    ]);
    expect(await problems(withChange((b) => (b.collectionProcess.jurisdictions = ['UK'])))).toEqual([
      'collectionProcess.jurisdictions: jurisdictions "UK" is reserved, not assigned: the United Kingdom is "GB"',
    ]);
    expect(await problems(withChange((b) => (b.collectionProcess.jurisdictions = [])))).toEqual([
      'collectionProcess.jurisdictions: jurisdictions must contain at least 1 elements',
    ]);
    expect(await problems(withChange((b) => (b.collectionProcess.jurisdictions = ['DE', 'DE'])))).toEqual([
      "collectionProcess.jurisdictions: All jurisdictions's elements must be unique",
    ]);
  });

  it('accepts retention periods P5Y and P18M and refuses "5 years"', async () => {
    expect(await problems(withChange((b) => (b.maintenance.retention.period = 'P5Y')))).toEqual([]);
    expect(await problems(withChange((b) => (b.maintenance.retention.period = 'P18M')))).toEqual([]);
    expect(await problems(withChange((b) => (b.maintenance.retention.period = '5 years')))).toEqual([
      'maintenance.retention.period: period must be an ISO 8601 duration such as "P5Y" or "P18M", not "5 years"',
    ]);
  });

  it('checks collection dates exist and that the period does not end before it starts', async () => {
    expect(await problems(withChange((b) => (b.collectionProcess.collectionPeriod.end = '2019-01-01')))).toEqual([]);
    expect(await problems(withChange((b) => (b.collectionProcess.collectionPeriod.end = '2018-12-31')))).toEqual([
      'collectionProcess.collectionPeriod.end: end must not be before start',
    ]);
    expect(await problems(withChange((b) => (b.collectionProcess.collectionPeriod.start = '2019-02-29')))).toEqual([
      'collectionProcess.collectionPeriod.start: start must be an ISO 8601 calendar date (YYYY-MM-DD) that exists, not "2019-02-29"',
    ]);
  });

  it('refuses unknown fields at the top level and inside sections', async () => {
    const top = await validateDatasheet({ ...fullDatasheet(), notes: 'x' });
    expect(top.ok || top.error.code).toBe('UNKNOWN_FIELD');
    const nested = withChange((b) => Object.assign(b.collectionProcess.legalBasis, { article6Reason: 'x' }));
    expect(await problems(nested)).toEqual(['collectionProcess.legalBasis.article6Reason: property article6Reason should not exist']);
  });

  it('refuses null for an optional field (absent is the only way to leave it out)', async () => {
    expect(await problems(withChange((b) => Object.assign(b.composition, { labelColumn: null })))).toEqual([
      expect.stringMatching(/^composition.labelColumn: /),
      expect.stringMatching(/^composition.labelColumn: /),
      expect.stringMatching(/^composition.labelColumn: /),
    ]);
  });

  it('refuses a section given as an array of sections, and sources given as nested arrays', async () => {
    expect(await problems({ ...fullDatasheet(), motivation: [fullDatasheet().motivation] })).toContain('motivation: motivation must be an object');
    const nested = withChange((b) => Object.assign(b.collectionProcess, { sources: [b.collectionProcess.sources] }));
    expect(await problems(nested)).toContain('collectionProcess.sources: each value in sources must be an object');
  });

  it('names the GDPR vocabulary it accepts', async () => {
    const found = await problems(withChange((b) => (b.collectionProcess.legalBasis.article6 = 'public_interest')));
    expect(found).toEqual([
      'collectionProcess.legalBasis.article6: article6 must be one of the following values: consent, contract, legal_obligation, vital_interests, public_task, legitimate_interests',
    ]);
  });

  it('refuses blank text and a missing required answer', async () => {
    expect(await problems(withChange((b) => (b.motivation.purpose = '   ')))).toEqual(['motivation.purpose: purpose must not be blank']);
    const noPresent = withChange((b) => delete (b.composition.personalData as Partial<Body['composition']['personalData']>).present);
    expect(await problems(noPresent)).toEqual([
      'composition.personalData.present: present should not be null or undefined',
      'composition.personalData.present: present must be a boolean value',
    ]);
  });
});
