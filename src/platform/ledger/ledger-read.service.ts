import { Injectable } from '@nestjs/common';
import { accessibleActorId } from '../access/ability.factory';
import type { AuthContext } from '../access/auth-context';
import { AssayException } from '../errors/assay.exception';
import { DEFAULT_PAGE_LIMIT } from '../http/pagination';
import type { ConsistencyProofDto, InclusionProofDto, LedgerEntriesQueryDto, LedgerEntryPageDto } from './ledger.dto';
import { LedgerService } from './ledger.service';

/**
 * Read access to the ledger per the role matrix. Proofs and checkpoints carry only hashes and
 * are open to every reader; entries are filtered to the caller's own actions where the matrix
 * says "own subjects".
 */
@Injectable()
export class LedgerReadService {
  constructor(private readonly ledger: LedgerService) {}

  async entries(auth: AuthContext, query: LedgerEntriesQueryDto): Promise<LedgerEntryPageDto> {
    const limit = query.limit ?? DEFAULT_PAGE_LIMIT;
    const items = await this.ledger.entries(query.from ?? 0, limit + 1, { actorId: this.actorFilter(auth) });
    const page = items.slice(0, limit);
    const last = page[page.length - 1];
    return { items: page, nextCursor: items.length > limit && last ? String(last.entry.index + 1) : null };
  }

  inclusionProof(index: number, treeSize: number): Promise<InclusionProofDto> {
    return this.ledger.inclusionProof(index, treeSize);
  }

  consistencyProof(from: number, to: number): Promise<ConsistencyProofDto> {
    return this.ledger.consistencyProof(from, to);
  }

  /** The access check of every entry read: refuses callers who may not read the ledger; the actor id they are limited to, if any. */
  actorFilter(auth: AuthContext): string | undefined {
    if (!auth.ability.can('read', 'Ledger')) throw new AssayException('ACCESS_DENIED', 'You may not read the ledger');
    return accessibleActorId(auth.ability, 'read', 'Ledger') ?? undefined;
  }

}
