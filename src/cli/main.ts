// First: tracing hooks `require` before http, pg and the rest are loaded.
import { tracing } from '../platform/observability/tracing/register';
import 'reflect-metadata';
import { CommandFactory } from 'nest-commander';
import { ConfigInvalidError, loadConfig } from '../platform/config/config.loader';
import { CliModule } from './cli.module';

/** Exit codes from sysexits(3), so that scripts can tell a bad setting from a crash. */
const EX_CONFIG = 78;
const EX_SOFTWARE = 70;

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigInvalidError) {
      process.stderr.write(`assay: ${error.message}\n`);
      process.exit(EX_CONFIG);
    }
    throw error;
  }
  await CommandFactory.run(CliModule.forRoot(config), {
    logger: ['error', 'warn'],
    errorHandler: (error) => fail(error),
    serviceErrorHandler: (error) => fail(error),
  });
  // One-shot commands end here; `serve` keeps running (a signal ends it, and flushes then).
  await tracing.flush();
}

function fail(error: unknown): never {
  const message = error instanceof Error ? error.message : String(error);
  // commander reports --help and --version as "errors" with these codes.
  const code = (error as { code?: string }).code;
  if (code === 'commander.helpDisplayed' || code === 'commander.version' || code === 'commander.help') process.exit(0);
  process.stderr.write(`assay: ${message}\n`);
  process.exit(EX_SOFTWARE);
}

main().catch(fail);
