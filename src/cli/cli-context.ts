import { NestFactory } from '@nestjs/core';
import type { INestApplicationContext } from '@nestjs/common';
import { AppModule } from '../app.module';
import type { AssayConfig } from '../platform/config/config.schema';

/** Runs `work` against the application's services without serving HTTP, then closes everything. */
export async function withAppContext<T>(config: AssayConfig, work: (app: INestApplicationContext) => Promise<T>): Promise<T> {
  const app = await NestFactory.createApplicationContext(AppModule.forRoot({ ...config, ASSAY_LOG_LEVEL: 'warn' }), {
    logger: ['error', 'warn'],
    abortOnError: false,
  });
  try {
    return await work(app);
  } finally {
    await app.close();
  }
}
