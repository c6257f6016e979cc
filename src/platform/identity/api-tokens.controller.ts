import { Body, Controller, Delete, Get, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { PageQueryDto } from '../http/pagination';
import { Allow, Auth } from '../access/access.decorators';
import { ApiTokenPageDto, ApiTokenResponseDto, CreateApiTokenDto, CreatedApiTokenDto } from './api-token.dto';
import { ApiTokensService } from './api-tokens.service';
import type { AuthContext } from '../access/auth-context';

@ApiTags('tokens')
@ApiBearerAuth()
@Controller('tokens')
export class ApiTokensController {
  constructor(private readonly tokens: ApiTokensService) {}

  @Get()
  @Allow('read', 'ApiToken')
  @ApiOkResponse({ type: ApiTokenPageDto })
  list(@Auth() auth: AuthContext, @Query() page: PageQueryDto): Promise<ApiTokenPageDto> {
    return this.tokens.list(auth, page);
  }

  @Post()
  @Allow('create', 'ApiToken')
  @ApiCreatedResponse({ type: CreatedApiTokenDto })
  create(@Auth() auth: AuthContext, @Body() dto: CreateApiTokenDto): Promise<CreatedApiTokenDto> {
    return this.tokens.create(auth, dto.name, dto.expiresInDays);
  }

  @Delete(':id')
  @Allow('delete', 'ApiToken')
  @ApiOkResponse({ type: ApiTokenResponseDto, description: 'Revokes the token (it stays listed, revoked).' })
  revoke(@Auth() auth: AuthContext, @Param('id', ParseUUIDPipe) id: string): Promise<ApiTokenResponseDto> {
    return this.tokens.revoke(auth, id);
  }
}
