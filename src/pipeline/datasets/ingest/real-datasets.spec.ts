import { createReadStream, existsSync, readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import { parse as csvParse } from 'csv-parse/sync';
import type { ColumnProfile } from './column-profiler';
import { ingestDelimited, readTable } from './ingest-delimited';

// The shared folder sits beside the repository root: <root>/../shared/datasets.
const DATASETS = resolve(__dirname, '../../../..', '../shared/datasets');
const present = existsSync(resolve(DATASETS, 'german.data'));
const describeWithData = present ? describe : describe.skip;
const title = present ? 'public datasets' : `public datasets (SKIPPED: ${DATASETS} is absent)`;

const file = (name: string) => createReadStream(resolve(DATASETS, name), { highWaterMark: 16 * 1024 });
const column = (columns: ColumnProfile[], name: string) => columns.find((c) => c.name === name)!;

// Names from german.doc (UCI Statlog German Credit) and adult.names (UCI Adult).
const GERMAN = [
  'status', 'duration', 'credit_history', 'purpose', 'amount', 'savings', 'employment_duration', 'installment_rate',
  'personal_status_sex', 'other_debtors', 'present_residence', 'property', 'age', 'other_installment_plans', 'housing',
  'number_credits', 'job', 'people_liable', 'telephone', 'foreign_worker', 'credit_risk',
]; // prettier-ignore
const ADULT = [
  'age', 'workclass', 'fnlwgt', 'education', 'education-num', 'marital-status', 'occupation', 'relationship', 'race',
  'sex', 'capital-gain', 'capital-loss', 'hours-per-week', 'native-country', 'income',
]; // prettier-ignore

describeWithData(title, () => {
  it('german.data: space separated, no header, 1000 × 21', async () => {
    const result = await readTable(file('german.data'), { header: false, columns: GERMAN });
    expect(result.format).toMatchObject({ delimiter: 'whitespace', lineBreak: 'lf' });
    expect(result.table.rows).toHaveLength(1000);
    expect(result.columns).toHaveLength(21);
    expect(result.table.rows[0]!.slice(0, 5)).toEqual(['A11', '6', 'A34', 'A43', '1169']);
    const { columns } = result.profile;
    expect(column(columns, 'duration')).toMatchObject({ type: 'numeric', min: 4, max: 72, count: 1000, missing: 0 });
    expect(column(columns, 'status')).toMatchObject({ type: 'categorical', distinct: 4 });
    expect(column(columns, 'credit_risk')).toMatchObject({ type: 'numeric', min: 1, max: 2 });
    expect(result.sha256).toBe(createHash('sha256').update(readFileSync(resolve(DATASETS, 'german.data'))).digest('hex'));
  });

  it('adult.test: banner skipped, ", " separated, 16281 × 15, labels with a dot, ? as missing', async () => {
    const result = await readTable(file('adult.test'), { header: false, columns: ADULT, skipLines: 1 });
    expect(result.format.delimiter).toBe(',');
    expect(result.table.rows).toHaveLength(16_281);
    expect(result.table.rows[0]).toEqual([
      '25', 'Private', '226802', '11th', '7', 'Never-married', 'Machine-op-inspct', 'Own-child', 'Black', 'Male', '0', '0', '40', 'United-States', '<=50K.',
    ]); // prettier-ignore
    const { columns } = result.profile;
    expect(column(columns, 'age')).toMatchObject({ type: 'numeric', min: 17, max: 90, missing: 0 });
    expect(column(columns, 'sex')).toMatchObject({ type: 'categorical', distinct: 2 });
    expect(column(columns, 'income')).toMatchObject({ type: 'categorical', distinct: 2 });
    const income = column(columns, 'income');
    if (income.type !== 'categorical') throw new Error('categorical expected');
    expect(income.topValues.map((v) => v.value).sort()).toEqual(['<=50K.', '>50K.']);
    expect(column(columns, 'workclass').missing).toBeGreaterThan(0);
    expect(result.profile.columns.reduce((sum, c) => sum + c.missing, 0)).toBe(2203);
  });

  it('compas-scores-two-years.csv: CRLF, quoted commas, duplicated names renamed and reported, 7214 × 53', async () => {
    const result = await readTable(file('compas-scores-two-years.csv'));
    expect(result.format).toMatchObject({ delimiter: ',', lineBreak: 'crlf' });
    expect(result.table.rows).toHaveLength(7214);
    expect(result.columns).toHaveLength(53);
    expect(result.renamedColumns).toEqual([
      { index: 39, from: 'decile_score', to: 'decile_score_2' },
      { index: 48, from: 'priors_count', to: 'priors_count_2' },
    ]);
    const { columns } = result.profile;
    expect(column(columns, 'age')).toMatchObject({ type: 'numeric' });
    expect(column(columns, 'race')).toMatchObject({ type: 'categorical' });
    expect(column(columns, 'two_year_recid')).toMatchObject({ type: 'boolean' });
    expect(column(columns, 'compas_screening_date')).toMatchObject({ type: 'date', min: '2013-01-01', max: '2014-12-31' });
    // Differential check of every cell against csv-parse on the whole real file.
    const expected = csvParse(readFileSync(resolve(DATASETS, 'compas-scores-two-years.csv')), { trim: true }) as string[][];
    expect(result.table.rows).toEqual(expected.slice(1).map((row) => row.map((cell) => (['', '?', 'NA'].includes(cell) ? null : cell))));
  });

  it('the same file twice gives the same digests and profile', async () => {
    const [a, b] = await Promise.all([ingestDelimited(file('adult.test'), { header: false, skipLines: 1 }), ingestDelimited(file('adult.test'), { header: false, skipLines: 1 })]);
    expect(b.sha256).toBe(a.sha256);
    expect(b.tableSha256).toBe(a.tableSha256);
    expect(b.profile).toEqual(a.profile);
  });
});
