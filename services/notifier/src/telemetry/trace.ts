// The notifier's spans, continuing the auditor's alert span (traceparent in the NATS header and in the
// alert itself, libs/events alertSchema):
// - `notifier.record`: one alert message read, validated and recorded for its channels (then acked).
// - `notifier.deliver`: one message to one channel (Slack, e-mail, console), all attempts included,
//   ending sent, dead or stopped. A grouped message answers several alerts, each of its own trace: it
//   gets one span in each of those traces, each linked to the others.
import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { Span } from '@opentelemetry/api';
import type { Alert } from '@hotstandby/events';
import {
  ATTR_HS_ALERT_ID,
  ATTR_HS_ALERT_KIND,
  ATTR_HS_ALERT_STATE,
  ATTR_HS_CHANNEL,
  ATTR_HS_OUTCOME,
  ATTR_MESSAGING_DESTINATION_NAME,
  ATTR_MESSAGING_SYSTEM,
  SPAN_NOTIFIER_DELIVER,
  SPAN_NOTIFIER_RECORD,
  contextFromTraceparent,
  linksFromTraceparents,
  traceparentFromHeaders,
} from '@hotstandby/telemetry';
import type { HeaderReader } from '@hotstandby/telemetry';

const tracer = () => trace.getTracer('@hotstandby/notifier');

function describe(err: unknown): string {
  return err instanceof Error ? err.message : JSON.stringify(err);
}

export interface EndableSpan {
  end(outcome: string, err?: unknown): void;
}

/** Starts `notifier.record` for a bus message (the alert's own traceparent if the header is missing). */
export function startRecordSpan(subject: string, headers: HeaderReader | undefined, alert: Alert | undefined): EndableSpan {
  const tp = traceparentFromHeaders(headers) ?? alert?.traceparent;
  const span = tracer().startSpan(
    SPAN_NOTIFIER_RECORD,
    {
      kind: SpanKind.CONSUMER,
      attributes: {
        [ATTR_MESSAGING_SYSTEM]: 'nats',
        [ATTR_MESSAGING_DESTINATION_NAME]: subject,
        ...(alert ? { [ATTR_HS_ALERT_ID]: alert.id, [ATTR_HS_ALERT_KIND]: alert.kind, [ATTR_HS_ALERT_STATE]: alert.state } : {}),
      },
    },
    contextFromTraceparent(tp),
  );
  return ender(span);
}

/**
 * Starts `notifier.deliver` for one message to one channel: one span per distinct alert trace in the
 * message (a grouped message answers several alerts, each with its own trace, and each trace should end
 * in its delivery), each linked to the others; one root span when no alert carries a trace.
 */
export function startDeliverSpan(channel: string, ref: string, payloads: readonly unknown[]): EndableSpan {
  const tps = payloads.map((p) => (typeof p === 'object' && p !== null && 'traceparent' in p && typeof p.traceparent === 'string' ? p.traceparent : undefined));
  const parents = [...new Set(tps.filter((t): t is string => t !== undefined && contextHasSpan(t)))];
  const attributes = { [ATTR_HS_CHANNEL]: channel, 'hotstandby.notify.ref': ref, 'hotstandby.notify.grouped': payloads.length };
  const spans = (parents.length > 0 ? parents : [undefined]).map((parent) =>
    tracer().startSpan(SPAN_NOTIFIER_DELIVER, { kind: SpanKind.CLIENT, links: linksFromTraceparents(parents.filter((p) => p !== parent)), attributes }, contextFromTraceparent(parent)),
  );
  const enders = spans.map(ender);
  return { end: (outcome, err) => enders.forEach((e) => e.end(outcome, err)) };
}

function contextHasSpan(tp: string): boolean {
  return trace.getSpanContext(contextFromTraceparent(tp)) !== undefined;
}

function ender(span: Span): EndableSpan {
  return {
    end: (outcome, err) => {
      span.setAttribute(ATTR_HS_OUTCOME, outcome);
      if (err !== undefined) span.setStatus({ code: SpanStatusCode.ERROR, message: describe(err) });
      span.end();
    },
  };
}
