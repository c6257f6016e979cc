import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { access, mkdir, open, rename, rm, type FileHandle } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { ArtifactStore, type ArtifactWriter } from './artifact-store';

const DIGEST = /^sha256:([0-9a-f]{64})$/;

/** Artifacts under <root>/sha256/<2 hex>/<62 hex>; writes go to <root>/tmp and are renamed into place. */
export class FilesystemArtifactStore extends ArtifactStore {
  private readonly root: string;

  constructor(root: string) {
    super();
    this.root = resolve(root);
  }

  writer(): ArtifactWriter {
    const hash = createHash('sha256');
    const temp = join(this.root, 'tmp', `${Date.now()}-${randomBytes(8).toString('hex')}`);
    let handle: FileHandle | undefined;
    let size = 0;
    let done = false;
    const ready = (async () => {
      await mkdir(join(this.root, 'tmp'), { recursive: true, mode: 0o700 });
      handle = await open(temp, 'wx', 0o600);
    })();
    return {
      write: async (chunk) => {
        await ready;
        hash.update(chunk);
        size += chunk.length;
        await handle!.write(chunk);
      },
      commit: async () => {
        await ready;
        done = true;
        await handle!.sync();
        await handle!.close();
        const hex = hash.digest('hex');
        const target = this.pathOf(hex);
        await mkdir(join(target, '..'), { recursive: true, mode: 0o700 });
        // Same content, same name: an existing artifact is identical, so either rename wins.
        await rename(temp, target);
        return { digest: `sha256:${hex}`, size };
      },
      abort: async () => {
        if (done) return;
        done = true;
        await ready.catch(() => undefined);
        await handle?.close().catch(() => undefined);
        await rm(temp, { force: true });
      },
    };
  }

  async open(digest: string): Promise<Readable> {
    const path = this.pathOf(this.hexOf(digest));
    await access(path);
    return createReadStream(path);
  }

  async delete(digest: string): Promise<void> {
    await rm(this.pathOf(this.hexOf(digest)), { force: true });
  }

  async has(digest: string): Promise<boolean> {
    try {
      await access(this.pathOf(this.hexOf(digest)));
      return true;
    } catch {
      return false;
    }
  }

  private hexOf(digest: string): string {
    const match = DIGEST.exec(digest);
    if (!match?.[1]) throw new Error(`Not an artifact digest: ${digest}`);
    return match[1];
  }

  private pathOf(hex: string): string {
    return join(this.root, 'sha256', hex.slice(0, 2), hex.slice(2));
  }
}
