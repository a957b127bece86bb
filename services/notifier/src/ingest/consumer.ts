// Reads alerts from JetStream, one message at a time in stream order: validate → record the sends
// (one committed statement) → ack → wake the channel workers. Nothing is sent from here, so the ack
// never waits for Slack or SMTP; a crash before the ack means redelivery, which the send record's
// unique (message id, channel) turns into a no-op. Invalid messages are parked with a reason and acked.
import { jetstream } from '@nats-io/jetstream';
import type { ConsumerMessages, JsMsg } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';
import { ALERTS_STREAM, alertMessageId, parseAlert, parseAlertSubject } from '@hotstandby/events';
import type { Alert } from '@hotstandby/events';
import type { Channel } from '../alert/notice.js';
import type { Db } from '../db/database.js';
import type { Failpoint } from '../deliver/worker.js';
import { recordAlert, recordInvalid } from '../store/deliveries.js';
import { NOTIFIER_DURABLE } from './streams.js';
import { startRecordSpan } from '../telemetry/trace.js';

export type Validated = { ok: true; alert: Alert } | { ok: false; reason: string };

/** Bytes and subject of a bus message → an alert, or why not (pure). */
export function validateAlertMessage(subject: string, data: Uint8Array): Validated {
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(data));
  } catch {
    return { ok: false, reason: 'not UTF-8 JSON' };
  }
  const parsed = parseAlert(json);
  if (!parsed.ok) return { ok: false, reason: parsed.reason };
  const subj = parseAlertSubject(subject);
  if (!subj.ok) return { ok: false, reason: `subject ${subject}: ${subj.reason}` };
  if (subj.value.kind !== parsed.value.kind || subj.value.domain !== parsed.value.domain) {
    return { ok: false, reason: `subject ${subject} does not match the alert's kind/domain` };
  }
  return { ok: true, alert: parsed.value };
}

export interface ConsumerOptions {
  readonly durable?: string;
  /** Which channels an alert goes to. */
  readonly route: (alert: Alert) => Channel[];
  /** After an alert's records are committed and acked. */
  readonly onRecorded?: (alert: Alert, channels: readonly Channel[]) => void;
  readonly failpoint?: Failpoint;
  readonly log?: (line: string) => void;
}

export interface RunningConsumer {
  stop(): Promise<void>;
  readonly done: Promise<void>;
}

export async function startAlertConsumer(nc: NatsConnection, db: Db, opts: ConsumerOptions): Promise<RunningConsumer> {
  const log = opts.log ?? ((l: string) => console.error(l));
  const consumer = await jetstream(nc).consumers.get(ALERTS_STREAM.name, opts.durable ?? NOTIFIER_DURABLE);
  const messages: ConsumerMessages = await consumer.consume({ max_messages: 100 });

  const handle = async (m: JsMsg): Promise<void> => {
    const v = validateAlertMessage(m.subject, m.data);
    // notifier.record continues the auditor's alert span (telemetry/trace.ts).
    const span = startRecordSpan(m.subject, m.headers, v.ok ? v.alert : undefined);
    try {
      span.end(await record(m, v));
    } catch (err) {
      span.end('error', err);
      throw err;
    }
  };

  const record = async (m: JsMsg, v: Validated): Promise<string> => {
    const now = new Date();
    if (!v.ok) {
      await recordInvalid(db, { subject: m.subject, streamSeq: m.seq, raw: new TextDecoder().decode(m.data), reason: v.reason, at: now });
      log(`notifier: parked invalid message #${m.seq} on ${m.subject}: ${v.reason}`);
      m.ack();
      return 'parked';
    }
    const channels = opts.route(v.alert);
    const inserted = await recordAlert(db, v.alert, channels, m.seq, now);
    if (inserted < channels.length) log(`notifier: ${alertMessageId(v.alert)} (#${m.seq}, delivery ${m.info.deliveryCount}) already recorded: acked without sending again`);
    opts.failpoint?.('after-record');
    m.ack();
    opts.onRecorded?.(v.alert, channels);
    return inserted < channels.length ? 'duplicate' : 'recorded';
  };

  const done = (async () => {
    for await (const m of messages) {
      try {
        await handle(m);
      } catch (err) {
        // Nothing committed (Postgres unreachable): have it redelivered rather than lose it.
        log(`notifier: cannot record message #${m.seq}, will retry: ${(err as Error).message}`);
        m.nak(1_000);
      }
    }
  })();

  return {
    done,
    stop: async () => {
      await messages.close();
      await done;
    },
  };
}
