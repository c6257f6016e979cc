/**
 * Budget arithmetic: a DP-SGD run's planned charge (its RDP curve over the default orders, from
 * the schedule known before training) and what a set of charges spends at the budget's δ. Runs
 * compose by adding their RDP curves, then converting once — tighter than adding ε's.
 */
import { computeRdp, composeRdp, DEFAULT_RDP_ORDERS, dpSgdSchedule, epsilonFromRdp, type DpTrainingOptions, type RdpConversion } from '../differential-privacy';

export interface BudgetCharge {
  orders: number[];
  rdp: number[];
  steps: number;
  sampleRate: number;
  noiseMultiplier: number;
}

export interface Budget {
  epsilon: number;
  delta: number;
  conversion: RdpConversion;
}

/** The charge of training `epochs` epochs on `rows` rows with these DP options (all planned steps, whether or not early stopping ends sooner). */
export function plannedCharge(dp: DpTrainingOptions, rows: number, epochs: number, batchSize: number): BudgetCharge {
  const schedule = dpSgdSchedule({ rows, expectedBatchSize: dp.expectedBatchSize ?? batchSize, epochs });
  const orders = [...DEFAULT_RDP_ORDERS];
  return {
    orders,
    rdp: computeRdp({ sampleRate: schedule.sampleRate, noiseMultiplier: dp.noiseMultiplier, steps: schedule.steps, orders }),
    steps: schedule.steps,
    sampleRate: schedule.sampleRate,
    noiseMultiplier: dp.noiseMultiplier,
  };
}

/** ε spent by the charges at the budget's δ and conversion (0 when there are none; Infinity when a charge is unbounded). */
export function spentEpsilon(charges: readonly BudgetCharge[], budget: Budget): number {
  if (charges.length === 0) return 0;
  const orders = charges[0]!.orders;
  if (charges.some((c) => c.orders.length !== orders.length || c.orders.some((o, i) => o !== orders[i]))) throw new Error('budget charges over different RDP orders');
  if (charges.some((c) => c.rdp.some((r) => !Number.isFinite(r)))) return Infinity;
  return epsilonFromRdp(orders, composeRdp(...charges.map((c) => c.rdp)), budget.delta, budget.conversion).epsilon;
}
