import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ArtifactStore } from '../../platform/artifacts/artifact-store';
import { ASSAY_CONFIG } from '../../platform/config/config.module';
import type { AssayConfig } from '../../platform/config/config.schema';
import { AssayException } from '../../platform/errors/assay.exception';
import { describePack, formatProblem, loadPolicyPacks, PolicyError, type PackDescription, type PolicyPack } from '../policy';

/** Thrown at start when a pack is invalid: the message lists every problem with its file and line. */
export class PolicyPacksInvalidError extends Error {
  override readonly name = 'PolicyPacksInvalidError';
}

/** A file of a pack version as it was loaded. */
export interface PackSnapshotFile {
  path: string;
  digest: string;
  bytes: Buffer;
}

/**
 * The policy packs of ASSAY_POLICIES_DIR, loaded, validated (schema, CEL syntax and types against
 * the evidence document) and compiled once at start. An invalid pack stops the start: a gate
 * that silently skips a broken rule would let models through. Each loaded pack version is kept
 * (files in the artifact store, listed in `policy_pack_snapshots` by pack digest), so that an
 * evidence bundle can carry the exact files of every decision, whatever the folder holds today.
 */
@Injectable()
export class PolicyPacksService implements OnModuleInit {
  private readonly logger = new Logger(PolicyPacksService.name);
  private loaded: PolicyPack[] = [];

  constructor(
    @Inject(ASSAY_CONFIG) private readonly config: AssayConfig,
    @InjectDataSource() private readonly db: DataSource,
    private readonly artifacts: ArtifactStore,
  ) {}

  async onModuleInit(): Promise<void> {
    try {
      this.loaded = await loadPolicyPacks(this.config.ASSAY_POLICIES_DIR);
    } catch (error) {
      if (error instanceof PolicyError) {
        const lines = error.problems.length > 0 ? error.problems.map((problem) => `  ${formatProblem(problem)}`) : [];
        throw new PolicyPacksInvalidError(
          [`Policy packs in ${this.config.ASSAY_POLICIES_DIR} are invalid (${error.code}): ${error.message}`, ...lines].join('\n'),
        );
      }
      throw error;
    }
    for (const pack of this.loaded) await this.snapshot(pack);
    this.logger.log(`Policy packs: ${this.loaded.map((pack) => `${pack.id}@${pack.version}`).join(', ') || 'none'}`);
  }

  /** The files of the pack version with this digest, as loaded by this or an earlier start; null if never loaded here. */
  async snapshotFiles(digest: string): Promise<{ packId: string; version: string; files: PackSnapshotFile[] } | null> {
    const rows = await this.db.query<{ pack_id: string; version: string; files: Array<{ path: string; digest: string }> }[]>(
      `SELECT pack_id, version, files FROM policy_pack_snapshots WHERE digest = $1`,
      [digest],
    );
    const row = rows[0];
    if (!row) return null;
    const files = await Promise.all(row.files.map(async (file) => ({ ...file, bytes: await this.artifacts.read(file.digest) })));
    return { packId: row.pack_id, version: row.version, files };
  }

  /** Stores the pack's files, checking they are still the bytes the loader hashed. */
  private async snapshot(pack: PolicyPack): Promise<void> {
    const known = await this.db.query<unknown[]>(`SELECT 1 FROM policy_pack_snapshots WHERE digest = $1`, [pack.digest]);
    if (known.length > 0) return;
    for (const file of pack.files) {
      const bytes = await readFile(join(pack.directory, file.path));
      if (`sha256:${createHash('sha256').update(bytes).digest('hex')}` !== file.digest)
        throw new PolicyPacksInvalidError(`Policy pack ${pack.id}: ${file.path} changed while the packs were loading; start again`);
      await this.artifacts.put(bytes);
    }
    await this.db.query(
      `INSERT INTO policy_pack_snapshots (digest, pack_id, version, files) VALUES ($1, $2, $3, $4) ON CONFLICT (digest) DO NOTHING`,
      [pack.digest, pack.id, pack.version, JSON.stringify(pack.files)],
    );
  }

  get packs(): readonly PolicyPack[] {
    return this.loaded;
  }

  list(): PackDescription[] {
    return this.loaded.map(describePack);
  }

  get(id: string): PackDescription {
    const pack = this.loaded.find((candidate) => candidate.id === id);
    if (!pack) throw new AssayException('POLICY_PACK_NOT_FOUND', `No policy pack ${id}`);
    return describePack(pack);
  }
}
