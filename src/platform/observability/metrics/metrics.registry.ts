/**
 * The application's Prometheus registry. Its own prom-client `Registry` (not the global default
 * one), so that several applications in one process (the e2e suite) keep separate figures.
 *
 * Modules register the figures they own — platform must not import the stages above it — as
 * collected gauges and counters (read from the database at scrape time) or as histograms they
 * observe themselves. A collector that throws or takes longer than the timeout is logged and
 * counted in `assay_metrics_collect_errors_total`, and its family is left empty: one broken
 * collector never fails the whole scrape.
 */
import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { Counter, Histogram, Registry, type Metric } from 'prom-client';
import { CollectedMetric, type CollectedMetricConfig, type Sample } from './collected-metric';
import { processMetricsRegistry } from './process-metrics';

/** Optional injection token: how long one collector may take (default 5 s, under Prometheus' 10 s scrape timeout). */
export const METRICS_COLLECT_TIMEOUT_MS = Symbol('METRICS_COLLECT_TIMEOUT_MS');

export interface HistogramConfig<L extends string> {
  name: string;
  help: string;
  labelNames: readonly L[];
  buckets: readonly number[];
  /** Runs before each scrape reads the histogram, e.g. to observe what was recorded since the last one. */
  collect?: () => Promise<void>;
}

@Injectable()
export class MetricsRegistry {
  /** Prometheus text exposition format 0.0.4. */
  static readonly CONTENT_TYPE = Registry.PROMETHEUS_CONTENT_TYPE;

  private readonly logger = new Logger(MetricsRegistry.name);
  private readonly registry = new Registry();
  /** Rendered after the others, so that a scrape shows its own collectors' failures. */
  private readonly scrapeRegistry = new Registry();
  private readonly collectErrors = new Counter({
    name: 'assay_metrics_collect_errors_total',
    help: 'Collectors that failed or timed out during a scrape, by metric family (the family was left empty).',
    labelNames: ['metric'],
    registers: [this.scrapeRegistry],
  });
  private readonly timeoutMs: number;

  constructor(@Optional() @Inject(METRICS_COLLECT_TIMEOUT_MS) timeoutMs?: number) {
    this.timeoutMs = timeoutMs ?? 5_000;
  }

  /** A gauge whose samples `collect` reads at scrape time. */
  gauge<L extends string = string>(config: CollectedMetricConfig<L>): void {
    this.register(new CollectedMetric('gauge', config, (name, collect) => this.isolated(name, collect, [])));
  }

  /** A counter whose running totals `collect` reads at scrape time (e.g. a count of append-only rows). */
  counter<L extends string = string>(config: CollectedMetricConfig<L>): void {
    this.register(new CollectedMetric('counter', config, (name, collect) => this.isolated(name, collect, [])));
  }

  /** A prom-client histogram in this registry, for the caller to observe. */
  histogram<L extends string>(config: HistogramConfig<L>): Histogram<L> {
    const { collect } = config;
    return new Histogram<L>({
      name: config.name,
      help: config.help,
      labelNames: config.labelNames,
      buckets: [...config.buckets],
      registers: [this.registry],
      ...(collect ? { collect: () => this.isolated(config.name, collect, undefined) } : {}),
    });
  }

  /** Everything, process metrics first, in the Prometheus text format. */
  async exposition(): Promise<string> {
    const metrics = await Registry.merge([processMetricsRegistry(), this.registry]).metrics();
    return metrics + (await this.scrapeRegistry.metrics());
  }

  private register(metric: CollectedMetric): void {
    // prom-client's Registry only reads name, type and get() from a metric; its typings list its own classes.
    this.registry.registerMetric(metric as unknown as Metric);
  }

  private async isolated<T>(name: string, work: () => Promise<T>, fallback: T): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`collector timed out after ${this.timeoutMs} ms`)), this.timeoutMs);
      timer.unref();
    });
    try {
      return await Promise.race([work(), timeout]);
    } catch (error) {
      this.logger.warn({ err: error, metric: name }, 'metrics collector failed');
      this.collectErrors.inc({ metric: name });
      return fallback;
    } finally {
      clearTimeout(timer);
    }
  }
}

export type { Sample };
