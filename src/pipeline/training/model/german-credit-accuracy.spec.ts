import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import seedrandom from 'seedrandom';
import type { Table } from '../../datasets/table';
import { fitPreprocessor } from '../preprocessing';
import { validateModelSpec } from './model-spec.validator';
import { evaluate, train } from './model.trainer';

// The shared folder sits beside the repository root: <root>/../shared/datasets.
const DATASETS = resolve(__dirname, '../../../..', '../shared/datasets');
const present = existsSync(resolve(DATASETS, 'german.data'));
const describeWithData = present ? describe : describe.skip;
const title = `logistic regression on UCI German credit: ≥ 0.72 test accuracy${present ? '' : ` (SKIPPED: ${DATASETS}/german.data is absent)`}`;

// Names from german.doc (UCI Statlog German Credit); the class is 1 good, 2 bad.
const GERMAN = [
  'status', 'duration', 'credit_history', 'purpose', 'amount', 'savings', 'employment_duration', 'installment_rate',
  'personal_status_sex', 'other_debtors', 'present_residence', 'property', 'age', 'other_installment_plans', 'housing',
  'number_credits', 'job', 'people_liable', 'telephone', 'foreign_worker', 'credit_risk',
]; // prettier-ignore

/** 70/30, seeded: the same rows in each split on every run. */
function split(table: Table, seed: string): { train: Table; test: Table } {
  const random = seedrandom(seed);
  const rows = [...table.rows];
  for (let i = rows.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [rows[i], rows[j]] = [rows[j]!, rows[i]!];
  }
  const cut = Math.round(rows.length * 0.7);
  return { train: { columns: table.columns, rows: rows.slice(0, cut) }, test: { columns: table.columns, rows: rows.slice(cut) } };
}

describeWithData(title, () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('one-hot encodes the coded attributes, and clears the floor on the held-out 30%', async () => {
    const text = readFileSync(resolve(DATASETS, 'german.data'), 'utf8');
    const table: Table = { columns: GERMAN, rows: text.split('\n').filter((line) => line.trim()).map((line) => line.trim().split(/ +/)) };
    expect(table.rows).toHaveLength(1000);
    const { train: trainSplit, test } = split(table, 'german-credit-70-30');

    const preprocessor = fitPreprocessor(trainSplit, { label: 'credit_risk', positiveLabel: '2' });
    // 7 numeric attributes stay single columns; the 13 coded ones (A11…A202) become one-hot slots.
    expect(preprocessor.state.features.filter((f) => f.kind === 'numeric').map((f) => f.column)).toEqual([
      'duration', 'amount', 'installment_rate', 'present_residence', 'age', 'number_credits', 'people_liable',
    ]); // prettier-ignore
    expect(preprocessor.featureNames).toContain('status=A11');
    expect(preprocessor.outputClasses).toEqual(['1', '2']);

    const spec = validateModelSpec({
      type: 'logistic_regression',
      training: { optimizer: { type: 'adam', learningRate: 0.01 }, batchSize: 32, epochs: 30, l2: 0.001, seed: 20240 },
    });
    if (!spec.ok) throw new Error(JSON.stringify(spec.problems));
    const encoded = preprocessor.transform(trainSplit);
    const heldOut = preprocessor.transform(test);
    const classes = preprocessor.outputClasses;
    const result = await train({ spec: spec.spec, x: encoded.x, y: encoded.y!, classes });
    const accuracy = evaluate(result.model, { x: heldOut.x, y: heldOut.y!, classes }).accuracy;
    // Always answering "good" scores 0.713 on this split (0.747 measured for the model); the floor asks for real signal.
    expect(accuracy).toBeGreaterThanOrEqual(0.72);
    result.model.dispose();
  });
});
