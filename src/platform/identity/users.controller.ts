import { Body, Controller, Get, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { PageQueryDto } from '../http/pagination';
import { Allow, Auth } from '../access/access.decorators';
import type { AuthContext } from '../access/auth-context';
import { CreateUserDto, UpdateUserDto, UserPageDto, UserResponseDto } from './user.dto';
import { UsersService } from './users.service';

@ApiTags('users')
@ApiBearerAuth()
@Controller('users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Get()
  @Allow('read', 'User')
  @ApiOkResponse({ type: UserPageDto })
  list(@Auth() auth: AuthContext, @Query() page: PageQueryDto): Promise<UserPageDto> {
    return this.users.list(auth, page);
  }

  @Post()
  @Allow('create', 'User')
  @ApiOkResponse({ type: UserResponseDto })
  create(@Auth() auth: AuthContext, @Body() dto: CreateUserDto): Promise<UserResponseDto> {
    return this.users.create(auth, dto);
  }

  @Get(':id')
  @Allow('read', 'User')
  @ApiOkResponse({ type: UserResponseDto })
  get(@Auth() auth: AuthContext, @Param('id', ParseUUIDPipe) id: string): Promise<UserResponseDto> {
    return this.users.get(auth, id);
  }

  @Patch(':id')
  @Allow('update', 'User')
  @ApiOkResponse({ type: UserResponseDto })
  update(
    @Auth() auth: AuthContext,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: UpdateUserDto,
  ): Promise<UserResponseDto> {
    return this.users.update(auth, id, dto);
  }
}
