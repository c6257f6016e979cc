import { Inject, Injectable } from '@nestjs/common';
import { ASSAY_CONFIG } from '../../../platform/config/config.module';
import type { AssayConfig } from '../../../platform/config/config.schema';
import { selectBackend, type BackendInfo } from '../engine';

/** The process's TensorFlow.js backend, chosen once (ASSAY_TRAINING_BACKEND) on first use. */
@Injectable()
export class TrainingEngine {
  private backend: Promise<BackendInfo> | undefined;

  constructor(@Inject(ASSAY_CONFIG) private readonly config: AssayConfig) {}

  ready(): Promise<BackendInfo> {
    this.backend ??= selectBackend(this.config.ASSAY_TRAINING_BACKEND);
    return this.backend;
  }
}
