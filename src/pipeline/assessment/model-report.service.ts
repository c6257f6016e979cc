import { Injectable } from '@nestjs/common';
import type { AuthContext } from '../../platform/access/auth-context';
import { AssayException } from '../../platform/errors/assay.exception';
import { EvidenceService, type EvidenceRecord } from '../../platform/evidence/evidence.service';
import type { BinaryEvaluation, FairnessAssessment, LabelBalanceComparison, MulticlassEvaluation, RobustnessReport } from '../evaluation';
import type { EnergyMeasurement } from '../energy';
import type { PermutationImportanceResult, PredictionExplanation } from '../explainability';
import type { EpochMetrics } from '../training/model';
import type { TrainingRunRow } from '../training/runs/training-run.record';
import { TrainingRunsService } from '../training/runs/training-runs.service';
import { MODEL_REPORT_FORMAT, MODEL_REPORT_VERSION, type ModelReport } from './report/model-report';

/** Kinds a report is assembled from, in the order they are listed. */
const REPORT_KINDS = new Set([
  'training.completed',
  'energy.measured',
  'evaluation.completed',
  'fairness.assessed',
  'robustness.assessed',
  'explanation.generated',
]);

/**
 * The model report of a run, assembled only from its evidence records (DESIGN.md: nothing
 * downstream reads a stage's internals): the latest record of each kind about the run's model,
 * and the example explanations; request explanations (individual people's inputs) stay out.
 */
@Injectable()
export class ModelReportService {
  constructor(
    private readonly runs: TrainingRunsService,
    private readonly evidence: EvidenceService,
  ) {}

  async forRun(auth: AuthContext, runId: string, registration: { modelId: string; version: number; name: string } | null = null): Promise<ModelReport> {
    const run = await this.runs.findReadable(auth, runId);
    if (run.state !== 'succeeded' || !run.result) throw new AssayException('RUN_NOT_SUCCEEDED', `Run ${runId} has no model (it is ${run.state})`);
    const records = (await this.evidence.forSubject({ type: 'training_run', id: run.id })).filter((r) => REPORT_KINDS.has(r.kind));
    const modelDigest = run.result.modelDigest;
    const about = (record: EvidenceRecord) =>
      record.kind === 'training.completed' || record.kind === 'energy.measured' || record.body.modelDigest === modelDigest;
    const relevant = records.filter(about).filter((r) => !(r.kind === 'explanation.generated' && r.body.scope === 'request'));
    const latest = (kind: string) => relevant.filter((r) => r.kind === kind).at(-1)?.body;

    const completed = latest('training.completed') as
      { backend?: { name?: string }; seed?: number; history?: EpochMetrics[]; epochs?: { bestEpoch?: number | null } } | undefined;
    const evaluation = latest('evaluation.completed') as { classes?: string[]; evaluation?: BinaryEvaluation | MulticlassEvaluation } | undefined;
    const fairness = latest('fairness.assessed') as { assessment?: FairnessAssessment | null; labelBalance?: LabelBalanceComparison | null } | undefined;
    const robustness = latest('robustness.assessed') as { report?: RobustnessReport } | undefined;
    const explanations = relevant.filter((r) => r.kind === 'explanation.generated');
    const importance = explanations.find((r) => r.body.scope === 'global')?.body.explanation as PermutationImportanceResult | undefined;
    const examples = explanations.filter((r) => r.body.scope === 'example');
    const energy = relevant.filter((r) => r.kind === 'energy.measured');

    return {
      format: MODEL_REPORT_FORMAT,
      version: MODEL_REPORT_VERSION,
      generatedAt: new Date().toISOString(),
      model: {
        modelId: registration?.modelId ?? null,
        name: registration?.name ?? (run.name || `run ${run.id}`),
        version: registration?.version ?? null,
        runId: run.id,
        modelDigest,
        modelType: run.spec.model.type,
        backend: completed?.backend?.name ?? 'unknown',
        seed: completed?.seed ?? run.spec.model.training.seed,
        classes: evaluation?.classes ?? null,
      },
      datasets: datasets(run),
      training: completed?.history ? { history: completed.history, bestEpoch: completed.epochs?.bestEpoch ?? null } : null,
      evaluation: evaluation?.evaluation ?? null,
      fairness: fairness?.assessment ?? null,
      labelBalance: fairness?.labelBalance ?? null,
      robustness: robustness?.report ?? null,
      importance: importance ?? null,
      explanations:
        examples.length > 0 ? examples.map((r, i) => ({ label: `test example ${i + 1}`, explanation: r.body.explanation as PredictionExplanation })) : null,
      energy: energy.length > 0 ? energy.map((r) => ({ activity: String(r.body.stage), measurement: r.body.measurement as EnergyMeasurement })) : null,
      evidence: relevant.map((r) => ({ kind: r.kind, digest: r.digest, id: r.id, createdAt: r.createdAt })),
    };
  }
}

function datasets(run: TrainingRunRow): ModelReport['datasets'] {
  return run.inputs.splits.map((split) => ({
    role: split.role === 'train' ? 'training' : split.role,
    name: `dataset ${run.inputs.datasetId}`,
    datasetId: run.inputs.datasetId,
    version: split.version,
    digest: split.tableDigest,
  }));
}
