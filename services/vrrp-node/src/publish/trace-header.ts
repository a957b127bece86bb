// W3C trace context on the bus: a transition event carries its span's `traceparent` (set by
// telemetry/instance-telemetry.ts), and its NATS message carries the same value as a `traceparent`
// header, so that consumers continue the trace without parsing the body first. The outbox stores
// only the payload, so the header is read back from it — for transitions only (few, small), so the
// heartbeat and anomaly stream pays nothing.
import { headers } from '@nats-io/transport-node';
import type { MsgHdrs } from '@nats-io/transport-node';
import { TRACEPARENT_HEADER, parseTraceparent } from '@hotstandby/telemetry';
import type { OutboxRecord } from '../outbox/outbox.js';

/** `{ headers }` with the record's traceparent, or `{}` when it has none. */
export function traceHeaders(record: Pick<OutboxRecord, 'kind' | 'payload'>): { headers?: MsgHdrs } {
  if (record.kind !== 'transition') return {};
  let tp: unknown;
  try {
    tp = (JSON.parse(new TextDecoder().decode(record.payload)) as { traceparent?: unknown }).traceparent;
  } catch {
    return {}; // our own payload: cannot happen, and a missing header only loses the trace link
  }
  if (typeof tp !== 'string' || parseTraceparent(tp) === undefined) return {};
  const h = headers();
  h.set(TRACEPARENT_HEADER, tp);
  return { headers: h };
}
