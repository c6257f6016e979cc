import { BadRequestException, Body, Controller, Delete, Get, HttpCode, Param, ParseIntPipe, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Allow, Auth } from '../../platform/access/access.decorators';
import type { AuthContext } from '../../platform/access/auth-context';
import type { Page } from '../../platform/http/pagination';
import { AliasesService, type AliasMoveView, type AliasView } from './aliases.service';
import { DecisionDto, DemoteDto, PromotionPageQueryDto, PromotionRequestDto, RevokeWaiverDto, WaiverDto, WaiverQueryDto } from './promotion.dto';
import { STAGES, type PromotionView, type Stage } from './promotion.record';
import { PromotionsService, type PromotionPreview } from './promotions.service';
import { WaiversService, type WaiverView } from './waivers.service';

const stage = (alias: string): Stage => {
  if (!(STAGES as readonly string[]).includes(alias)) throw new BadRequestException(`alias must be one of ${STAGES.join(', ')}`);
  return alias as Stage;
};

/** The promotion gate over HTTP: requests and their decisions, approvals, aliases and waivers. */
@ApiTags('promotion')
@ApiBearerAuth()
@Controller()
export class PromotionsController {
  constructor(
    private readonly promotions: PromotionsService,
    private readonly aliases: AliasesService,
    private readonly waivers: WaiversService,
  ) {}

  @Post('models/:id/versions/:version/promotions')
  @Allow('create', 'Promotion')
  @ApiCreatedResponse({ description: 'The request with its policy decision: blocked at once, or pending a compliance officer.' })
  request(
    @Auth() auth: AuthContext,
    @Param('id', ParseUUIDPipe) id: string,
    @Param('version', ParseIntPipe) version: number,
    @Body() dto: PromotionRequestDto,
  ): Promise<PromotionView> {
    return this.promotions.request(auth, id, version, dto.targetStage);
  }

  @Post('models/:id/versions/:version/promotions/preview')
  @HttpCode(200)
  @Allow('create', 'Promotion')
  @ApiOkResponse({ description: 'A dry run: the evidence document and the decision, nothing recorded.' })
  preview(
    @Auth() auth: AuthContext,
    @Param('id', ParseUUIDPipe) id: string,
    @Param('version', ParseIntPipe) version: number,
    @Body() dto: PromotionRequestDto,
  ): Promise<PromotionPreview> {
    return this.promotions.preview(auth, id, version, dto.targetStage);
  }

  @Get('promotions')
  @Allow('read', 'Promotion')
  list(@Auth() auth: AuthContext, @Query() query: PromotionPageQueryDto): Promise<Page<PromotionView>> {
    return this.promotions.page(auth, query);
  }

  @Get('promotions/:id')
  @Allow('read', 'Promotion')
  get(@Auth() auth: AuthContext, @Param('id', ParseUUIDPipe) id: string): Promise<PromotionView> {
    return this.promotions.get(auth, id);
  }

  @Get('promotions/:id/evidence-document')
  @Allow('read', 'Promotion')
  @ApiOkResponse({
    description: "The assay.evidence/v1 document the decision read, as stored (its digest is the decision's evidenceDigest): for offline replay.",
  })
  evidenceDocument(@Auth() auth: AuthContext, @Param('id', ParseUUIDPipe) id: string): Promise<Record<string, unknown>> {
    return this.promotions.evidenceDocument(auth, id);
  }

  @Post('promotions/:id/approve')
  @HttpCode(200)
  @Allow('approve', 'Promotion')
  @ApiOkResponse({ description: 'Approved: the alias moves in the same transaction. Never by the requester; concurrent decisions: exactly one wins.' })
  approve(@Auth() auth: AuthContext, @Param('id', ParseUUIDPipe) id: string, @Body() dto: DecisionDto): Promise<PromotionView> {
    return this.promotions.decide(auth, id, 'approved', dto.rationale);
  }

  @Post('promotions/:id/reject')
  @HttpCode(200)
  @Allow('approve', 'Promotion')
  reject(@Auth() auth: AuthContext, @Param('id', ParseUUIDPipe) id: string, @Body() dto: DecisionDto): Promise<PromotionView> {
    return this.promotions.decide(auth, id, 'rejected', dto.rationale);
  }

  @Get('models/:id/aliases')
  @Allow('read', 'Model')
  current(@Auth() auth: AuthContext, @Param('id', ParseUUIDPipe) id: string): Promise<AliasView[]> {
    return this.aliases.current(auth, id);
  }

  @Get('models/:id/aliases/history')
  @Allow('read', 'Model')
  history(@Auth() auth: AuthContext, @Param('id', ParseUUIDPipe) id: string): Promise<AliasMoveView[]> {
    return this.aliases.history(auth, id);
  }

  @Post('models/:id/aliases/:alias/demote')
  @HttpCode(200)
  @Allow('demote', 'Model')
  @ApiOkResponse({
    description:
      'The stop (EU AI Act Art. 14): the alias is removed, or rolled back to a version that held it; recorded with the reason. Returns the alias history.',
  })
  demote(@Auth() auth: AuthContext, @Param('id', ParseUUIDPipe) id: string, @Param('alias') alias: string, @Body() dto: DemoteDto): Promise<AliasMoveView[]> {
    return this.aliases.demote(auth, id, stage(alias), { reason: dto.reason, ...(dto.toVersion === undefined ? {} : { toVersion: dto.toVersion }) });
  }

  @Get('waivers')
  @Allow('read', 'Waiver')
  listWaivers(@Auth() auth: AuthContext, @Query() query: WaiverQueryDto): Promise<WaiverView[]> {
    return this.waivers.list(auth, query);
  }

  @Post('waivers')
  @Allow('create', 'Waiver')
  @ApiCreatedResponse({ description: 'A waiver of one waivable rule for one model version, with a justification and an expiry.' })
  grant(@Auth() auth: AuthContext, @Body() dto: WaiverDto): Promise<WaiverView> {
    return this.waivers.grant(auth, dto);
  }

  @Delete('waivers/:id')
  @Allow('delete', 'Waiver')
  @ApiOkResponse({ description: 'The waiver, revoked (recorded as waiver.revoked).' })
  revoke(@Auth() auth: AuthContext, @Param('id', ParseUUIDPipe) id: string, @Body() dto: RevokeWaiverDto): Promise<WaiverView> {
    return this.waivers.revoke(auth, id, dto.reason);
  }
}
