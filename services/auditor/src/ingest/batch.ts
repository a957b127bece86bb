// One ingest step, the heart of "nothing lost, nothing doubled" (DESIGN.md rule 2): validate every
// message, then in ONE transaction insert the valid events that are not stored yet (insert-events.ts;
// the unique id decides), park the invalid ones in dead_letters, and apply only the newly inserted
// events to the projections. The caller acks the messages after this returns (i.e. after COMMIT). A
// redelivered batch inserts nothing new and so changes nothing.
import { setImmediate } from 'node:timers/promises';
import type { HsEvent } from '@hotstandby/events';
import type { Db } from '../db/database.js';
import { deadLetters } from '../schema/index.js';
import type { AlertDecision } from '../detect/reconcile.js';
import type { Change, Projector } from '../project/projector.js';
import { writeChanges, writeLiveness } from '../project/store.js';
import { encodeEvent, insertEvents } from './insert-events.js';
import type { EncodedEvents } from './insert-events.js';
import { BinaryCopyWriter } from '../db/copy-binary.js';
import { validateMessage } from './validate.js';
import { toIso } from '../time/micros.js';

export interface IncomingMessage {
  subject: string;
  data: Uint8Array;
  /** JetStream stream sequence. */
  streamSeq: number | null;
  /** When the stream stored it (µs). */
  receivedAt: number;
}

export interface BatchResult {
  inserted: number;
  duplicates: number;
  parked: number;
  decisions: AlertDecision[];
}

export class IngestError extends Error {
  override readonly name = 'IngestError';
}

/** A batch checked and encoded, ready to commit: everything that needs no database and no projector. */
export interface PreparedBatch {
  /** Messages in the batch. */
  size: number;
  /** The valid events, in message (stream) order, each id once. */
  events: HsEvent[];
  /** `events` as binary COPY rows (insert-events.ts). */
  encoded: EncodedEvents;
  parked: (typeof deadLetters.$inferInsert)[];
}

/** `\u0000` in JSON text, not preceded by an escaped backslash (`\\u0000` is the six characters). */
const ESCAPED_NUL = /(?<!\\)(?:\\\\)*\\u0000/;

/** Validates and encodes messages one at a time (so a caller can pause between them). */
class BatchBuilder {
  private readonly seen = new Set<string>();
  private readonly events: HsEvent[] = [];
  private readonly ids: string[] = [];
  private readonly rowStarts: number[] = [];
  private readonly parked: (typeof deadLetters.$inferInsert)[] = [];
  private readonly writer: BinaryCopyWriter;
  private size = 0;

  constructor(expected: number) {
    this.writer = new BinaryCopyWriter(expected * 1024);
  }

  add(m: IncomingMessage): void {
    this.size++;
    const v = validateMessage(m);
    if (!v.ok) return this.park(m, v.reason);
    if (this.seen.has(v.event.id)) return; // the same event twice in one batch
    // The message's own text when it is exactly the event (nearly always): serialising the event again
    // cost 2.6 µs of a heartbeat's ~12 µs here (README "Ingest throughput").
    const json = v.json ?? JSON.stringify(v.event);
    // Postgres text cannot hold U+0000 (JSON escapes it as \u0000): such an event would fail its whole
    // batch at every redelivery, so it is parked instead.
    if (json.includes('\\u0000') && ESCAPED_NUL.test(json)) return this.park(m, 'contains U+0000, which Postgres text cannot store');
    this.seen.add(v.event.id);
    this.events.push(v.event);
    this.ids.push(v.event.id);
    this.rowStarts.push(this.writer.size);
    encodeEvent(this.writer, { event: v.event, streamSeq: m.streamSeq, receivedAt: m.receivedAt }, json);
  }

  private park(m: IncomingMessage, reason: string): void {
    // The raw text is kept as it came, except U+0000 (a NUL byte is "not JSON", and text cannot hold it).
    const raw = Buffer.from(m.data).toString('utf8').replaceAll('\0', '\uFFFD');
    this.parked.push({ subject: m.subject, streamSeq: m.streamSeq, reason, raw, receivedAt: toIso(m.receivedAt) });
  }

  finish(): PreparedBatch {
    return { size: this.size, events: this.events, encoded: { ids: this.ids, data: this.writer.finish(), rowStarts: this.rowStarts }, parked: this.parked };
  }
}

/** Validates and encodes a batch: pure CPU work that reads no projector state, so it may run ahead of a commit. */
export function prepareBatch(batch: readonly IncomingMessage[]): PreparedBatch {
  const b = new BatchBuilder(batch.length);
  for (const m of batch) b.add(m);
  return b.finish();
}

/** Messages validated between two turns of the event loop in prepareBatchInSlices (~1–2 ms of work). */
const SLICE = 100;

/**
 * prepareBatch in slices, yielding to the event loop between them: the consumer prepares the next batch
 * while the previous one commits, and the yields let the driver send that batch's statements and read
 * the answers meanwhile — so the server stores batch N while this process validates batch N+1.
 */
export async function prepareBatchInSlices(batch: readonly IncomingMessage[]): Promise<PreparedBatch> {
  const b = new BatchBuilder(batch.length);
  for (let i = 0; i < batch.length; i++) {
    if (i > 0 && i % SLICE === 0) await setImmediate();
    b.add(batch[i]!);
  }
  return b.finish();
}

/**
 * Commits a prepared batch in ONE transaction and applies its newly stored events to `projector`.
 * Durability: this runs with the server's synchronous_commit (on) — never `off` for this transaction,
 * because the caller acks the messages once it returns, and an acked event must survive a Postgres crash.
 */
export async function commitBatch(db: Db, projector: Projector, batch: PreparedBatch): Promise<BatchResult> {
  const { events, parked } = batch;
  try {
    return await db.transaction(async (tx) => {
      const fresh = events.length > 0 ? await insertEvents(tx, batch.encoded) : new Set<string>();
      // Apply in message (stream) order, which is also `pos` order: rebuild replays exactly this. The
      // projection changes of the whole batch are written together, after the fold.
      const changes: Change[] = [];
      for (const e of events) if (fresh.has(e.id)) for (const c of projector.apply(e)) changes.push(c);
      const decisions = await writeChanges(tx, changes);
      if (parked.length > 0) await tx.insert(deadLetters).values(parked).onConflictDoNothing();
      await writeLiveness(tx, projector);
      return { inserted: fresh.size, duplicates: events.length - fresh.size, parked: parked.length, decisions };
    });
  } catch (err) {
    throw new IngestError(`ingest batch of ${batch.size} messages failed`, { cause: err });
  }
}

/** prepareBatch then commitBatch: one batch, nothing overlapped. */
export async function ingestBatch(db: Db, projector: Projector, batch: readonly IncomingMessage[]): Promise<BatchResult> {
  return commitBatch(db, projector, prepareBatch(batch));
}
