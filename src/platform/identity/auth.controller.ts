import { Body, Controller, Get, HttpCode, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { Auth, Authenticated, Public } from '../access/access.decorators';
import type { AuthContext } from '../access/auth-context';
import { MeResponseDto, SignInDto, SignInResponseDto } from './auth.dto';
import { AuthService } from './auth.service';

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Post('sign-in')
  @HttpCode(200)
  @Public()
  @ApiOkResponse({ type: SignInResponseDto })
  async signIn(@Body() dto: SignInDto, @Req() request: Request): Promise<SignInResponseDto> {
    const result = await this.auth.signIn(dto.email, dto.password, request.ip ?? 'unknown');
    return { ...result, expiresAt: result.expiresAt.toISOString() };
  }

  @Post('sign-out')
  @HttpCode(204)
  @Authenticated()
  @ApiBearerAuth()
  signOut(@Auth() auth: AuthContext): Promise<void> {
    return this.auth.signOut(auth);
  }

  @Get('me')
  @Authenticated()
  @ApiBearerAuth()
  @ApiOkResponse({ type: MeResponseDto })
  me(@Auth() auth: AuthContext): MeResponseDto {
    return { user: auth.user, credentialType: auth.credential.type, rules: auth.ability.rules };
  }
}
