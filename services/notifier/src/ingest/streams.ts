// The alert stream (the contract's ALERTS_STREAM, normally created by the auditor) and the
// notifier's durable consumer. The notifier creates the stream only if it is missing, so it can start
// first; it never rewrites the auditor's stream settings.
import { AckPolicy, DeliverPolicy } from '@nats-io/jetstream';
import type { JetStreamManager } from '@nats-io/jetstream';
import { ALERTS_STREAM } from '@hotstandby/events';

const NS_PER_MS = 1_000_000;

export const NOTIFIER_DURABLE = 'notifier';

export async function ensureAlertStream(jsm: JetStreamManager): Promise<void> {
  try {
    await jsm.streams.info(ALERTS_STREAM.name);
  } catch (err) {
    if (!/stream not found/i.test(String((err as Error).message))) throw err;
    await jsm.streams.add({
      name: ALERTS_STREAM.name,
      subjects: [...ALERTS_STREAM.subjects],
      duplicate_window: ALERTS_STREAM.duplicateWindowMs * NS_PER_MS,
      max_age: ALERTS_STREAM.maxAgeMs * NS_PER_MS,
    });
  }
}

/**
 * Durable pull consumer, explicit acks. A message is acked once its send records are committed (a few
 * ms), so ack_wait only has to cover a slow Postgres; a killed notifier's unacked alerts return after it.
 */
export async function ensureNotifierConsumer(jsm: JetStreamManager, durable = NOTIFIER_DURABLE, ackWaitMs = 30_000): Promise<void> {
  await jsm.consumers.add(ALERTS_STREAM.name, {
    durable_name: durable,
    ack_policy: AckPolicy.Explicit,
    deliver_policy: DeliverPolicy.All,
    filter_subject: ALERTS_STREAM.subjects[0]!,
    ack_wait: ackWaitMs * NS_PER_MS,
    max_ack_pending: 1_000,
  });
}
