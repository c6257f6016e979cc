/**
 * Node.js process metrics (CPU, memory, heap, event-loop lag, GC, handles) under their standard
 * names (`process_*`, `nodejs_*`), which the usual Node.js dashboards and alerts expect.
 *
 * They describe the process, not one application in it, so they live in one registry per process,
 * created on first use: `collectDefaultMetrics` starts a GC observer and an event-loop monitor
 * that cannot be stopped, and creating them per application would leak one of each for every
 * application a process boots (the e2e suite boots dozens). It is not prom-client's global
 * registry, which libraries may write into.
 */
import { collectDefaultMetrics, Registry } from 'prom-client';

let registry: Registry | undefined;

export function processMetricsRegistry(): Registry {
  if (!registry) {
    registry = new Registry();
    collectDefaultMetrics({ register: registry });
  }
  return registry;
}
