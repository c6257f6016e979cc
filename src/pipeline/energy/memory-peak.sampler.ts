import type { ProcessProbe } from './process.probe';

export interface MemoryPeak {
  peakRssBytes: number;
  /**
   * `maxrss-in-window`: the kernel's lifetime peak (ru_maxrss) rose during the window, so the window's
   * peak is exactly that value, even if sampling missed it. `sampled`: the lifetime peak was set
   * before the window, so ru_maxrss says nothing about the window and the sampled maximum is used —
   * a lower bound on the true peak, which may fall between samples.
   */
  basis: 'maxrss-in-window' | 'sampled';
  samples: number;
}

/**
 * Peak resident memory of this process over a window: RSS sampled on an unref'd timer (so the timer
 * never keeps the process alive), combined with ru_maxrss as above. Timers only fire when the event
 * loop is free: synchronous work starves the sampler, which the sample count makes visible.
 */
export class MemoryPeakSampler {
  private timer: NodeJS.Timeout | undefined;
  private peak = 0;
  private samples = 0;
  private maxRssAtStart = 0;

  constructor(
    private readonly probe: ProcessProbe,
    private readonly intervalMs = 100,
  ) {}

  start(): void {
    this.maxRssAtStart = this.probe.maxRssBytes();
    this.peak = 0;
    this.samples = 0;
    this.sample();
    this.timer = setInterval(() => this.sample(), this.intervalMs);
    this.timer.unref();
  }

  sample(): void {
    this.peak = Math.max(this.peak, this.probe.rssBytes());
    this.samples++;
  }

  stop(): MemoryPeak {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.sample();
    const maxRssAtEnd = this.probe.maxRssBytes();
    if (maxRssAtEnd > this.maxRssAtStart) return { peakRssBytes: Math.max(maxRssAtEnd, this.peak), basis: 'maxrss-in-window', samples: this.samples };
    return { peakRssBytes: this.peak, basis: 'sampled', samples: this.samples };
  }
}
