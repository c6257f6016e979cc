import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { ASSAY_CONFIG } from '../../platform/config/config.module';
import type { AssayConfig } from '../../platform/config/config.schema';
import { AssayException } from '../../platform/errors/assay.exception';
import { describePack, formatProblem, loadPolicyPacks, PolicyError, type PackDescription, type PolicyPack } from '../policy';

/** Thrown at start when a pack is invalid: the message lists every problem with its file and line. */
export class PolicyPacksInvalidError extends Error {
  override readonly name = 'PolicyPacksInvalidError';
}

/**
 * The policy packs of ASSAY_POLICIES_DIR, loaded, validated (schema, CEL syntax and types against
 * the evidence document) and compiled once at start. An invalid pack stops the start: a gate
 * that silently skips a broken rule would let models through.
 */
@Injectable()
export class PolicyPacksService implements OnModuleInit {
  private readonly logger = new Logger(PolicyPacksService.name);
  private loaded: PolicyPack[] = [];

  constructor(@Inject(ASSAY_CONFIG) private readonly config: AssayConfig) {}

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
    this.logger.log(`Policy packs: ${this.loaded.map((pack) => `${pack.id}@${pack.version}`).join(', ') || 'none'}`);
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
