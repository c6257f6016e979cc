import type { TracingHandle } from './tracing';

/** Longest a dying process waits for its last spans to reach the collector. */
export const FLUSH_TIMEOUT_MS = 5_000;

/** Settles when `work` does or after `ms`, whichever comes first (never rejects). */
export function settleWithin(work: Promise<unknown>, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    work.then(
      () => (clearTimeout(timer), resolve()),
      () => (clearTimeout(timer), resolve()),
    );
  });
}

/**
 * Exports the queued spans before the process ends, which happens in one of two ways:
 *
 * - The event loop runs dry (a one-shot command; or `serve` after Nest's shutdown hooks closed the
 *   server and the database on SIGTERM): on `beforeExit` the provider is shut down, which keeps the
 *   process alive until the last batch is sent (or FLUSH_TIMEOUT_MS passed).
 * - A signal the process dies of. Nest's shutdown hooks (`serve`, `worker`) listen to SIGTERM and
 *   SIGINT too: they stop the application, unsubscribe and raise the signal again. While such a
 *   listener is attached this one stands aside — so the spans of the graceful shutdown itself (a
 *   run handed back) are exported too, and a second signal during it changes nothing. When it is
 *   the only listener left it shuts the provider down, steps aside and raises the signal again, so
 *   the process still ends the way the signal says.
 */
export function flushTracingAtExit(handle: TracingHandle, signals: readonly NodeJS.Signals[] = ['SIGTERM', 'SIGINT']): void {
  const finish = () => settleWithin(handle.shutdown(), FLUSH_TIMEOUT_MS);
  const onSignal = (signal: NodeJS.Signals) => {
    if (process.listenerCount(signal) > 1) return;
    for (const each of signals) process.removeListener(each, onSignal);
    void finish().then(() => process.kill(process.pid, signal));
  };
  for (const signal of signals) process.on(signal, onSignal);
  process.once('beforeExit', () => void finish());
}
