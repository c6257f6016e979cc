import { sign } from 'node:crypto';
import {
  Inject,
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ASSAY_CONFIG } from '../config/config.module';
import type { AssayConfig } from '../config/config.schema';
import { LedgerService } from './ledger.service';
import { loadSigningKey, type LoadedSigningKey } from './signing-key';
import { encodeVerifierKey, rawPublicKey, signCheckpoint } from './verification';

export interface PublicKeyInfo {
  keyName: string;
  keyId: string;
  algorithm: 'Ed25519';
  publicKey: string;
  verifierKey: string;
}

/**
 * Signs checkpoints (C2SP tlog-checkpoint) over the ledger: at most one per
 * ASSAY_CHECKPOINT_INTERVAL_MS while it grows, and on demand. Every key that ever signed is
 * kept in ledger_keys so that old checkpoints stay verifiable after a key rotation.
 */
@Injectable()
export class CheckpointService implements OnModuleInit, BeforeApplicationShutdown, OnApplicationShutdown {
  private readonly logger = new Logger(CheckpointService.name);
  private key!: LoadedSigningKey;
  private info!: PublicKeyInfo;
  private timer: NodeJS.Timeout | undefined;
  private pending = false;
  private publishing: Promise<string> | undefined;
  private unsubscribe: (() => void) | undefined;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly ledger: LedgerService,
    @Inject(ASSAY_CONFIG) private readonly config: AssayConfig,
  ) {}

  async onModuleInit(): Promise<void> {
    this.key = loadSigningKey(this.config);
    const { name, keyId } = this.key.key;
    const publicKey = rawPublicKey(this.key.key.publicKey);
    this.info = {
      keyName: name,
      keyId: keyId.toString(16).padStart(8, '0'),
      algorithm: 'Ed25519',
      publicKey: publicKey.toString('base64'),
      verifierKey: encodeVerifierKey(this.key.key),
    };
    if (this.key.source === 'generated') this.logger.warn({ file: this.key.file }, 'generated a new ledger signing key');
    await this.db.query(
      `INSERT INTO ledger_keys (key_id, key_name, public_key, verifier_key) VALUES ($1, $2, $3, $4) ON CONFLICT (key_id) DO NOTHING`,
      [this.info.keyId, name, publicKey, this.info.verifierKey],
    );
    this.unsubscribe = this.ledger.onAppend(() => this.schedule());
  }

  /** Sign what was appended since the last checkpoint before the database closes. */
  async beforeApplicationShutdown(): Promise<void> {
    if (!this.pending) return;
    if (this.timer) clearTimeout(this.timer);
    this.pending = false;
    await this.latest().catch((error: unknown) => this.logger.error({ err: error }, 'final checkpoint failed'));
  }

  onApplicationShutdown(): void {
    this.unsubscribe?.();
    if (this.timer) clearTimeout(this.timer);
  }

  publicKey(): PublicKeyInfo {
    return this.info;
  }

  /**
   * An Ed25519 signature with the ledger key over `message`, for statements the instance makes
   * about its ledger (evidence bundle manifests sign DSSE's pre-authentication encoding, which
   * cannot be mistaken for a signed note). The private key never leaves this service.
   */
  sign(message: Uint8Array): Buffer {
    return sign(null, message, this.key.key.privateKey);
  }

  /** The checkpoint for the current tree, signed now if the latest one is older. */
  async latest(): Promise<string> {
    this.publishing ??= this.publish().finally(() => (this.publishing = undefined));
    return this.publishing;
  }

  /** A stored checkpoint of exactly `treeSize`, if one was published. */
  async atSize(treeSize: number): Promise<string | null> {
    const rows = await this.db.query<{ note: string }[]>(
      `SELECT note FROM ledger_checkpoints WHERE tree_size = $1 AND key_id = $2`,
      [treeSize, this.info.keyId],
    );
    return rows[0]?.note ?? null;
  }

  private schedule(): void {
    if (this.pending) return;
    this.pending = true;
    this.timer = setTimeout(() => {
      this.pending = false;
      this.latest().catch((error: unknown) => this.logger.error({ err: error }, 'checkpoint publication failed'));
    }, this.config.ASSAY_CHECKPOINT_INTERVAL_MS);
    this.timer.unref();
  }

  private async publish(): Promise<string> {
    // Size and root from one snapshot; a concurrent append only makes the next checkpoint larger.
    return this.db.transaction('REPEATABLE READ', async (tx) => {
      const size = await this.ledger.size(tx);
      const existing = await tx.query<{ note: string }[]>(
        `SELECT note FROM ledger_checkpoints WHERE tree_size = $1 AND key_id = $2`,
        [size, this.info.keyId],
      );
      if (existing[0]) return existing[0].note;
      const rootHash = await this.ledger.root(size, tx);
      const note = signCheckpoint({ origin: this.config.ASSAY_LEDGER_ORIGIN, size, rootHash }, this.key.key);
      // Ed25519 is deterministic: another process signing the same (size, root) writes the same note.
      await tx.query(
        `INSERT INTO ledger_checkpoints (tree_size, key_id, root_hash, note) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`,
        [size, this.info.keyId, rootHash, note],
      );
      return note;
    });
  }
}
