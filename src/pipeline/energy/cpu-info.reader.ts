import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface CpuInfo {
  /** e.g. "Intel(R) Xeon(R) Gold 6248 CPU @ 2.50GHz"; "unknown" when /proc/cpuinfo has no model line. */
  model: string;
  /** Count of `processor` entries: logical CPUs the kernel has online. */
  logicalCpus?: number;
  /** Distinct (physical id, core id) pairs, when the architecture reports them (x86 does). */
  physicalCores?: number;
}

// Model line names by architecture (proc(5) leaves the format to each arch): x86 "model name";
// older 32-bit ARM "Processor"; MIPS "cpu model"; POWER "cpu"; some ARM boards only "Hardware".
const MODEL_KEYS = ['model name', 'Processor', 'cpu model', 'cpu', 'Hardware'];

/** Parses /proc/cpuinfo text: `key<TAB>: value` lines, one block per logical CPU. */
export function parseCpuInfo(text: string): CpuInfo {
  const firstValue = new Map<string, string>();
  let logicalCpus = 0;
  const cores = new Set<string>();
  let physicalId: string | undefined;
  for (const line of text.split('\n')) {
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const key = line.slice(0, colon).trim();
    const value = line.slice(colon + 1).trim();
    if (!firstValue.has(key) && value !== '') firstValue.set(key, value);
    // A "processor" line with a numeric value opens a logical CPU's block (on ARM "Processor" is the model).
    if (key === 'processor' && /^\d+$/.test(value)) {
      logicalCpus++;
      physicalId = undefined;
    }
    if (key === 'physical id') physicalId = value;
    if (key === 'core id') cores.add(`${physicalId ?? '0'}:${value}`);
  }
  const implementer = firstValue.get('CPU implementer');
  const part = firstValue.get('CPU part');
  // 64-bit ARM names no model at all, only implementer and part codes (Linux arch/arm64 cpuinfo).
  const armCodes = implementer !== undefined && part !== undefined ? `ARM implementer ${implementer} part ${part}` : undefined;
  const model = MODEL_KEYS.map((key) => firstValue.get(key)).find((value) => value !== undefined) ?? armCodes ?? 'unknown';
  return {
    model,
    ...(logicalCpus > 0 ? { logicalCpus } : {}),
    ...(cores.size > 0 ? { physicalCores: cores.size } : {}),
  };
}

/** Reads `<procRoot>/cpuinfo`; an unreadable file yields `{ model: 'unknown' }` rather than an error. */
export function readCpuInfo(procRoot: string): CpuInfo {
  try {
    return parseCpuInfo(readFileSync(join(procRoot, 'cpuinfo'), 'utf8'));
  } catch {
    return { model: 'unknown' };
  }
}
