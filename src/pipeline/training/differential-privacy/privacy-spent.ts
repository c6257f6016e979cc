import { checkDelta, checkNoiseMultiplier, checkOrders, checkSampleRate, checkSteps } from './dp-parameters.validator';
import { checkConversion, DEFAULT_RDP_CONVERSION, epsilonFromRdp, type RdpConversion } from './epsilon.converter';
import { computeRdp } from './rdp.accountant';
import { DEFAULT_RDP_ORDERS } from './rdp-orders';

/**
 * The privacy a DP-SGD configuration spends, as evidence: plain JSON (no Infinity, which JSON
 * cannot hold — an unbounded ε is `null`), with everything needed to recompute it: mechanism,
 * accountant, conversion, orders, the RDP curve (so runs on the same data can be composed per
 * order later: composeRdp, then epsilonFromRdp), q, σ and steps.
 */
export interface PrivacySpent {
  accountant: 'rdp';
  mechanism: 'sampled_gaussian';
  conversion: RdpConversion;
  /** null = no finite guarantee (σ = 0 with data touched). */
  epsilon: number | null;
  delta: number;
  /** The order α attaining ε; null when ε is null. */
  optimalOrder: number | null;
  orders: number[];
  /** Total RDP at each order (same order as `orders`); null when unbounded at every order (σ = 0). */
  rdp: number[] | null;
  steps: number;
  sampleRate: number;
  noiseMultiplier: number;
}

export interface PrivacySpentOptions {
  sampleRate: number;
  noiseMultiplier: number;
  steps: number;
  delta: number;
  /** Default DEFAULT_RDP_ORDERS. */
  orders?: readonly number[];
  /** Default `balle2020` (DEFAULT_RDP_CONVERSION). */
  conversion?: RdpConversion;
}

/** "What ε would this configuration spend?": answerable before training, and recorded after it. */
export function computePrivacySpent(options: PrivacySpentOptions): PrivacySpent {
  const sampleRate = checkSampleRate(options.sampleRate);
  const noiseMultiplier = checkNoiseMultiplier(options.noiseMultiplier);
  const steps = checkSteps(options.steps);
  const delta = checkDelta(options.delta);
  const conversion = checkConversion(options.conversion ?? DEFAULT_RDP_CONVERSION);
  const orders = checkOrders(options.orders ?? DEFAULT_RDP_ORDERS);
  const rdp = computeRdp({ sampleRate, noiseMultiplier, steps, orders });
  const { epsilon, optimalOrder } = epsilonFromRdp(orders, rdp, delta, conversion);
  return {
    accountant: 'rdp',
    mechanism: 'sampled_gaussian',
    conversion,
    epsilon: Number.isFinite(epsilon) ? epsilon : null,
    delta,
    optimalOrder,
    orders,
    rdp: rdp.every(Number.isFinite) ? rdp : null,
    steps,
    sampleRate,
    noiseMultiplier,
  };
}
