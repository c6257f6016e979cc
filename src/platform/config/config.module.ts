import { Global, Module, type DynamicModule } from '@nestjs/common';
import type { AssayConfig } from './config.schema';

/** Injection token for the validated configuration. */
export const ASSAY_CONFIG = Symbol('ASSAY_CONFIG');

@Global()
@Module({})
export class ConfigModule {
  static forRoot(config: AssayConfig): DynamicModule {
    return { module: ConfigModule, providers: [{ provide: ASSAY_CONFIG, useValue: config }], exports: [ASSAY_CONFIG] };
  }
}
