import { Global, Module } from '@nestjs/common';
import { join } from 'node:path';
import { ASSAY_CONFIG } from '../config/config.module';
import type { AssayConfig } from '../config/config.schema';
import { ArtifactStore } from './artifact-store';
import { FilesystemArtifactStore } from './filesystem-artifact.store';

@Global()
@Module({
  providers: [
    {
      provide: ArtifactStore,
      inject: [ASSAY_CONFIG],
      useFactory: (config: AssayConfig) => new FilesystemArtifactStore(join(config.ASSAY_DATA_DIR, 'artifacts')),
    },
  ],
  exports: [ArtifactStore],
})
export class ArtifactsModule {}
