import { Controller, Get, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Allow } from '../../platform/access/access.decorators';
import type { PackDescription } from '../policy';
import { PolicyPacksService } from './policy-packs.service';

/** The policy packs in force: ids, versions, digests, parameters and every rule with its citation. */
@ApiTags('policies')
@ApiBearerAuth()
@Controller('policies')
export class PoliciesController {
  constructor(private readonly packs: PolicyPacksService) {}

  @Get()
  @Allow('read', 'Policy')
  @ApiOkResponse({ description: 'Every loaded pack with its version and digest.' })
  list(): { items: PackDescription[] } {
    return { items: this.packs.list() };
  }

  @Get(':pack')
  @Allow('read', 'Policy')
  get(@Param('pack') pack: string): PackDescription {
    return this.packs.get(pack);
  }
}
