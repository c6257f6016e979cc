import { Module, type DynamicModule } from '@nestjs/common';
import { ConfigModule } from '../platform/config/config.module';
import type { AssayConfig } from '../platform/config/config.schema';
import { ConfigCommand } from './commands/config.command';
import { LedgerCommand, LedgerVerifyCommand } from './commands/ledger.command';
import { MigrateCommand } from './commands/migrate.command';
import { PolicyCommand, PolicyReplayCommand } from './commands/policy.command';
import { ServeCommand } from './commands/serve.command';
import { TrainCommand } from './commands/train.command';
import { WorkerCommand } from './commands/worker.command';
import { TokenCommand, TokenCreateCommand, TokenRevokeCommand } from './commands/token.command';
import { UserCommand, UserCreateCommand } from './commands/user.command';
import { VerifyCommand } from './commands/verify.command';
import { VerifyDecisionCommand } from './commands/verify-decision.command';
import { DemoCommand } from './commands/demo.command';

@Module({})
export class CliModule {
  static forRoot(config: AssayConfig): DynamicModule {
    return {
      module: CliModule,
      imports: [ConfigModule.forRoot(config)],
      providers: [
        ServeCommand,
        WorkerCommand,
        TrainCommand,
        MigrateCommand,
        ConfigCommand,
        UserCommand,
        UserCreateCommand,
        TokenCommand,
        TokenCreateCommand,
        TokenRevokeCommand,
        LedgerCommand,
        LedgerVerifyCommand,
        PolicyCommand,
        PolicyReplayCommand,
        VerifyCommand,
        VerifyDecisionCommand,
        DemoCommand,
      ],
    };
  }
}
