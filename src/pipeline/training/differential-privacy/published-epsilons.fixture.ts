/**
 * A few published DP-SGD ε, copied from ../shared/reference/dp-sgd-epsilons.json so the
 * accountant is checked on a fresh clone too. Values were published rounded to two decimals and
 * computed with the classic conversion over DEFAULT_RDP_ORDERS; δ = 1e-5,
 * q = B / N, steps = ⌈epochs · N / B⌉.
 */
export interface PublishedEpsilon {
  N: number;
  B: number;
  sigma: number;
  epochs: number;
  epsilon: number;
  source: string;
}

export const PUBLISHED_DELTA = 1e-5;

export const PUBLISHED_EPSILONS: readonly PublishedEpsilon[] = [
  { N: 60000, B: 256, sigma: 1.1, epochs: 60, epsilon: 3.01, source: 'TensorFlow Privacy MNIST tutorial / README (newer table)' },
  { N: 60000, B: 256, sigma: 0.7, epochs: 45, epsilon: 7.1, source: 'TensorFlow Privacy README' },
  { N: 60000, B: 240, sigma: 1.3, epochs: 15, epsilon: 1.16, source: 'Opacus examples/mnist_README.md' },
];

/** One step at q = 256/60000, σ = 1.1, as Opacus and dp_accounting compute it (agreeing to 7 digits). */
export const PUBLISHED_STEP_RDP = {
  q: 256 / 60000,
  sigma: 1.1,
  values: { 2: 2.339578e-5, 4: 4.753335e-5, 8: 9.834106e-5, 16: 7.918914e-1, 32: 7.590188 } as Record<number, number>,
};
