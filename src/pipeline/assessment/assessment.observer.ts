import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { ArtifactStore } from '../../platform/artifacts/artifact-store';
import { ASSAY_CONFIG } from '../../platform/config/config.module';
import type { AssayConfig } from '../../platform/config/config.schema';
import { EvidenceService, type EvidenceRecord } from '../../platform/evidence/evidence.service';
import { systemActor } from '../../platform/ledger/actor';
import { ATTR, withSpan } from '../../platform/observability/tracing/spans';
import { DatasetVersion } from '../datasets/dataset-version.entity';
import { DatasheetsService } from '../datasets/datasheets.service';
import { EnergyMeter, type EnergyMeasurement } from '../energy';
import type { SaliencyMap } from '../explainability';
import type { PreparedStageEvidence, TrainedModelContext, TrainedModelObserver } from '../training/runs/training-run.hooks';
import { assessModel, type AssessmentStepRunner, type ModelAssessment } from './model-assessor';

const json = (value: unknown) => JSON.parse(JSON.stringify(value)) as Record<string, unknown>;

/** The training split whose rows were the audit's members. */
function membersSplit(run: TrainedModelContext['run']): Record<string, unknown> {
  const train = run.inputs.splits.find((split) => split.role === 'train')!;
  return { role: 'train', versionId: train.versionId, tableDigest: train.tableDigest, rows: train.rows };
}

/**
 * Measures every trained model on its test split before its run is finished (see
 * TrainingRunHooks): evaluation, fairness, robustness, importance, example explanations and a
 * membership-inference audit of what the model leaks about its training rows, with the energy this cost. The evidence names the `training.completed` record it measured.
 */
@Injectable()
export class AssessmentObserver implements TrainedModelObserver {
  readonly stage = 'assessment';
  private readonly logger = new Logger(AssessmentObserver.name);

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly datasheets: DatasheetsService,
    private readonly evidence: EvidenceService,
    private readonly artifacts: ArtifactStore,
    @Inject(ASSAY_CONFIG) private readonly config: AssayConfig,
  ) {}

  /** The `assay.assessment` span (inside the run's `assay.train`), with one span per step: evaluate, fairness, robustness, explain, membership_audit. */
  afterTraining(context: TrainedModelContext): Promise<PreparedStageEvidence> {
    const attributes = { [ATTR.runId]: context.run.id, [ATTR.modelDigest]: context.modelDigest };
    return withSpan('assay.assessment', attributes, () =>
      this.assess(context, (step, work) => withSpan(`assay.${step}`, { ...attributes, 'assay.assessment.step': step }, work)),
    );
  }

  private async assess(context: TrainedModelContext, runStep: AssessmentStepRunner): Promise<PreparedStageEvidence> {
    const { run } = context;
    const test = context.run.inputs.splits.find((split) => split.role === 'test');
    const testTable = context.tables.get('test');
    const testEncoded = context.encoded.get('test');
    if (!test || !testTable || !testEncoded) {
      this.logger.warn(`Run ${run.id} has no test split: no evaluation is recorded`);
      return { record: () => Promise.resolve([]) };
    }
    const settings = {
      resamples: this.config.ASSAY_EVAL_BOOTSTRAP_RESAMPLES,
      level: this.config.ASSAY_EVAL_CONFIDENCE,
      seed: run.spec.model.training.seed,
      threshold: 0.5,
      minGroupSize: this.config.ASSAY_EVAL_MIN_GROUP_SIZE,
      exampleExplanations: this.config.ASSAY_EVAL_EXAMPLE_EXPLANATIONS,
      permutationRepeats: 5,
    };
    const meter = new EnergyMeter({
      ...(this.config.ASSAY_ENERGY_TDP_PER_CORE_W ? { tdpPerCoreW: this.config.ASSAY_ENERGY_TDP_PER_CORE_W } : {}),
      pue: this.config.ASSAY_ENERGY_PUE,
      ...(this.config.ASSAY_GRID_INTENSITY ? { gridIntensity: this.config.ASSAY_GRID_INTENSITY } : {}),
    });
    const { result: assessment, measurement } = await meter.measure(async () =>
      assessModel(
        {
          model: context.model,
          preprocessor: context.preprocessor,
          train: { table: context.tables.get('train')!, encoded: context.encoded.get('train')! },
          test: { table: testTable, encoded: testEncoded },
          sensitiveAttributes: await this.sensitiveAttributes(run.inputs.sourceVersionId),
          imageModel: run.spec.model.type === 'cnn',
          runStep,
        },
        settings,
      ),
    );
    const split = { role: 'test' as const, versionId: test.versionId, tableDigest: test.tableDigest, rows: test.rows };
    // Saliency PNGs are artifacts (content-addressed); their evidence names the digest.
    const saliency: { row: number; pngDigest: string; map: SaliencyMap }[] = [];
    for (const example of assessment.saliency) {
      const { digest } = await this.artifacts.put(example.png);
      saliency.push({ row: example.row, pngDigest: digest, map: example.map });
    }
    return {
      record: (tx, completed) => this.record(tx, context, completed, { assessment, measurement, split, settings, saliency }),
    };
  }

  private async record(
    tx: EntityManager,
    context: TrainedModelContext,
    completed: EvidenceRecord,
    outcome: {
      assessment: ModelAssessment;
      measurement: EnergyMeasurement;
      split: Record<string, unknown>;
      settings: Record<string, unknown>;
      saliency: { row: number; pngDigest: string; map: SaliencyMap }[];
    },
  ): Promise<EvidenceRecord[]> {
    const { run } = context;
    const { assessment, split } = outcome;
    const base = { runId: run.id, modelDigest: context.modelDigest, trainingEvidence: completed.digest };
    const write = (kind: string, body: Record<string, unknown>) =>
      this.evidence.record(tx, {
        kind,
        subject: { type: 'training_run', id: run.id },
        actor: systemActor('worker'),
        subjectOwnerId: run.owner_id,
        body: json(body),
      });
    const records = [
      await write('energy.measured', { stage: 'evaluation', subject: { type: 'training_run', id: run.id }, measurement: outcome.measurement }),
      await write('evaluation.completed', { ...base, split, classes: assessment.classes, evaluation: assessment.evaluation, settings: outcome.settings }),
      await write('fairness.assessed', { ...base, split, ...assessment.fairness }),
      await write('robustness.assessed', { ...base, split, report: assessment.robustness }),
      await write('explanation.generated', { ...base, split, scope: 'global', explanation: assessment.importance }),
    ];
    records.push(
      await write('privacy.attack-assessed', { ...base, split, membersSplit: membersSplit(run), ...assessment.membership }),
    );
    for (const example of assessment.examples) records.push(await write('explanation.generated', { ...base, split, scope: 'example', explanation: example }));
    for (const map of outcome.saliency) records.push(await write('explanation.generated', { ...base, split, scope: 'example', explanation: map }));
    return records;
  }

  /** The datasheet's sensitive attributes, from the version that was split (where datasheets are written). */
  private async sensitiveAttributes(versionId: string): Promise<string[]> {
    const version = await this.db.getRepository(DatasetVersion).findOneBy({ id: versionId });
    const sheet = version ? await this.datasheets.latest(version) : null;
    const listed = (sheet as { composition?: { sensitiveAttributes?: unknown } } | null)?.composition?.sensitiveAttributes;
    return Array.isArray(listed) ? listed.filter((name): name is string => typeof name === 'string') : [];
  }
}
