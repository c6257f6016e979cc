/**
 * Energy figures for Prometheus from `energy.measured` evidence (registered by this module):
 * kWh and CO2e totals and the wall time of each measured piece of work, by stage (a training
 * attempt, an evaluation, an explanation). The evidence is followed incrementally (EvidenceTail):
 * a scrape reads only the records appended since the previous one, never the whole table.
 */
import { Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { EvidenceTail } from '../../../platform/evidence/evidence-tail';
import { MetricsRegistry } from '../../../platform/observability/metrics/metrics.registry';

/** The stages of the energy.measured schema, reported from the start (at zero) so that their series exist. */
const STAGES = ['training', 'evaluation', 'explanation'];

/** From 100 ms to four hours. */
const STAGE_DURATION_BUCKETS = [0.1, 0.5, 1, 5, 15, 30, 60, 300, 900, 3600, 14400];

interface MeasuredRow {
  stage: string;
  kwh: number | string;
  co2e: number | string;
  wall: number | string;
}

@Injectable()
export class EnergyMetrics implements OnModuleInit {
  private readonly totals = new Map(STAGES.map((stage) => [stage, { kwh: 0, co2e: 0 }]));

  constructor(
    private readonly metrics: MetricsRegistry,
    @InjectDataSource() private readonly db: DataSource,
  ) {}

  onModuleInit(): void {
    const measured = new EvidenceTail<MeasuredRow>(
      this.db,
      {
        kinds: ['energy.measured'],
        select: `e.body->>'stage' AS stage, (e.body->'measurement'->>'energyKwh')::float8 AS kwh,
                 (e.body->'measurement'->>'co2eGrams')::float8 AS co2e, (e.body->'measurement'->>'wallSeconds')::float8 AS wall`,
      },
      (rows) => {
        for (const row of rows) {
          const total = this.totals.get(row.stage) ?? { kwh: 0, co2e: 0 };
          this.totals.set(row.stage, { kwh: total.kwh + Number(row.kwh), co2e: total.co2e + Number(row.co2e) });
          duration.observe({ stage: row.stage }, Number(row.wall));
        }
      },
    );
    const duration = this.metrics.histogram({
      name: 'assay_stage_duration_seconds',
      help: 'Wall time of measured work by stage (one training attempt, one evaluation, one explanation), from energy.measured evidence.',
      labelNames: ['stage'],
      buckets: STAGE_DURATION_BUCKETS,
      collect: () => measured.poll(),
    });
    const total = (field: 'kwh' | 'co2e') => async () => {
      await measured.poll();
      return [...this.totals].map(([stage, sums]) => ({ labels: { stage }, value: sums[field] }));
    };
    this.metrics.counter({
      name: 'assay_energy_kwh_total',
      help: 'Energy measured or estimated (RAPL or TDP estimate) by stage, in kWh, from energy.measured evidence.',
      labelNames: ['stage'],
      collect: total('kwh'),
    });
    this.metrics.counter({
      name: 'assay_co2e_grams_total',
      help: 'CO2-equivalent emissions of that energy by stage, in grams, at the configured grid intensity.',
      labelNames: ['stage'],
      collect: total('co2e'),
    });
  }
}
