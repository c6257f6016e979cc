/**
 * Tracing for the `assay` process, started before anything else is loaded: the CLI entry point
 * imports this module first, so that the http and pg instrumentations hook `require` before
 * Express, node-postgres and TypeORM are loaded. An invalid configuration leaves tracing off
 * here; main() then reports it and exits 78.
 */
import { loadConfig } from '../../config/config.loader';
import { flushTracingAtExit } from './shutdown';
import { startTracingFromConfig, TRACING_DISABLED, type TracingHandle } from './tracing';

function start(): TracingHandle {
  let config;
  try {
    config = loadConfig(process.env);
  } catch {
    return TRACING_DISABLED;
  }
  const handle = startTracingFromConfig(config, process.argv[2]);
  if (handle.enabled) flushTracingAtExit(handle);
  return handle;
}

export const tracing: TracingHandle = start();
