import {
  context,
  isSpanContextValid,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type Attributes,
  type Context,
  type Span,
  type TextMapGetter,
  type TextMapSetter,
} from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';

/**
 * The few tracing calls pipeline and governance code makes. Only `@opentelemetry/api` is behind
 * them: without a registered provider (no OTLP endpoint) every span is a no-op.
 */

export type { Span } from '@opentelemetry/api';

/** Assay's span attribute names: `assay.<subject>.<field>`, one name per id across stages. */
export const ATTR = {
  datasetId: 'assay.dataset.id',
  datasetVersionId: 'assay.dataset_version.id',
  rows: 'assay.dataset.rows',
  runId: 'assay.run.id',
  runAttempt: 'assay.run.attempt',
  runOutcome: 'assay.run.outcome',
  modelType: 'assay.model.type',
  modelDigest: 'assay.model.digest',
  modelId: 'assay.model.id',
  modelVersionId: 'assay.model_version.id',
  modelVersion: 'assay.model_version.number',
  promotionId: 'assay.promotion.id',
  targetStage: 'assay.promotion.target_stage',
  decision: 'assay.promotion.decision',
  policyOutcome: 'assay.policy.outcome',
  evidenceKind: 'assay.evidence.kind',
  evidenceDigest: 'assay.evidence.digest',
  evidenceId: 'assay.evidence.id',
  ledgerIndex: 'assay.ledger.index',
  subjectType: 'assay.subject.type',
  subjectId: 'assay.subject.id',
} as const;

/** The span event recorded for every evidence record written. */
export const EVIDENCE_EVENT = 'assay.evidence.recorded';

const tracer = () => trace.getTracer('assay');

/**
 * Runs `work` in a new INTERNAL span (a child of the active one, or of `parent`): the span ends
 * when `work` settles, and an error is recorded on it (status ERROR) before it is rethrown.
 */
export function withSpan<T>(name: string, attributes: Attributes, work: (span: Span) => Promise<T>, options: { parent?: Context } = {}): Promise<T> {
  return tracer().startActiveSpan(name, { kind: SpanKind.INTERNAL, attributes }, options.parent ?? context.active(), async (span) => {
    try {
      return await work(span);
    } catch (error) {
      span.recordException(error instanceof Error ? error : String(error));
      span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
      throw error;
    } finally {
      span.end();
    }
  });
}

/** Adds attributes to the active span (the request's, or a stage's), when there is one. */
export function annotateActiveSpan(attributes: Attributes): void {
  trace.getActiveSpan()?.setAttributes(attributes);
}

/** Adds an event to the active span, when there is one. */
export function addActiveSpanEvent(name: string, attributes: Attributes): void {
  trace.getActiveSpan()?.addEvent(name, attributes);
}

const w3c = new W3CTraceContextPropagator();
const setter: TextMapSetter<Record<string, string>> = { set: (carrier, key, value) => (carrier[key] = value) };
const getter: TextMapGetter<Record<string, string>> = { get: (carrier, key) => carrier[key], keys: (carrier) => Object.keys(carrier) };

/**
 * The active span as a W3C `traceparent` (Trace Context §3.2), to carry the trace into work that
 * runs later or elsewhere (a queued training run); null when nothing is being traced.
 */
export function activeTraceparent(): string | null {
  const span = trace.getActiveSpan();
  if (!span || !isSpanContextValid(span.spanContext())) return null;
  const carrier: Record<string, string> = {};
  w3c.inject(context.active(), carrier, setter);
  return carrier.traceparent ?? null;
}

/** A context whose parent is the span a `traceparent` names (ROOT_CONTEXT when it is absent or malformed). */
export function contextFromTraceparent(traceparent: string | null | undefined): Context {
  if (!traceparent) return ROOT_CONTEXT;
  return w3c.extract(ROOT_CONTEXT, { traceparent }, getter);
}
