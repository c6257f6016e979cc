import { Module, type OnModuleInit } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { EvidenceKindRegistry } from '../evidence/evidence-kind.registry';
import { IDENTITY_EVIDENCE_KINDS } from './identity.evidence-kinds';
import { ApiToken } from './api-token.entity';
import { ApiTokensController } from './api-tokens.controller';
import { ApiTokensService } from './api-tokens.service';
import { AuthController } from './auth.controller';
import { AuthGuard } from './auth.guard';
import { AuthService } from './auth.service';
import { BootstrapAdminService } from './bootstrap-admin.service';
import { Session } from './session.entity';
import { SettingsController } from './settings.controller';
import { SignInAttempt } from './sign-in-attempt.entity';
import { User } from './user.entity';
import { UsersController } from './users.controller';
import { UsersService } from './users.service';

@Module({
  imports: [TypeOrmModule.forFeature([User, ApiToken, Session, SignInAttempt])],
  controllers: [AuthController, UsersController, ApiTokensController, SettingsController],
  providers: [AuthService, UsersService, ApiTokensService, BootstrapAdminService, { provide: APP_GUARD, useClass: AuthGuard }],
  exports: [AuthService, UsersService, ApiTokensService, BootstrapAdminService],
})
export class IdentityModule implements OnModuleInit {
  constructor(private readonly kinds: EvidenceKindRegistry) {}

  onModuleInit(): void {
    this.kinds.register(...IDENTITY_EVIDENCE_KINDS);
  }
}
