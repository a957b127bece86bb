// Stream and consumer provisioning (idempotent): the stream definitions are the contract's
// (@hotstandby/events EVENTS_STREAM / ALERTS_STREAM); the durable consumer is the auditor's.
import { AckPolicy, DeliverPolicy } from '@nats-io/jetstream';
import type { JetStreamManager } from '@nats-io/jetstream';
import { ALERTS_STREAM, EVENTS_STREAM } from '@hotstandby/events';
import type { StreamDefinition } from '@hotstandby/events';

const NS_PER_MS = 1_000_000;

export const AUDITOR_DURABLE = 'auditor';

async function ensureStream(jsm: JetStreamManager, def: StreamDefinition): Promise<void> {
  const cfg = {
    name: def.name,
    subjects: [...def.subjects],
    duplicate_window: def.duplicateWindowMs * NS_PER_MS,
    max_age: def.maxAgeMs * NS_PER_MS,
  };
  try {
    await jsm.streams.info(def.name);
    await jsm.streams.update(def.name, cfg);
  } catch (err) {
    if (!/stream not found/i.test(String((err as Error).message))) throw err;
    await jsm.streams.add(cfg);
  }
}

export async function ensureStreams(jsm: JetStreamManager): Promise<void> {
  await ensureStream(jsm, EVENTS_STREAM);
  await ensureStream(jsm, ALERTS_STREAM);
}

/**
 * The durable pull consumer. Explicit acks; at most
 * `max_ack_pending` messages are in flight, which bounds memory when Postgres is slow.
 */
export async function ensureConsumer(jsm: JetStreamManager, durable = AUDITOR_DURABLE): Promise<void> {
  await jsm.consumers.add(EVENTS_STREAM.name, {
    durable_name: durable,
    ack_policy: AckPolicy.Explicit,
    deliver_policy: DeliverPolicy.All,
    filter_subject: `${EVENTS_STREAM.subjects[0]}`,
    // A killed auditor's unacked messages come back after this; a batch commits in well under a second.
    ack_wait: 10_000 * NS_PER_MS,
    max_ack_pending: 10_000,
  });
}
