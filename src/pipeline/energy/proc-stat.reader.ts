import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Machine-wide CPU time from the aggregate `cpu` line of /proc/stat, in USER_HZ ticks. */
export interface ProcStatSample {
  /** Ticks spent running anything: user + nice + system + irq + softirq. */
  busyTicks: number;
  /** Ticks idle or waiting for I/O: idle + iowait. */
  idleTicks: number;
  /** Number of per-CPU `cpuN` lines: online logical CPUs. */
  onlineCpus: number;
}

/**
 * Parses /proc/stat (proc(5)). The aggregate line is `cpu user nice system idle iowait irq softirq
 * steal guest guest_nice`. Busy time excludes:
 * - guest and guest_nice, which the kernel already counts inside user and nice;
 * - steal, time a hypervisor ran *other* guests — not work done on this machine's behalf;
 * - iowait, which is idle time with I/O outstanding.
 * Returns undefined when there is no aggregate line.
 */
export function parseProcStat(text: string): ProcStatSample | undefined {
  let aggregate: number[] | undefined;
  let onlineCpus = 0;
  for (const line of text.split('\n')) {
    const fields = line.trim().split(/\s+/);
    const label = fields[0] ?? '';
    if (label === 'cpu') aggregate = fields.slice(1).map(Number);
    else if (/^cpu\d+$/.test(label)) onlineCpus++;
  }
  if (!aggregate || aggregate.length < 4 || aggregate.some((n) => !Number.isFinite(n))) return undefined;
  const field = (index: number): number => aggregate?.[index] ?? 0;
  const [user, nice, system, idle, iowait, irq, softirq] = [0, 1, 2, 3, 4, 5, 6].map(field) as [number, number, number, number, number, number, number];
  return { busyTicks: user + nice + system + irq + softirq, idleTicks: idle + iowait, onlineCpus };
}

/** Reads `<procRoot>/stat`; undefined when it cannot be read or parsed (e.g. not Linux). */
export function readProcStat(procRoot: string): ProcStatSample | undefined {
  try {
    return parseProcStat(readFileSync(join(procRoot, 'stat'), 'utf8'));
  } catch {
    return undefined;
  }
}
