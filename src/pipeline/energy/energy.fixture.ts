import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ProcessProbe } from './process.probe';

/** Fixture /sys and /proc trees and a hand-driven process probe, for the energy specs. */

export interface FixtureRoots {
  sysRoot: string;
  procRoot: string;
  cleanup(): void;
}

export function fixtureRoots(): FixtureRoots {
  const root = mkdtempSync(join(tmpdir(), 'assay-energy-'));
  const sysRoot = join(root, 'sys');
  const procRoot = join(root, 'proc');
  mkdirSync(sysRoot);
  mkdirSync(procRoot);
  return { sysRoot, procRoot, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}

export interface ZoneFixture {
  name: string;
  energyUj: number;
  maxEnergyRangeUj?: number;
  /** Make energy_uj unreadable (a directory: reading it fails with EISDIR even as root). */
  unreadable?: boolean;
}

/** 2^32 energy units of 61.035 µJ: the range many Intel parts report. */
export const INTEL_MAX_ENERGY_RANGE_UJ = 262_143_328_850;

export function writeRaplZone(sysRoot: string, zone: string, fixture: ZoneFixture): void {
  const dir = join(sysRoot, 'class', 'powercap', zone);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'name'), `${fixture.name}\n`);
  writeFileSync(join(dir, 'max_energy_range_uj'), `${fixture.maxEnergyRangeUj ?? INTEL_MAX_ENERGY_RANGE_UJ}\n`);
  if (fixture.unreadable) mkdirSync(join(dir, 'energy_uj'));
  else writeFileSync(join(dir, 'energy_uj'), `${fixture.energyUj}\n`);
}

export function setZoneEnergy(sysRoot: string, zone: string, energyUj: number): void {
  writeFileSync(join(sysRoot, 'class', 'powercap', zone, 'energy_uj'), `${energyUj}\n`);
}

export interface ProcStatFixture {
  user: number;
  nice?: number;
  system: number;
  idle: number;
  iowait?: number;
  irq?: number;
  softirq?: number;
  steal?: number;
  guest?: number;
  cpus?: number;
}

/** Writes a /proc/stat with the given aggregate line, the ticks split evenly over `cpus` per-CPU lines. */
export function writeProcStat(procRoot: string, f: ProcStatFixture): void {
  const fields = [f.user, f.nice ?? 0, f.system, f.idle, f.iowait ?? 0, f.irq ?? 0, f.softirq ?? 0, f.steal ?? 0, f.guest ?? 0, 0];
  const cpus = f.cpus ?? 2;
  const perCpu = Array.from({ length: cpus }, (_, i) => `cpu${i} ${fields.map((v) => Math.floor(v / cpus)).join(' ')}`);
  const text = [`cpu  ${fields.join(' ')}`, ...perCpu, 'intr 12345 0 0', 'ctxt 987654', 'btime 1700000000', 'processes 4242', ''].join('\n');
  writeFileSync(join(procRoot, 'stat'), text);
}

export function writeCpuInfo(procRoot: string, text: string): void {
  writeFileSync(join(procRoot, 'cpuinfo'), text);
}

function x86Block(processor: number, physicalId: number, coreId: number): string {
  return [
    `processor\t: ${processor}`,
    'vendor_id\t: GenuineIntel',
    'cpu family\t: 6',
    'model\t\t: 85',
    'model name\t: Intel(R) Xeon(R) Gold 6248 CPU @ 2.50GHz',
    'cpu MHz\t\t: 2500.000',
    `physical id\t: ${physicalId}`,
    'siblings\t: 2',
    `core id\t\t: ${coreId}`,
    'cpu cores\t: 1',
    'flags\t\t: fpu vme de pse tsc msr pae mce',
    '',
  ].join('\n');
}

/** Four logical CPUs: two sockets, one core each, two SMT threads per core. */
export const XEON_SMT_CPUINFO = [x86Block(0, 0, 0), x86Block(1, 0, 0), x86Block(2, 1, 0), x86Block(3, 1, 0)].join('\n');

/** Two logical CPUs, two cores, no SMT. */
export const XEON_NO_SMT_CPUINFO = [x86Block(0, 0, 0), x86Block(1, 0, 1)].join('\n');

/** A process probe whose clock, CPU time and memory the spec moves by hand. */
export class ManualProbe implements ProcessProbe {
  ms = 1_000;
  cpuUs = 0;
  rss = 100e6;
  maxRss = 150e6;
  cores = 2;
  epochMs = Date.UTC(2025, 0, 15, 12, 0, 0);

  /** Moves time on by `seconds`, with `cpuSeconds` of CPU time used meanwhile. */
  advance(seconds: number, cpuSeconds: number): void {
    this.ms += seconds * 1000;
    this.epochMs += seconds * 1000;
    this.cpuUs += cpuSeconds * 1e6;
  }

  nowMs(): number {
    return this.ms;
  }
  date(): Date {
    return new Date(this.epochMs);
  }
  cpuMicros(): number {
    return this.cpuUs;
  }
  rssBytes(): number {
    return this.rss;
  }
  maxRssBytes(): number {
    return this.maxRss;
  }
  availableCores(): number {
    return this.cores;
  }
}
