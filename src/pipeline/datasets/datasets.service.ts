import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { accessibleWhere, asSubject, type Action } from '../../platform/access/ability.factory';
import type { AuthContext } from '../../platform/access/auth-context';
import { AssayException } from '../../platform/errors/assay.exception';
import { EvidenceService } from '../../platform/evidence/evidence.service';
import { paginate, type Page, type PageQueryDto } from '../../platform/http/pagination';
import { userActor } from '../../platform/ledger/actor';
import type { CreateDatasetDto, DatasetResponseDto } from './dataset.dto';
import { Dataset } from './dataset.entity';

export const toDatasetResponse = (dataset: Dataset): DatasetResponseDto => ({
  id: dataset.id,
  name: dataset.name,
  description: dataset.description,
  ownerId: dataset.ownerId,
  createdAt: dataset.createdAt.toISOString(),
  updatedAt: dataset.updatedAt.toISOString(),
});

@Injectable()
export class DatasetsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly evidence: EvidenceService,
  ) {}

  async create(auth: AuthContext, dto: CreateDatasetDto): Promise<DatasetResponseDto> {
    if (!auth.ability.can('create', 'Dataset')) throw new AssayException('ACCESS_DENIED', 'You may not register datasets');
    return this.db.transaction(async (tx) => {
      const repository = tx.getRepository(Dataset);
      const taken = await repository
        .createQueryBuilder('d')
        .where('d.ownerId = :owner AND lower(d.name) = lower(:name)', { owner: auth.user.id, name: dto.name })
        .getExists();
      if (taken) throw new AssayException('DATASET_NAME_TAKEN', `You already have a dataset named ${dto.name}`);
      const { identifiers } = await repository.insert({ name: dto.name, description: dto.description ?? '', ownerId: auth.user.id });
      const dataset = await repository.findOneByOrFail({ id: identifiers[0]?.id as string });
      await this.evidence.record(tx, {
        kind: 'dataset.registered',
        subject: { type: 'dataset', id: dataset.id },
        actor: userActor(auth.user.id),
        body: { datasetId: dataset.id, name: dataset.name, ownerId: dataset.ownerId },
      });
      return toDatasetResponse(dataset);
    });
  }

  async list(auth: AuthContext, page: PageQueryDto): Promise<Page<DatasetResponseDto>> {
    const where = accessibleWhere(auth.ability, 'read', 'Dataset');
    if (where.length === 0) throw new AssayException('ACCESS_DENIED', 'You may not list datasets');
    const result = await paginate(this.db.getRepository(Dataset).createQueryBuilder('dataset').where(where), page);
    return { items: result.items.map(toDatasetResponse), nextCursor: result.nextCursor };
  }

  async get(auth: AuthContext, id: string): Promise<DatasetResponseDto> {
    return toDatasetResponse(await this.findAuthorized(auth, id, 'read'));
  }

  /** Loads a dataset and checks `action` on it (404 when absent, 403 when not allowed). */
  async findAuthorized(auth: AuthContext, id: string, action: Action, tx: EntityManager = this.db.manager): Promise<Dataset> {
    const dataset = await tx.getRepository(Dataset).findOneBy({ id });
    if (!dataset) throw new AssayException('DATASET_NOT_FOUND', `No dataset ${id}`);
    if (!auth.ability.can(action, asSubject('Dataset', dataset))) {
      throw new AssayException('ACCESS_DENIED', `You may not ${action} this dataset`);
    }
    return dataset;
  }
}
