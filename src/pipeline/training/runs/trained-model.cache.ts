import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import type * as tf from '@tensorflow/tfjs';
import { ArtifactStore } from '../../../platform/artifacts/artifact-store';
import { readTableArtifact } from '../../datasets/table-artifact';
import { loadModel } from '../model';
import { FittedPreprocessor, type TransformedTable } from '../preprocessing';
import { TrainingEngine } from './training-engine';
import type { RunResult, RunInputs } from './training-run.record';

export interface LoadedModel {
  modelDigest: string;
  model: tf.LayersModel;
  preprocessor: FittedPreprocessor;
  /** The training split, encoded: background rows for explanations. Loaded on first request. */
  trainingRows(): Promise<TransformedTable>;
}

const CAPACITY = 8;

/**
 * Models of finished runs, loaded from their content-addressed artifacts once and kept (least
 * recently used first out): explanations, reports and — later — serving read them from here.
 */
@Injectable()
export class TrainedModelCache implements OnApplicationShutdown {
  private readonly entries = new Map<string, Promise<LoadedModel>>();

  constructor(
    private readonly artifacts: ArtifactStore,
    private readonly engine: TrainingEngine,
  ) {}

  get(result: RunResult, inputs: RunInputs): Promise<LoadedModel> {
    const key = result.modelDigest;
    let entry = this.entries.get(key);
    if (entry) {
      this.entries.delete(key);
      this.entries.set(key, entry);
      return entry;
    }
    entry = this.load(result, inputs);
    entry.catch(() => this.entries.delete(key));
    this.entries.set(key, entry);
    while (this.entries.size > CAPACITY) {
      const [oldest, loaded] = this.entries.entries().next().value as [string, Promise<LoadedModel>];
      this.entries.delete(oldest);
      void loaded.then(
        (m) => m.model.dispose(),
        () => undefined,
      );
    }
    return entry;
  }

  private async load(result: RunResult, inputs: RunInputs): Promise<LoadedModel> {
    await this.engine.ready();
    const file = async (path: string) => {
      const artifact = result.artifacts.find((a) => a.path === path);
      if (!artifact) throw new Error(`The model ${result.modelDigest} has no ${path}`);
      return { path, bytes: new Uint8Array(await this.artifacts.read(artifact.digest)) };
    };
    const model = await loadModel([await file('model.json'), await file('weights.bin')]);
    const preprocessor = FittedPreprocessor.fromJSON(JSON.parse(Buffer.from((await file('preprocessor.json')).bytes).toString('utf8')));
    let training: Promise<TransformedTable> | undefined;
    const train = inputs.splits.find((split) => split.role === 'train')!;
    return {
      modelDigest: result.modelDigest,
      model,
      preprocessor,
      trainingRows: () => (training ??= readTableArtifact(this.artifacts, train.tableDigest).then((table) => preprocessor.transform(table))),
    };
  }

  async onApplicationShutdown(): Promise<void> {
    for (const entry of this.entries.values())
      await entry.then(
        (m) => m.model.dispose(),
        () => undefined,
      );
    this.entries.clear();
  }
}
