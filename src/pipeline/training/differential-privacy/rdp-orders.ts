/**
 * The Rényi orders α at which the accountant evaluates RDP by default: 1.1, 1.2, …, 10.9, then
 * 12, 13, …, 63 — TensorFlow Privacy's and Opacus's historical default, and the set the published
 * ε of ../shared/reference/dp-sgd-epsilons.json were minimised over. Built from integers so
 * 2.0, 3.0, … are exact and take the accountant's integer path.
 */
export const DEFAULT_RDP_ORDERS: readonly number[] = Object.freeze([
  ...Array.from({ length: 99 }, (_, k) => (11 + k) / 10),
  ...Array.from({ length: 52 }, (_, k) => 12 + k),
]);

/** Upper bound on the number of orders one call evaluates (a bound on work, not on correctness). */
export const MAX_RDP_ORDERS = 1000;

/** Largest order accepted: the integer path sums α + 1 terms and the fractional series grows with α. */
export const MAX_RDP_ORDER = 10_000;
