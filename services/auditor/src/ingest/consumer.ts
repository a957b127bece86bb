// The durable JetStream pull consumer: messages are gathered into batches (as many as are already
// waiting, up to maxBatch — so an idle stream is processed message by message and a backlog in big
// batches), each batch goes through ingestBatch (one transaction), and only then are its messages acked.
// A crash anywhere before the ack means redelivery, which the unique event id makes harmless.
import { jetstream } from '@nats-io/jetstream';
import type { ConsumerMessages, JsMsg } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';
import { EVENTS_STREAM } from '@hotstandby/events';
import type { Db } from '../db/database.js';
import type { Projector } from '../project/projector.js';
import type { BatchResult, IncomingMessage } from './batch.js';
import { ingestBatch } from './batch.js';
import { AUDITOR_DURABLE } from './streams.js';
import { startIngestSpans } from '../telemetry/trace.js';

export interface ConsumerOptions {
  durable?: string;
  maxBatch?: number;
  /** Wraps each batch's processing (serve serialises batches with detector ticks). */
  process?: <T>(run: () => Promise<T>) => Promise<T>;
  /** Called after each committed and acked batch. */
  onBatch?: (r: BatchResult, size: number) => void | Promise<void>;
  /** Called when a batch fails (before its messages are nak'd for redelivery). Must rebuild state. */
  onError?: (err: unknown) => Promise<void>;
}

export interface RunningConsumer {
  /** Stops fetching; resolves when the batch in progress has committed and been acked. */
  stop(): Promise<void>;
  done: Promise<void>;
}

function toIncoming(m: JsMsg): IncomingMessage {
  return { subject: m.subject, data: m.data, streamSeq: m.seq, receivedAt: Math.floor(m.info.timestampNanos / 1000) };
}

export async function startConsumer(nc: NatsConnection, db: Db, projector: () => Projector, opts: ConsumerOptions = {}): Promise<RunningConsumer> {
  const js = jetstream(nc);
  const consumer = await js.consumers.get(EVENTS_STREAM.name, opts.durable ?? AUDITOR_DURABLE);
  const maxBatch = opts.maxBatch ?? 1000;
  const messages: ConsumerMessages = await consumer.consume({ max_messages: maxBatch * 2 });
  let buffer: JsMsg[] = [];

  const flush = async (): Promise<void> => {
    const batch = buffer;
    buffer = [];
    if (batch.length === 0) return;
    const spans = startIngestSpans(batch); // traced messages continue their node's trace
    let result: BatchResult;
    try {
      const run = () => ingestBatch(db, projector(), batch.map(toIncoming));
      result = await (opts.process ? opts.process(run) : run());
    } catch (err) {
      // Nothing was committed: ask for redelivery, and let the owner reload the projector's view.
      for (const m of batch) m.nak(1000);
      spans.end(err);
      if (opts.onError) await opts.onError(err);
      else throw err;
      return;
    }
    for (const m of batch) m.ack();
    spans.end();
    await opts.onBatch?.(result, batch.length);
  };

  const done = (async () => {
    for await (const m of messages) {
      buffer.push(m);
      if (buffer.length >= maxBatch || messages.getPending() === 0) await flush();
    }
    await flush();
  })();

  return {
    done,
    stop: async () => {
      await messages.close();
      await done;
    },
  };
}
