import { availableParallelism } from 'node:os';

/** What the meter reads about this process; injectable so specs can drive the clock and counters. */
export interface ProcessProbe {
  /** Monotonic milliseconds (performance.now): immune to wall-clock adjustments. */
  nowMs(): number;
  /** Wall-clock time for the record's timestamps. */
  date(): Date;
  /** User + system CPU time of the whole process (all threads), microseconds (process.cpuUsage). */
  cpuMicros(): number;
  /** Current resident set size, bytes (process.memoryUsage().rss). */
  rssBytes(): number;
  /** Lifetime peak resident set size, bytes (getrusage ru_maxrss, which Node reports in kilobytes). */
  maxRssBytes(): number;
  /** Logical CPUs this process may run on (os.availableParallelism: respects affinity masks). */
  availableCores(): number;
}

export const nodeProcessProbe: ProcessProbe = {
  nowMs: () => performance.now(),
  date: () => new Date(),
  cpuMicros: () => {
    const { user, system } = process.cpuUsage();
    return user + system;
  },
  rssBytes: () => process.memoryUsage.rss(),
  maxRssBytes: () => process.resourceUsage().maxRSS * 1024,
  availableCores: () => availableParallelism(),
};
