/**
 * A gauge or counter whose samples are read from their source of truth when Prometheus scrapes
 * (prom-client's "collect" pattern, without the in-memory state): a figure that lives in the
 * database is the same on every API replica and survives restarts, and a collector that fails
 * leaves its family empty rather than showing a stale or zero value.
 */
import { validateMetricName } from 'prom-client';

export type LabelValues<L extends string> = Partial<Record<L, string | number>>;

/** One sample of a collected family: its labels (a subset of the declared names) and value. */
export interface Sample<L extends string = string> {
  labels?: LabelValues<L>;
  value: number;
}

export interface CollectedMetricConfig<L extends string> {
  name: string;
  help: string;
  labelNames?: readonly L[];
  /** The current samples; counters return running totals (never smaller than before). */
  collect: () => Promise<readonly Sample<L>[]> | readonly Sample<L>[];
}

const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** The shape prom-client's Registry reads from a metric (`get()`), for gauges and counters. */
export class CollectedMetric<L extends string = string> {
  readonly name: string;
  readonly help: string;
  readonly aggregator = 'sum';
  private readonly labelNames: ReadonlySet<string>;

  constructor(
    readonly type: 'gauge' | 'counter',
    private readonly config: CollectedMetricConfig<L>,
    /** Runs `collect` with the registry's timeout and error isolation; resolves [] when it failed. */
    private readonly run: (name: string, collect: () => Promise<readonly Sample<L>[]>) => Promise<readonly Sample<L>[]>,
  ) {
    if (!validateMetricName(config.name)) throw new Error(`Invalid metric name ${config.name}`);
    // __-prefixed label names are reserved for Prometheus itself; `le` and `quantile` for histograms and summaries.
    for (const label of config.labelNames ?? []) {
      if (!LABEL_NAME.test(label) || label.startsWith('__') || label === 'le' || label === 'quantile') throw new Error(`Invalid label name ${label}`);
    }
    this.name = config.name;
    this.help = config.help;
    this.labelNames = new Set(config.labelNames ?? []);
  }

  async get() {
    const samples = await this.run(this.name, async () => this.check(await this.config.collect()));
    return {
      name: this.name,
      help: this.help,
      type: this.type,
      aggregator: this.aggregator,
      values: samples.map((sample) => ({ labels: { ...sample.labels }, value: sample.value })),
    };
  }

  /** Nothing is kept between scrapes (prom-client calls this from Registry.resetMetrics). */
  reset(): void {}

  private check(samples: readonly Sample<L>[]): readonly Sample<L>[] {
    const seen = new Set<string>();
    for (const sample of samples) {
      const labels = Object.entries(sample.labels ?? {});
      for (const [label] of labels) if (!this.labelNames.has(label)) throw new Error(`${this.name}: undeclared label ${label}`);
      if (this.type === 'counter' && !(Number.isFinite(sample.value) && sample.value >= 0)) {
        throw new Error(`${this.name}: a counter must be a finite number ≥ 0, got ${sample.value}`);
      }
      const key = JSON.stringify(labels.sort(([a], [b]) => a.localeCompare(b)));
      if (seen.has(key)) throw new Error(`${this.name}: two samples with the labels ${key}`);
      seen.add(key);
    }
    return samples;
  }
}
