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
  /**
   * Removes an artifact (idempotent). Content addressing means one artifact may serve several
   * records: callers delete only what they alone wrote and nothing recorded references.
   */
  abstract delete(digest: string): Promise<void>;

  /** The whole artifact in memory (models, checkpoints, manifests: small by construction). */
  async read(digest: string): Promise<Buffer> {
    const chunks: Buffer[] = [];
    for await (const chunk of await this.open(digest)) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  }

  /** Stores bytes; returns their address. */
  async put(bytes: Uint8Array): Promise<{ digest: string; size: number }> {
    const writer = this.writer();
    try {
      await writer.write(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
      return await writer.commit();
    } catch (error) {
      await writer.abort();
      throw error;
    }
  }
}
