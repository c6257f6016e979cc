import { fullFormats } from 'ajv-formats/dist/formats';
import { isIsoCalendarDate, isIsoDuration } from './iso-8601';

describe(isIsoDuration.name, () => {
  it.each(['P5Y', 'P18M', 'P1Y6M', 'P30D', 'PT12H', 'P2W', 'P1DT12H', 'PT0S'])('accepts %s', (text) => {
    expect(isIsoDuration(text)).toBe(true);
  });

  it.each(['5 years', 'P', 'PT', 'P5', 'p5y', 'P1.5Y', 'P1Y2W', '5Y', 'P5Y ', ''])('refuses %j', (text) => {
    expect(isIsoDuration(text)).toBe(false);
  });

  it('matches the "duration" format the ledger schema is validated with (ajv-formats)', () => {
    const ajvDuration = fullFormats.duration as RegExp;
    for (const text of ['P5Y', 'P18M', 'P2W', 'PT1M', '5 years', 'P', 'P1Y2W', 'P1.5Y']) expect(isIsoDuration(text)).toBe(ajvDuration.test(text));
  });
});

describe(isIsoCalendarDate.name, () => {
  it.each(['2023-01-31', '2024-02-29', '2000-02-29', '1999-12-31'])('accepts %s', (text) => {
    expect(isIsoCalendarDate(text)).toBe(true);
  });

  it.each(['2023-02-29', '1900-02-29', '2023-04-31', '2023-13-01', '2023-00-10', '2023-01-00', '2023-1-5', '20230105', '2023-01-05T00:00:00Z', ''])(
    'refuses %j',
    (text) => {
      expect(isIsoCalendarDate(text)).toBe(false);
    },
  );

  it('agrees with the "date" format of the ledger schema (ajv-formats) on every day of 1900-2100 and on impossible days', () => {
    const ajvDate = (fullFormats.date as { validate: (text: string) => boolean }).validate;
    for (let year = 1900; year <= 2100; year += 1) {
      for (let month = 1; month <= 12; month += 1) {
        for (let day = 0; day <= 32; day += 1) {
          const text = `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
          if (isIsoCalendarDate(text) !== ajvDate(text)) throw new Error(`disagree on ${text}`);
        }
      }
    }
  });
});
