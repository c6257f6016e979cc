import type { Bounds } from './energy-measurement';

/**
 * Defaults for the energy model and the reasons for its uncertainty bands. The bands are stated
 * judgement intervals, not statistical confidence intervals: no public study gives an error
 * distribution for TDP-based estimates, and we do not pretend one exists.
 */

/**
 * Green Algorithms' power per core for an unidentified CPU ("Any", 12 W), from its TDP_cpu.csv
 * (Lannelongue, Grealey & Inouye 2021, "Green Algorithms: Quantifying the Carbon Footprint of
 * Computation", Adv. Sci.). Configure the real figure: the CPU's TDP ÷ its physical cores.
 */
export const DEFAULT_TDP_PER_CORE_W = 12;

/**
 * 0.3725 W per GB of memory, Green Algorithms' referenceValues.csv (from Karyakin & Salem 2017).
 * CodeCarbon uses 3 W per 8 GB = 0.375 W/GB (after a Crucial support article); the two agree to <1%.
 */
export const DEFAULT_MEMORY_W_PER_GB = 0.3725;

/**
 * PUE 1.0: a desktop, laptop or single server outside a data centre, where no facility overhead
 * (cooling, power distribution) is charged. In a data centre set the facility's measured PUE.
 */
export const DEFAULT_PUE = 1.0;

/**
 * CPU band when the caller configured TDP per core for the actual CPU: [0.5, 1.5] × estimate.
 * TDP is a thermal design envelope, not a power measurement: sustained package power at full load can
 * sit well below it or, with turbo power limits (Intel PL2), above it for a while; and the model's
 * "power proportional to utilisation" ignores the idle floor. CodeCarbon's fallback charges a flat 50%
 * of TDP and its methodology page says it "could not find any good resource showing statistical
 * relationships between TDP and average power" — so ±50% is stated, not derived.
 */
export const CONFIGURED_TDP_BAND: Bounds = [0.5, 1.5];

/**
 * CPU band when the generic 12 W/core default was used: [0.3, 2.0] × estimate. Green Algorithms' own
 * CPU table spans about 3.8 to 23.8 W per core (≈ 0.3× to 2× of 12 W) before any of the TDP-vs-draw
 * error above, so an unidentified CPU gets the whole spread.
 */
export const DEFAULT_TDP_BAND: Bounds = [0.3, 2.0];

/**
 * Memory band: [0.5, 1.5] × estimate. Published per-GB figures agree with each other (0.3725,
 * 0.375 W/GB) mostly because they share few measurements; DRAM power depends on generation and on
 * access rate, and resident set size counts shared pages. Memory is usually a small share of the total.
 */
export const MEMORY_BAND: Bounds = [0.5, 1.5];

/**
 * ±10% for the RAPL counters themselves. On Intel since Haswell, package energy is measured rather
 * than modelled and tracks external meters closely (Khan et al. 2018, "RAPL in Action", ACM TOMPECS);
 * older parts and AMD's implementation are less well validated, and tools reading the same counters
 * have disagreed by large factors through summing overlapping domains (Jay et al. 2023, CCGrid) — which
 * is why only top-level package zones are summed here.
 */
export const DEFAULT_RAPL_RELATIVE_UNCERTAINTY = 0.1;

/**
 * A package drawing more than this is implausible for one socket; it bounds how long the meter may go
 * between counter reads before the counter could have wrapped twice unseen (max_energy_range_uj ÷ this).
 */
export const PLAUSIBLE_MAX_PACKAGE_W = 500;

/** USER_HZ, the unit of /proc/stat times: 100 on every mainstream Linux architecture (`getconf CLK_TCK`). */
export const DEFAULT_USER_HZ = 100;

export const JOULES_PER_KWH = 3_600_000;
export const BYTES_PER_GB = 1e9;
