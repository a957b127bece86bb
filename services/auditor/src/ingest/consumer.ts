// The durable JetStream pull consumer: messages are gathered into batches (as many as are already
// waiting, up to maxBatch — so an idle stream is processed message by message and a backlog in big
// batches), each batch is validated and encoded (prepareBatch — for batch N+1 while batch N commits) and
// committed in one transaction (commitBatch), and only then are its messages acked. A crash anywhere
// before the ack means redelivery, which the unique event id makes harmless.
//
// When the database is away (restarted, crashed, unreachable: db/unavailable.ts), the batch is kept and
// retried in place with backoff until it commits — the consumer holds its messages (`working()` resets
// their ack_wait) instead of nak'ing them into a redelivery loop that would fail the same way. Any other
// failure (a bug, data Postgres rejects) naks the batch for redelivery, as before.
import { jetstream } from '@nats-io/jetstream';
import type { ConsumerMessages, JsMsg } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';
import { EVENTS_STREAM } from '@hotstandby/events';
import type { Db } from '../db/database.js';
import type { Projector } from '../project/projector.js';
import type { BatchResult, IncomingMessage, PreparedBatch } from './batch.js';
import { commitBatch, prepareBatchInSlices } from './batch.js';
import { CommitChain } from './commit-chain.js';
import { AUDITOR_DURABLE } from './streams.js';
import { startIngestSpans } from '../telemetry/trace.js';
import type { IngestSpans } from '../telemetry/trace.js';
import { isDatabaseUnavailable, retryDelayMs } from '../db/unavailable.js';

export interface ConsumerOptions {
  durable?: string;
  maxBatch?: number;
  /** Wraps each batch's processing (serve serialises batches with detector ticks). */
  process?: <T>(run: () => Promise<T>) => Promise<T>;
  /** Called after each committed and acked batch. */
  onBatch?: (r: BatchResult, size: number) => void | Promise<void>;
  /** Called on every failed attempt at a batch (before it is retried or nak'd); the projector may hold
   *  events that did not commit, so the owner must reload it before the next attempt. */
  onError?: (err: unknown) => void;
}

/** Half the consumer's ack_wait (streams.ts): a held batch's messages are not redelivered meanwhile. */
const WORKING_EVERY_MS = 5000;
/** No message for this long: flush what is gathered (messages of a burst arrive well under 1 ms apart). */
const QUIET_FLUSH_MS = 5;

export interface RunningConsumer {
  /** Stops fetching; resolves when the batch in progress has committed and been acked. */
  stop(): Promise<void>;
  /** Settles when the consumer ends: after stop(), or (rejected) when it broke. */
  done: Promise<void>;
  /** Messages that arrived marked as redelivered (JetStream had sent them before without an ack). */
  readonly stats: { redelivered: number };
}

function toIncoming(m: JsMsg): IncomingMessage {
  return { subject: m.subject, data: m.data, streamSeq: m.seq, receivedAt: Math.floor(m.info.timestampNanos / 1000) };
}

export async function startConsumer(nc: NatsConnection, db: Db, projector: () => Projector, opts: ConsumerOptions = {}): Promise<RunningConsumer> {
  const js = jetstream(nc);
  const consumer = await js.consumers.get(EVENTS_STREAM.name, opts.durable ?? AUDITOR_DURABLE);
  // 5000: a backlog is stored at ~14k events/s in batches of 5000 against ~10k/s in batches of 1000
  // (bench/ingest.bench.ts); two batches in flight (one committing, one being prepared) are exactly the
  // stream consumer's max_ack_pending (streams.ts), so nothing waits on JetStream's flow control.
  const maxBatch = opts.maxBatch ?? 5000;
  const messages: ConsumerMessages = await consumer.consume({ max_messages: maxBatch * 2 });
  let buffer: JsMsg[] = [];
  const stats = { redelivered: 0 };
  let stopping = false;
  let wake: (() => void) | undefined;
  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });

  /** Commits a prepared batch, retrying in place while the database is away (only when the owner
   *  reloads the projector in onError); `{ err }`: give the batch back. */
  const ingest = async (prepared: PreparedBatch): Promise<{ result: BatchResult } | { err: unknown }> => {
    for (let attempt = 1; ; attempt++) {
      try {
        const run = () => commitBatch(db, projector(), prepared);
        return { result: await (opts.process ? opts.process(run) : run()) };
      } catch (err) {
        opts.onError?.(err);
        if (!opts.onError || !isDatabaseUnavailable(err) || stopping) return { err };
        await pause(retryDelayMs(attempt));
        if (stopping) return { err };
      }
    }
  };

  /** Commits, then acks (or naks) the batch's messages; kept alive with working() until then. */
  const settle = async (batch: JsMsg[], prepared: PreparedBatch, spans: IngestSpans, keepalive: NodeJS.Timeout): Promise<void> => {
    let outcome: Awaited<ReturnType<typeof ingest>>;
    try {
      outcome = await ingest(prepared);
    } finally {
      clearInterval(keepalive);
    }
    if ('err' in outcome) {
      // Nothing was committed: ask for redelivery (the owner reloads the projector's view).
      for (const m of batch) m.nak(1000);
      spans.end(outcome.err);
      if (!opts.onError) throw outcome.err;
      return;
    }
    for (const m of batch) m.ack();
    spans.end();
    await opts.onBatch?.(outcome.result, batch.length);
  };

  // Batch N+1 is validated and encoded while batch N commits; the commits themselves (and so `pos`, the
  // projections and the acks) stay one at a time in stream order.
  const chain = new CommitChain();
  const flush = async (): Promise<void> => {
    const batch = buffer;
    buffer = [];
    if (batch.length === 0) return;
    for (const m of batch) if (m.redelivered) stats.redelivered++;
    const spans = startIngestSpans(batch); // traced messages continue their node's trace
    const prepared = await prepareBatchInSlices(batch.map(toIncoming));
    const keepalive = setInterval(() => {
      for (const m of batch) m.working();
    }, WORKING_EVERY_MS); // it may wait for the previous commit (a database outage), then commit
    await chain.enqueue(() => settle(batch, prepared, spans, keepalive));
  };

  // Flushes run one at a time and in order (their order is the commit order). A batch is flushed when it
  // is full or nothing more is waiting, or else after a short quiet spell: nats.js (nats-core 3.x
  // QueuedIterator) can report a pending count of 1 when nothing is coming — a pull request queued in
  // the middle of a chunk stays counted as in flight — and the tail of a burst then waited for its
  // ack_wait to run out and be redelivered (the Postgres restart drill saw 500 messages come back).
  let flushing: Promise<void> = Promise.resolve();
  const requestFlush = (): Promise<void> => (flushing = flushing.then(flush));
  let quiet: NodeJS.Timeout | undefined;
  let quietFailure: { err: unknown } | undefined;
  const done = (async () => {
    try {
      for await (const m of messages) {
        clearTimeout(quiet);
        if (quietFailure) throw quietFailure.err;
        buffer.push(m);
        if (buffer.length >= maxBatch || messages.getPending() === 0) {
          await requestFlush();
        } else {
          quiet = setTimeout(() => {
            requestFlush().catch((err: unknown) => (quietFailure ??= { err }));
          }, QUIET_FLUSH_MS);
        }
      }
    } finally {
      clearTimeout(quiet);
    }
    await requestFlush();
    await chain.drain();
  })();

  return {
    done,
    stats,
    stop: async () => {
      stopping = true;
      wake?.();
      await messages.close();
      await done;
    },
  };
}
