import seedrandom from 'seedrandom';
import { minimalDatasheet } from '../../src/pipeline/datasets/datasheet/datasheet.fixture';
import type { TestApp, TestUser } from './test-app';

/**
 * A small synthetic credit table with a learnable label (a noisy logistic function of income,
 * debt and purpose) and a missing value now and then: enough for a run to learn something
 * (test accuracy well above the majority rate) in a second.
 */
export function syntheticCreditCsv(rows: number, seed = 1, options: { sexEffect?: number; emails?: boolean } = {}): string {
  const random = seedrandom(String(seed));
  const purposes = ['car', 'house', 'education', 'business'];
  const lines = [`age,sex,income,debt,purpose,credit_risk${options.emails ? ',email' : ''}`];
  for (let i = 0; i < rows; i++) {
    const age = 20 + Math.floor(random() * 50);
    const sex = random() < 0.5 ? 'F' : 'M';
    const income = Math.round(20 + random() * 80);
    const debt = Math.round(random() * 60);
    const purpose = purposes[Math.floor(random() * purposes.length)]!;
    const logit =
      0.08 * (income - 60) - 0.1 * (debt - 30) + (purpose === 'business' ? -1 : 0.5) + (sex === 'F' ? -(options.sexEffect ?? 0) : 0) + (random() - 0.5);
    const label = logit > 0 ? 'good' : 'bad';
    const email = options.emails ? [`applicant${i}.${Math.floor(random() * 1e6)}@example.org`] : [];
    lines.push([age, sex, random() < 0.03 ? '' : income, debt, purpose, label, ...email].join(','));
  }
  return `${lines.join('\n')}\n`;
}

export const logisticRunSpec = (epochs = 8, seed = 7) => ({
  model: { type: 'logistic_regression', training: { optimizer: { type: 'adam', learningRate: 0.05 }, batchSize: 32, epochs, seed } },
  preprocessing: { label: 'credit_risk', positiveLabel: 'good' },
});

/** A datasheet naming the label and `sex` as the sensitive attribute (for the fairness assessment). */
export const creditDatasheet = () => {
  const sheet = minimalDatasheet();
  return { ...sheet, composition: { ...sheet.composition, labelColumn: 'credit_risk', sensitiveAttributes: ['sex'] } };
};

/** Registers the table as a dataset of `owner` with a datasheet, splits it train / validation / test, returns the dataset id. */
export async function registerSplitDataset(t: TestApp, owner: TestUser, csv: string, name = `credit-${Date.now()}-${Math.random()}`): Promise<string> {
  const auth = { Authorization: `Bearer ${owner.token}` };
  const dataset = await t.http().post('/datasets').set(auth).send({ name });
  if (dataset.status !== 201) throw new Error(`dataset: ${dataset.status} ${JSON.stringify(dataset.body)}`);
  const id = dataset.body.id as string;
  const upload = await t.http().post(`/datasets/${id}/versions`).set(auth).set('Content-Type', 'text/csv').send(csv);
  if (upload.status !== 201) throw new Error(`upload: ${upload.status} ${JSON.stringify(upload.body)}`);
  const sheet = await t.http().put(`/datasets/${id}/versions/1/datasheet`).set(auth).send(creditDatasheet());
  if (sheet.status !== 200) throw new Error(`datasheet: ${sheet.status} ${JSON.stringify(sheet.body)}`);
  const split = await t
    .http()
    .post(`/datasets/${id}/versions/1/transformations`)
    .set(auth)
    .send({ type: 'split', ratios: { train: 0.6, validation: 0.2, test: 0.2 }, stratifyBy: 'credit_risk', seed: 11 });
  if (split.status !== 201) throw new Error(`split: ${split.status} ${JSON.stringify(split.body)}`);
  return id;
}

/** Reads the run's server-sent events to the end of the stream. */
export async function readRunEvents(
  t: TestApp,
  user: TestUser,
  runId: string,
  lastEventId?: string,
): Promise<{ id: string; event: string; data: Record<string, unknown> }[]> {
  const request = t.http().get(`/runs/${runId}/events`).set('Authorization', `Bearer ${user.token}`).set('Accept', 'text/event-stream');
  if (lastEventId) request.set('Last-Event-ID', lastEventId);
  const response = await request.buffer(true).parse((res, done) => {
    let text = '';
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => (text += chunk));
    res.on('end', () => done(null, text));
  });
  const events: { id: string; event: string; data: Record<string, unknown> }[] = [];
  for (const block of (response.body as string).split('\n\n')) {
    const fields = Object.fromEntries(
      block
        .split('\n')
        .filter((line) => line.includes(':'))
        .map((line) => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 1).trim()]),
    );
    if (fields.data !== undefined)
      events.push({ id: fields.id ?? '', event: fields.event ?? 'message', data: JSON.parse(fields.data) as Record<string, unknown> });
  }
  return events;
}

/** Polls the run until it reaches a final state. */
export async function waitForRun(t: TestApp, user: TestUser, runId: string, timeoutMs = 60_000): Promise<Record<string, unknown>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const response = await t.http().get(`/runs/${runId}`).set('Authorization', `Bearer ${user.token}`);
    const state = response.body.state as string;
    if (['succeeded', 'failed', 'cancelled'].includes(state)) return response.body as Record<string, unknown>;
    if (Date.now() > deadline) throw new Error(`run ${runId} still ${state} after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** 8×8 images of a horizontal or a vertical bar in noise (columns p0…p63, label `bar`): a task for the small CNN. */
export function barImagesCsv(rows: number, seed = 1): string {
  const random = seedrandom(String(seed));
  const lines = [[...Array.from({ length: 64 }, (_, i) => `p${i}`), 'bar'].join(',')];
  for (let i = 0; i < rows; i++) {
    const horizontal = random() < 0.5;
    const at = 1 + Math.floor(random() * 6);
    const pixels = Array.from({ length: 64 }, (_, p) => {
      const [r, c] = [Math.floor(p / 8), p % 8];
      const on = horizontal ? r === at : c === at;
      return ((on ? 0.8 : 0) + random() * 0.3).toFixed(2);
    });
    lines.push([...pixels, horizontal ? 'horizontal' : 'vertical'].join(','));
  }
  return `${lines.join('\n')}\n`;
}

export const barCnnRunSpec = () => ({
  model: {
    type: 'cnn',
    inputShape: [8, 8, 1],
    convLayers: [{ filters: 4, kernelSize: 3, activation: 'relu', padding: 'same', pool: { size: 2 } }],
    denseLayers: [{ units: 16, activation: 'relu' }],
    training: { optimizer: { type: 'adam', learningRate: 0.01 }, batchSize: 16, epochs: 6, seed: 3 },
  },
  preprocessing: { label: 'bar', scaling: 'none' },
});
