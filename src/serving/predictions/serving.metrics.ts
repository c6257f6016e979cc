/**
 * Serving figures for Prometheus: predictions answered by this process (logged or not) and inputs
 * refused, counted in process; the decision log's backlog (logged, not yet in a committed batch)
 * and open monitoring alerts, read from the database at scrape time.
 */
import { Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { MetricsRegistry } from '../../platform/observability/metrics/metrics.registry';

@Injectable()
export class ServingMetrics implements OnModuleInit {
  private readonly answered = new Map<string, number>();
  private refused = 0;

  constructor(
    private readonly metrics: MetricsRegistry,
    @InjectDataSource() private readonly db: DataSource,
  ) {}

  served(model: string, rows: number, logged: boolean): void {
    const key = `${model}\u0000${logged}`;
    this.answered.set(key, (this.answered.get(key) ?? 0) + rows);
  }

  rejected(rows: number): void {
    this.refused += rows;
  }

  onModuleInit(): void {
    this.metrics.counter({
      name: 'assay_predictions_total',
      help: 'Predictions answered by this process, by model and whether they were logged.',
      labelNames: ['model', 'logged'],
      collect: () =>
        Promise.resolve(
          [...this.answered].map(([key, value]) => {
            const [model, logged] = key.split('\u0000') as [string, string];
            return { labels: { model, logged }, value };
          }),
        ),
    });
    this.metrics.counter({
      name: 'assay_prediction_inputs_refused_total',
      help: 'Inputs of predict requests refused by validation in this process (nothing predicted or logged).',
      collect: () => Promise.resolve([{ labels: {}, value: this.refused }]),
    });
    this.metrics.gauge({
      name: 'assay_decision_log_pending',
      help: 'Logged predictions and outcomes not yet in a committed decision batch.',
      collect: async () => {
        const rows = await this.db.query<{ pending: string }[]>(
          `SELECT (SELECT count(*) FROM predictions WHERE batch_id IS NULL) + (SELECT count(*) FROM prediction_outcomes WHERE batch_id IS NULL) AS pending`,
        );
        return [{ labels: {}, value: Number(rows[0]?.pending ?? 0) }];
      },
    });
    this.metrics.gauge({
      name: 'assay_monitoring_alerts_open',
      help: 'Open post-market monitoring alerts.',
      collect: async () => {
        const rows = await this.db.query<{ open: string }[]>(`SELECT count(*) AS open FROM monitoring_alerts WHERE state = 'open'`);
        return [{ labels: {}, value: Number(rows[0]?.open ?? 0) }];
      },
    });
  }
}
