// The auditor's spans, continuing the trace that a vrrp-node started (W3C traceparent in the NATS
// header / the event's `traceparent` field):
// - `auditor.ingest`, one per traced message of a batch (transitions carry a trace; heartbeats and
//   anomalies do not, so they cost nothing), a child of the node's transition span, from the batch's
//   start to its commit and ack.
// - `auditor.detect`, one per published alert state (raised / resolved): what a detector concluded,
//   published to the notifier. Its parent is the newest evidence event's span (for a split brain: the
//   transition of the master that made it two), and it LINKS to every evidence event's span (both
//   masters' transitions), because an alert has several causes and a span only one parent. Its
//   traceparent travels on with the alert, to the notifier.
import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { Span } from '@opentelemetry/api';
import { inArray, sql } from 'drizzle-orm';
import type { Alert } from '@hotstandby/events';
import {
  ATTR_HS_ALERT_ID,
  ATTR_HS_ALERT_KIND,
  ATTR_HS_ALERT_NODES,
  ATTR_HS_ALERT_STATE,
  ATTR_HS_BATCH_SIZE,
  ATTR_MESSAGING_DESTINATION_NAME,
  ATTR_MESSAGING_SYSTEM,
  ATTR_VRRP_DOMAIN,
  ATTR_VRRP_VRID,
  SPAN_AUDITOR_DETECT,
  SPAN_AUDITOR_INGEST,
  TRACEPARENT_HEADER,
  contextFromTraceparent,
  formatTraceparent,
  linksFromTraceparents,
  parseTraceparent,
  traceparentFromHeaders,
} from '@hotstandby/telemetry';
import type { HeaderReader } from '@hotstandby/telemetry';
import type { Db } from '../db/database.js';
import { events } from '../schema/index.js';

const tracer = () => trace.getTracer('@hotstandby/auditor');

function describe(err: unknown): string {
  return err instanceof Error ? err.message : JSON.stringify(err);
}

export interface TracedMessage {
  readonly subject: string;
  readonly headers?: HeaderReader | undefined;
}

export interface IngestSpans {
  /** After the batch committed and was acked (or failed: `err`). */
  end(err?: unknown): void;
}

const NONE: IngestSpans = { end: () => {} };

export function startIngestSpans(batch: readonly TracedMessage[]): IngestSpans {
  let spans: Span[] | undefined;
  for (const m of batch) {
    const tp = traceparentFromHeaders(m.headers);
    if (tp === undefined || parseTraceparent(tp) === undefined) continue;
    (spans ??= []).push(
      tracer().startSpan(
        SPAN_AUDITOR_INGEST,
        { kind: SpanKind.CONSUMER, attributes: { [ATTR_MESSAGING_SYSTEM]: 'nats', [ATTR_MESSAGING_DESTINATION_NAME]: m.subject, [ATTR_HS_BATCH_SIZE]: batch.length } },
        contextFromTraceparent(tp),
      ),
    );
  }
  if (!spans) return NONE;
  const all = spans;
  return {
    end: (err?: unknown) => {
      for (const s of all) {
        if (err !== undefined) s.setStatus({ code: SpanStatusCode.ERROR, message: describe(err) });
        s.end();
      }
    },
  };
}

export interface AlertTrace<H> {
  /** The alert message with its span's traceparent (unchanged when tracing is off). */
  readonly message: Alert;
  /** `{ headers }` for js.publish. */
  readonly publishOptions: { headers?: H };
  end(err?: unknown): void;
}

/** The traceparents of the evidence events, in evidence order (missing ones skipped). */
export async function evidenceTraceparents(db: Db, evidence: readonly string[]): Promise<string[]> {
  if (evidence.length === 0) return [];
  const rows = await db
    .select({ id: events.id, tp: sql<string | null>`${events.payload}->>'traceparent'` })
    .from(events)
    .where(inArray(events.id, evidence.slice(0, 100)));
  const byId = new Map(rows.map((r) => [r.id, r.tp]));
  return evidence.map((id) => byId.get(id)).filter((tp): tp is string => typeof tp === 'string' && parseTraceparent(tp) !== undefined);
}

/** Starts the alert's `auditor.detect` span; the caller publishes `message` and then calls end(). */
export async function traceAlert<H extends { set(k: string, v: string): void }>(db: Db, msg: Alert, makeHeaders: () => H): Promise<AlertTrace<H>> {
  // One indexed lookup per alert state (alerts are rare), also with tracing off.
  const tps = await evidenceTraceparents(db, msg.evidence);
  const span = tracer().startSpan(
    SPAN_AUDITOR_DETECT,
    {
      kind: SpanKind.PRODUCER,
      links: linksFromTraceparents(tps),
      attributes: {
        [ATTR_HS_ALERT_ID]: msg.id,
        [ATTR_HS_ALERT_KIND]: msg.kind,
        [ATTR_HS_ALERT_STATE]: msg.state,
        [ATTR_HS_ALERT_NODES]: msg.nodes,
        [ATTR_VRRP_DOMAIN]: msg.domain,
        ...(msg.vrid !== null ? { [ATTR_VRRP_VRID]: msg.vrid } : {}),
        [ATTR_MESSAGING_SYSTEM]: 'nats',
      },
    },
    contextFromTraceparent(tps.at(-1)),
  );
  const tp = formatTraceparent(span);
  if (tp === undefined) {
    span.end();
    return { message: msg, publishOptions: {}, end: () => {} };
  }
  const headers = makeHeaders();
  headers.set(TRACEPARENT_HEADER, tp);
  return {
    message: { ...msg, traceparent: tp },
    publishOptions: { headers },
    end: (err?: unknown) => {
      if (err !== undefined) span.setStatus({ code: SpanStatusCode.ERROR, message: describe(err) });
      span.end();
    },
  };
}
