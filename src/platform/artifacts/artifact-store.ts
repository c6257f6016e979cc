import type { Readable } from 'node:stream';

/** A write in progress: bytes are hashed as they arrive and become visible only on commit. */
export interface ArtifactWriter {
  write(chunk: Buffer): Promise<void>;
  /** Makes the artifact addressable by its SHA-256; returns `sha256:<hex>` and its size. */
  commit(): Promise<{ digest: string; size: number }>;
  /** Discards everything written (idempotent). */
  abort(): Promise<void>;
}

/**
 * Content-addressed storage for raw uploads, parsed tables, models and reports. The filesystem
 * implementation is the default; an object store (S3) implements the same interface.
 */
export abstract class ArtifactStore {
  abstract writer(): ArtifactWriter;
  abstract open(digest: string): Promise<Readable>;
  abstract has(digest: string): Promise<boolean>;
}
