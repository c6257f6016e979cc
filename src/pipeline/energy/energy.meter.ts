import { co2eFor, joulesToKwh } from './co2e.calculator';
import { type CpuInfo, readCpuInfo } from './cpu-info.reader';
import {
  CONFIGURED_TDP_BAND,
  DEFAULT_MEMORY_W_PER_GB,
  DEFAULT_PUE,
  DEFAULT_RAPL_RELATIVE_UNCERTAINTY,
  DEFAULT_TDP_BAND,
  DEFAULT_TDP_PER_CORE_W,
  DEFAULT_USER_HZ,
  MEMORY_BAND,
  PLAUSIBLE_MAX_PACKAGE_W,
} from './energy-assumptions';
import type { EnergyEstimate } from './energy-estimate';
import type { EnergyAssumptions, EnergyMeasurement, GridIntensity, RaplSection } from './energy-measurement';
import { type GridIntensityInput, resolveGridIntensity } from './grid-intensity';
import { MemoryPeakSampler } from './memory-peak.sampler';
import { discoverRapl, RaplCounterAccumulator } from './powercap-rapl.reader';
import { type ProcStatSample, readProcStat } from './proc-stat.reader';
import { nodeProcessProbe, type ProcessProbe } from './process.probe';
import { apportionShare, estimateRaplEnergy } from './rapl-energy.estimator';
import { estimateTdpEnergy } from './tdp-energy.estimator';

export interface EnergyMeterOptions {
  /** FLOPs the caller estimates the work does (e.g. FlopsEstimator.trainingFlops); carried into the record. */
  estimatedFlops?: number;
  /** `auto` (default): RAPL when readable, else the TDP estimate. `tdp-estimate`: never read RAPL. */
  method?: 'auto' | 'tdp-estimate';
  /** Watts per fully busy physical core: the CPU's TDP ÷ its cores. Default 12 W (Green Algorithms, unknown CPU). */
  tdpPerCoreW?: number;
  /** Default 0.3725 W/GB (Green Algorithms). */
  memoryWPerGb?: number;
  /** Default 1.0 (desktop or single server: no facility overhead). Set the data centre's PUE there. */
  pue?: number;
  /** Logical CPUs utilisation is computed against. Default os.availableParallelism(). */
  cores?: number;
  /** Default: the EU-27 2023 placeholder in grid-intensity.ts — configure your own grid. */
  gridIntensity?: GridIntensityInput;
  /** Roots for /sys and /proc, so specs can point the meter at fixture directories. */
  sysRoot?: string;
  procRoot?: string;
  /** USER_HZ for /proc/stat (default 100). */
  userHz?: number;
  raplRelativeUncertainty?: number;
  memorySampleIntervalMs?: number;
  raplPollIntervalMs?: number;
  probe?: ProcessProbe;
}

interface Running {
  startMs: number;
  startCpuMicros: number;
  startedAt: Date;
  cpuInfo: CpuInfo;
  memory: MemoryPeakSampler;
  rapl?: { accumulator: RaplCounterAccumulator; timer: NodeJS.Timeout; procStatStart?: ProcStatSample };
  raplUnavailableReason?: string;
}

function checkNumber(name: string, value: number | undefined, min: number, max = Infinity): void {
  if (value === undefined) return;
  if (!Number.isFinite(value) || value < min || value > max) throw new RangeError(`${name} must be a number in [${min}, ${max}], got ${value}`);
}

/**
 * Wall time, CPU time, peak memory, energy and CO2e for work done in this process:
 *
 *   const meter = new EnergyMeter({ estimatedFlops, tdpPerCoreW: 150 / 20, gridIntensity });
 *   const { result, measurement } = await meter.measure(() => trainer.fit(data));
 *
 * Energy is read from RAPL package counters when they can be read and apportioned to this process,
 * otherwise estimated from TDP; either way the record says which, what it assumed, and its bounds.
 * Only CPU and memory are counted — not GPUs, storage, network or the rest of the machine.
 */
export class EnergyMeter {
  private running: Running | undefined;
  private estimatedFlops: number | undefined;
  private readonly probe: ProcessProbe;
  private readonly sysRoot: string;
  private readonly procRoot: string;

  constructor(private readonly options: EnergyMeterOptions = {}) {
    checkNumber('estimatedFlops', options.estimatedFlops, 0);
    checkNumber('tdpPerCoreW', options.tdpPerCoreW, Number.MIN_VALUE);
    checkNumber('memoryWPerGb', options.memoryWPerGb, 0);
    checkNumber('pue', options.pue, 1);
    checkNumber('cores', options.cores, 1);
    checkNumber('userHz', options.userHz, 1);
    checkNumber('raplRelativeUncertainty', options.raplRelativeUncertainty, 0, 1);
    checkNumber('memorySampleIntervalMs', options.memorySampleIntervalMs, 1);
    checkNumber('raplPollIntervalMs', options.raplPollIntervalMs, 1);
    resolveGridIntensity(options.gridIntensity);
    this.estimatedFlops = options.estimatedFlops;
    this.probe = options.probe ?? nodeProcessProbe;
    this.sysRoot = options.sysRoot ?? '/sys';
    this.procRoot = options.procRoot ?? '/proc';
  }

  /** For callers that know the FLOPs only once the work is under way (e.g. after batching). */
  setEstimatedFlops(flops: number): void {
    checkNumber('estimatedFlops', flops, 0);
    this.estimatedFlops = flops;
  }

  get isRunning(): boolean {
    return this.running !== undefined;
  }

  start(): void {
    if (this.running) throw new Error('EnergyMeter is already running');
    const cpuInfo = readCpuInfo(this.procRoot);
    let rapl: Running['rapl'];
    let raplUnavailableReason: string | undefined;
    if (this.options.method === 'tdp-estimate') {
      raplUnavailableReason = 'RAPL not read: the tdp-estimate method was requested';
    } else {
      const availability = discoverRapl(this.sysRoot);
      if (availability.available) {
        const accumulator = new RaplCounterAccumulator(availability.zones, undefined, () => this.probe.nowMs());
        try {
          const procStatStart = readProcStat(this.procRoot);
          accumulator.start();
          const timer = setInterval(() => accumulator.poll(), this.options.raplPollIntervalMs ?? 1000);
          timer.unref();
          rapl = { accumulator, timer, ...(procStatStart ? { procStatStart } : {}) };
        } catch (error) {
          raplUnavailableReason = `RAPL counters could not be read at start: ${String(error)}`;
        }
      } else {
        raplUnavailableReason = availability.reason;
      }
    }
    const memory = new MemoryPeakSampler(this.probe, this.options.memorySampleIntervalMs ?? 100);
    memory.start();
    this.running = {
      cpuInfo,
      memory,
      ...(rapl ? { rapl } : {}),
      ...(raplUnavailableReason ? { raplUnavailableReason } : {}),
      startedAt: this.probe.date(),
      startMs: this.probe.nowMs(),
      startCpuMicros: this.probe.cpuMicros(),
    };
  }

  /** Ends the window and builds the record; rejects if the meter was not started. */
  stop(): Promise<EnergyMeasurement> {
    // The executor's throw becomes a rejection; the reads themselves are synchronous so that the
    // end-of-window counters (CPU time, RAPL, /proc/stat) are taken as close together as possible.
    return new Promise((resolve) => resolve(this.finish()));
  }

  private finish(): EnergyMeasurement {
    const running = this.running;
    if (!running) throw new Error('EnergyMeter.stop() called before start()');
    const endMs = this.probe.nowMs();
    const endCpuMicros = this.probe.cpuMicros();
    const endedAt = this.probe.date();
    const memory = running.memory.stop();
    let procStatEnd: ProcStatSample | undefined;
    if (running.rapl) {
      clearInterval(running.rapl.timer);
      running.rapl.accumulator.poll();
      procStatEnd = readProcStat(this.procRoot);
    }
    this.running = undefined;

    const wallSeconds = Math.max(0, (endMs - running.startMs) / 1000);
    const cpuSeconds = Math.max(0, (endCpuMicros - running.startCpuMicros) / 1e6);
    const cores = this.options.cores ?? this.probe.availableCores();
    const cpuUtilisation = wallSeconds > 0 ? cpuSeconds / (wallSeconds * cores) : 0;
    const grid = resolveGridIntensity(this.options.gridIntensity);
    const tdpConfigured = this.options.tdpPerCoreW !== undefined;
    const assumptions: EnergyAssumptions = {
      tdpPerCoreW: this.options.tdpPerCoreW ?? DEFAULT_TDP_PER_CORE_W,
      tdpPerCoreSource: tdpConfigured ? 'configured' : 'default',
      memoryWPerGb: this.options.memoryWPerGb ?? DEFAULT_MEMORY_W_PER_GB,
      memoryBasis: 'peak-rss',
      pue: this.options.pue ?? DEFAULT_PUE,
      cores,
      cpuBandFactors: [...(tdpConfigured ? CONFIGURED_TDP_BAND : DEFAULT_TDP_BAND)],
      memoryBandFactors: [...MEMORY_BAND],
      raplRelativeUncertainty: this.options.raplRelativeUncertainty ?? DEFAULT_RAPL_RELATIVE_UNCERTAINTY,
    };
    const notes: string[] = [];
    const warnings: string[] = [];

    let estimate: EnergyEstimate;
    let raplSection: RaplSection | undefined;
    if (running.rapl) {
      const totals = running.rapl.accumulator.totals();
      const start = running.rapl.procStatStart;
      const userHz = this.options.userHz ?? DEFAULT_USER_HZ;
      const systemBusyCpuSeconds = start && procStatEnd ? Math.max(0, procStatEnd.busyTicks - start.busyTicks) / userHz : undefined;
      const onlineCpus = procStatEnd?.onlineCpus || running.cpuInfo.logicalCpus || cores;
      const share = apportionShare({ processCpuSeconds: cpuSeconds, onlineCpus, wallSeconds, tickSeconds: 1 / userHz, ...(systemBusyCpuSeconds !== undefined ? { systemBusyCpuSeconds } : {}) });
      estimate = estimateRaplEnergy({
        packageJoules: totals.packageJoules,
        share,
        raplRelativeUncertainty: assumptions.raplRelativeUncertainty,
        wallSeconds,
        peakRssBytes: memory.peakRssBytes,
        memoryWPerGb: assumptions.memoryWPerGb,
        memoryBandFactors: assumptions.memoryBandFactors,
        pue: assumptions.pue,
      });
      raplSection = {
        domains: totals.domains,
        packageJoules: totals.packageJoules,
        apportionedShare: share.share,
        apportionedShareBounds: share.bounds,
        apportionment: share.apportionment,
        ...(systemBusyCpuSeconds !== undefined ? { systemBusyCpuSeconds } : {}),
        polls: totals.polls,
        maxPollGapSeconds: totals.maxPollGapSeconds,
      };
      notes.push(
        `CPU energy measured with RAPL: packageJoules (${totals.packageJoules.toFixed(3)} J) is the energy of the whole CPU package(s) over the window — every process on the machine, not only this one.`,
      );
      if (share.apportionment === 'proc-stat-busy-share') {
        notes.push(
          `Apportioned to this process by its share of the machine's busy CPU time from /proc/stat (${(share.share * 100).toFixed(1)}%); the package's idle power is charged in the same proportion.`,
        );
      } else {
        notes.push('/proc/stat could not be read, so the package energy was not apportioned: all of it is charged to this process (an upper bound).');
      }
      const safeGap = running.rapl.accumulator.safeGapSeconds(PLAUSIBLE_MAX_PACKAGE_W);
      if (totals.maxPollGapSeconds > safeGap) {
        warnings.push(
          `RAPL counters went ${totals.maxPollGapSeconds.toFixed(1)} s between reads, longer than the ${safeGap.toFixed(1)} s in which a counter could wrap twice at ${PLAUSIBLE_MAX_PACKAGE_W} W: package energy may be undercounted (was the event loop blocked?).`,
        );
      }
      if (totals.failedReads > 0) warnings.push(`${totals.failedReads} RAPL counter read(s) failed during the window and were skipped.`);
    } else {
      const smtRatio =
        running.cpuInfo.physicalCores && running.cpuInfo.logicalCpus && running.cpuInfo.physicalCores < running.cpuInfo.logicalCpus
          ? running.cpuInfo.physicalCores / running.cpuInfo.logicalCpus
          : 1;
      estimate = estimateTdpEnergy({
        cpuSeconds,
        wallSeconds,
        peakRssBytes: memory.peakRssBytes,
        tdpPerCoreW: assumptions.tdpPerCoreW,
        memoryWPerGb: assumptions.memoryWPerGb,
        pue: assumptions.pue,
        cpuBandFactors: assumptions.cpuBandFactors,
        memoryBandFactors: assumptions.memoryBandFactors,
        smtRatio,
      });
      notes.push(`RAPL not used (${running.raplUnavailableReason ?? 'unavailable'}).`);
      notes.push(
        'CPU energy is a TDP-based estimate, not a measurement: TDP per core × this process’s CPU seconds (Green Algorithms model, Lannelongue et al. 2021); the bounds are stated judgement, not a confidence interval.',
      );
      if (smtRatio < 1) notes.push(`SMT detected (${running.cpuInfo.physicalCores} cores, ${running.cpuInfo.logicalCpus} logical CPUs): the low bound allows for sibling threads sharing a core's power.`);
      if (!tdpConfigured) warnings.push(`TDP per core not configured for ${running.cpuInfo.model}: the generic ${DEFAULT_TDP_PER_CORE_W} W default was used and the band widened to ${DEFAULT_TDP_BAND.join('–')}×.`);
    }
    notes.push('Memory energy is estimated for both methods: W/GB × peak resident set × wall time.');
    notes.push('Counted: CPU package and memory. Not counted: GPUs, storage, network, power-supply losses and the rest of the machine.');
    if (assumptions.pue === 1) notes.push('PUE 1.0: no data-centre facility overhead counted.');

    const expectedSamples = (wallSeconds * 1000) / (this.options.memorySampleIntervalMs ?? 100);
    if (memory.basis === 'sampled' && expectedSamples >= 10 && memory.samples < expectedSamples / 2) {
      warnings.push(`Memory was sampled ${memory.samples} times in ${wallSeconds.toFixed(1)} s (expected ~${Math.round(expectedSamples)}): the event loop was busy, so peak RSS is a lower bound.`);
    }
    if (cpuUtilisation > 1.05) warnings.push(`CPU utilisation ${cpuUtilisation.toFixed(2)} exceeds 1: the process ran on more than the ${cores} cores assumed.`);
    if (this.options.gridIntensity === undefined) warnings.push(`Grid intensity not configured: the ${grid.region} ${grid.year} placeholder was used.`);

    return buildMeasurement({
      method: running.rapl ? 'rapl' : 'tdp-estimate',
      startedAt: running.startedAt,
      endedAt,
      wallSeconds,
      cpuSeconds,
      cpuUtilisation,
      memory,
      estimatedFlops: this.estimatedFlops,
      estimate,
      grid,
      assumptions,
      cpuInfo: running.cpuInfo,
      rapl: raplSection,
      notes,
      warnings,
    });
  }

  /** Runs `fn` between start() and stop(). If `fn` throws, the meter is stopped and the error rethrown. */
  async measure<T>(fn: () => T | Promise<T>): Promise<{ result: T; measurement: EnergyMeasurement }> {
    this.start();
    let result: T;
    try {
      result = await fn();
    } catch (error) {
      await this.stop();
      throw error;
    }
    return { result, measurement: await this.stop() };
  }
}

interface MeasurementParts {
  method: EnergyMeasurement['method'];
  startedAt: Date;
  endedAt: Date;
  wallSeconds: number;
  cpuSeconds: number;
  cpuUtilisation: number;
  memory: ReturnType<MemoryPeakSampler['stop']>;
  estimatedFlops: number | undefined;
  estimate: EnergyEstimate;
  grid: GridIntensity;
  assumptions: EnergyAssumptions;
  cpuInfo: CpuInfo;
  rapl: RaplSection | undefined;
  notes: string[];
  warnings: string[];
}

function buildMeasurement(parts: MeasurementParts): EnergyMeasurement {
  const { estimate, grid, cpuInfo } = parts;
  const energyKwh = joulesToKwh(estimate.energyJoules);
  const energyBoundsKwh: [number, number] = [joulesToKwh(estimate.boundsJoules[0]), joulesToKwh(estimate.boundsJoules[1])];
  const { co2eGrams, co2eBoundsGrams } = co2eFor(energyKwh, energyBoundsKwh, grid);
  return {
    method: parts.method,
    startedAt: parts.startedAt.toISOString(),
    endedAt: parts.endedAt.toISOString(),
    wallSeconds: parts.wallSeconds,
    cpuSeconds: parts.cpuSeconds,
    cpuUtilisation: parts.cpuUtilisation,
    peakRssBytes: parts.memory.peakRssBytes,
    peakRssBasis: parts.memory.basis,
    memorySamples: parts.memory.samples,
    ...(parts.estimatedFlops !== undefined ? { estimatedFlops: parts.estimatedFlops } : {}),
    energyJoules: estimate.energyJoules,
    energyKwh,
    energyBoundsKwh,
    components: { cpuJoules: estimate.cpuJoules, memoryJoules: estimate.memoryJoules },
    co2eGrams,
    co2eBoundsGrams,
    gridIntensity: grid,
    assumptions: parts.assumptions,
    cpu: {
      model: cpuInfo.model,
      cores: parts.assumptions.cores,
      ...(cpuInfo.logicalCpus !== undefined ? { logicalCpus: cpuInfo.logicalCpus } : {}),
      ...(cpuInfo.physicalCores !== undefined ? { physicalCores: cpuInfo.physicalCores } : {}),
    },
    ...(parts.rapl ? { rapl: parts.rapl } : {}),
    notes: parts.notes,
    warnings: parts.warnings,
  };
}
