import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { AssayConfig } from '../config/config.schema';

export interface SigningKey {
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** Where it came from, for the settings inventory and the logs (never the key itself). */
  source: 'environment' | 'file' | 'generated';
  file?: string;
}

export class SigningKeyInvalidError extends Error {
  constructor(where: string, problem: string) {
    super(`The ledger signing key from ${where} is unusable: ${problem}`);
    this.name = 'SigningKeyInvalidError';
  }
}

function parse(pem: string, where: string): { privateKey: KeyObject; publicKey: KeyObject } {
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey({ key: pem, format: 'pem' });
  } catch (error) {
    throw new SigningKeyInvalidError(where, (error as Error).message);
  }
  if (privateKey.asymmetricKeyType !== 'ed25519') {
    throw new SigningKeyInvalidError(where, `expected an Ed25519 key, got ${privateKey.asymmetricKeyType ?? 'unknown'}`);
  }
  return { privateKey, publicKey: createPublicKey(privateKey) };
}

/**
 * The Ed25519 key that signs checkpoints: from ASSAY_LEDGER_SIGNING_KEY, else from
 * ASSAY_LEDGER_SIGNING_KEY_FILE, else from (or generated into) a 0600 file under the data dir.
 * Production deployments with several processes must share one key through the first two.
 */
export function loadSigningKey(
  config: Pick<AssayConfig, 'ASSAY_LEDGER_SIGNING_KEY' | 'ASSAY_LEDGER_SIGNING_KEY_FILE' | 'ASSAY_DATA_DIR'>,
): SigningKey {
  if (config.ASSAY_LEDGER_SIGNING_KEY) {
    return { ...parse(config.ASSAY_LEDGER_SIGNING_KEY, 'ASSAY_LEDGER_SIGNING_KEY'), source: 'environment' };
  }
  if (config.ASSAY_LEDGER_SIGNING_KEY_FILE) {
    const file = resolve(config.ASSAY_LEDGER_SIGNING_KEY_FILE);
    if (!existsSync(file)) throw new SigningKeyInvalidError(file, 'file not found');
    return { ...parse(readFileSync(file, 'utf8'), file), source: 'file', file };
  }
  const file = join(resolve(config.ASSAY_DATA_DIR), 'keys', 'ledger-ed25519.pem');
  if (existsSync(file)) return { ...parse(readFileSync(file, 'utf8'), file), source: 'file', file };
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const { privateKey } = generateKeyPairSync('ed25519');
  const pem = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
  try {
    // 'wx': if another process generated it a moment ago, use theirs.
    writeFileSync(file, pem, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return { ...parse(readFileSync(file, 'utf8'), file), source: 'file', file };
  }
  return { ...parse(pem, file), source: 'generated', file };
}
