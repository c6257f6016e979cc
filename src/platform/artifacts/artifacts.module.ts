import { S3Client } from '@aws-sdk/client-s3';
import { Global, Module } from '@nestjs/common';
import { join } from 'node:path';
import { ASSAY_CONFIG } from '../config/config.module';
import type { AssayConfig } from '../config/config.schema';
import { ArtifactStore } from './artifact-store';
import { FilesystemArtifactStore } from './filesystem-artifact.store';
import { S3ArtifactStore } from './s3-artifact.store';

/** The artifact store ASSAY_ARTIFACT_STORE names: the filesystem under the data directory, or an S3 bucket. */
export function createArtifactStore(config: AssayConfig): ArtifactStore {
  if (config.ASSAY_ARTIFACT_STORE !== 's3') return new FilesystemArtifactStore(join(config.ASSAY_DATA_DIR, 'artifacts'));
  const client = new S3Client({
    // Unset: the SDK's chain (AWS_REGION, ~/.aws/config). S3-compatible services mostly ignore it.
    region: config.ASSAY_S3_REGION ?? (config.ASSAY_S3_ENDPOINT ? 'us-east-1' : undefined),
    endpoint: config.ASSAY_S3_ENDPOINT,
    forcePathStyle: config.ASSAY_S3_FORCE_PATH_STYLE,
    // Unset: the SDK's default credential chain (environment, shared files, SSO, web identity, ECS/EC2).
    credentials:
      config.AWS_ACCESS_KEY_ID && config.AWS_SECRET_ACCESS_KEY
        ? { accessKeyId: config.AWS_ACCESS_KEY_ID, secretAccessKey: config.AWS_SECRET_ACCESS_KEY, sessionToken: config.AWS_SESSION_TOKEN }
        : undefined,
    // The store sends its own SHA-256 with every upload; the SDK's default CRC32 trailers
    // (aws-chunked encoding) are not understood by every S3-compatible service.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  return new S3ArtifactStore({
    client,
    bucket: config.ASSAY_S3_BUCKET!,
    prefix: config.ASSAY_S3_PREFIX,
    // Writes larger than a part wait here, on local disk, until they are committed.
    stagingDir: join(config.ASSAY_DATA_DIR, 's3-staging'),
  });
}

@Global()
@Module({
  providers: [{ provide: ArtifactStore, inject: [ASSAY_CONFIG], useFactory: createArtifactStore }],
  exports: [ArtifactStore],
})
export class ArtifactsModule {}
