import { generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { AssayConfig } from '../config/config.schema';
import { signingKeyFromPem, type NoteSigningKey } from './verification';

export interface LoadedSigningKey {
  key: NoteSigningKey;
  /** Where it came from, for the logs (never the key itself). */
  source: 'environment' | 'file' | 'generated';
  file?: string;
}

type KeyConfig = Pick<
  AssayConfig,
  'ASSAY_LEDGER_SIGNING_KEY' | 'ASSAY_LEDGER_SIGNING_KEY_FILE' | 'ASSAY_DATA_DIR' | 'ASSAY_LEDGER_ORIGIN'
>;

/**
 * The Ed25519 key that signs checkpoints, named after the log origin: from
 * ASSAY_LEDGER_SIGNING_KEY, else ASSAY_LEDGER_SIGNING_KEY_FILE, else a 0600 file under the data
 * dir, generated on first start. Several processes must share one key through the first two.
 */
export function loadSigningKey(config: KeyConfig): LoadedSigningKey {
  const name = config.ASSAY_LEDGER_ORIGIN;
  if (config.ASSAY_LEDGER_SIGNING_KEY) {
    return { key: signingKeyFromPem(name, config.ASSAY_LEDGER_SIGNING_KEY), source: 'environment' };
  }
  const configured = config.ASSAY_LEDGER_SIGNING_KEY_FILE;
  const file = configured ? resolve(configured) : join(resolve(config.ASSAY_DATA_DIR), 'keys', 'ledger-ed25519.pem');
  if (existsSync(file) || configured) return { key: signingKeyFromPem(name, readFileSync(file, 'utf8')), source: 'file', file };

  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const pem = generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
  try {
    // 'wx': if another process generated one a moment ago, use theirs.
    writeFileSync(file, pem, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return { key: signingKeyFromPem(name, readFileSync(file, 'utf8')), source: 'file', file };
  }
  return { key: signingKeyFromPem(name, pem), source: 'generated', file };
}
