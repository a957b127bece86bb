// The idempotent insert of a batch of events, in two steps inside the caller's transaction:
//   1. `SELECT id FROM events WHERE id = ANY(…the batch's ids…)`: which of them are stored already (a
//      redelivery; normally none);
//   2. binary COPY of the other rows straight into `events`.
// The ids not found are the events this transaction stores (a redelivered one is not among them), so only
// those move the projections.
//
// Why not INSERT … ON CONFLICT: COPY cannot skip a conflicting row, so the old path copied every row
// into a temp staging table first and then ran `INSERT INTO events SELECT … FROM events_staging ON
// CONFLICT (id) DO NOTHING RETURNING id` — every row written twice, read back and returned. Measured
// on the server (bench/ingest.bench.ts, services/auditor/README.md): 24.9 µs of backend CPU per event
// that way, 15.5 with the lookup, 14.5 for the bare COPY; the lookup of ids that are not there is an
// index probe each.
//
// Still exactly once: the unique index on `id` is what guarantees it, not the lookup. A writer that
// stores one of these ids between the lookup and the COPY (another auditor on the same durable
// consumer; one auditor commits its batches one at a time) makes the COPY fail with a unique violation
// — after waiting for that writer's commit — and so this whole transaction: nothing of the batch is
// stored, the consumer naks it, and the redelivery's lookup finds the id (test/insert-events.test.ts).
//
// Why COPY: measured on the server, parsing the old single `jsonb_to_recordset($1)` parameter (the whole
// batch as one JSON text, lexed once as a whole and again per payload) cost as much as storing the rows;
// binary COPY hands the server each value ready-made.
//
// Rows are copied in batch order, so `pos` — which the identity assigns as rows are inserted — follows
// the stream order, the order the projector applies them and rebuild replays them.
import { sql } from 'drizzle-orm';
import type { HsEvent } from '@hotstandby/events';
import type { Db } from '../db/database.js';
import type { Executor } from '../project/store.js';
import { resultRows } from '../project/recordset.js';
import type { BinaryCopyWriter } from '../db/copy-binary.js';
import { keepRows } from '../db/copy-binary.js';
import { copyIn } from '../db/copy-in.js';
import type { Micros } from '../time/micros.js';
import { eventMicros } from '../time/micros.js';

/** An event to store, with what the bus said about its message. */
export interface EventRecord {
  event: HsEvent;
  /** JetStream stream sequence (null if it came another way). */
  streamSeq: number | null;
  /** When the stream stored it. */
  receivedAt: Micros;
}

const EVENT_COLUMNS = 'id, node_id, boot_id, seq, kind, domain, vrid, instance, at, stream_seq, received_at, payload';
/** The COPY target for encodeEvent's rows: the `events` columns, in this order. */
export const EVENT_COPY_COLUMNS = `(${EVENT_COLUMNS})`;

/** Appends one event as a binary COPY row (EVENT_COPY_COLUMNS). Pure: runs before the transaction (batch.ts). */
export function encodeEvent(w: BinaryCopyWriter, { event: e, streamSeq, receivedAt }: EventRecord, payloadJson = JSON.stringify(e)): void {
  w.row(12).text(e.id).text(e.nodeId).text(e.bootId).int8(e.seq).text(e.kind);
  if (e.kind === 'transition' || e.kind === 'anomaly') w.text(e.domain).int2(e.vrid).text(e.instance);
  else w.null().null().null();
  // The stored payload is the validated event (what the schema let through): the message's own text
  // when that is exactly the event (batch.ts), else the event serialised.
  w.timestamptz(eventMicros(e.at)).int8(streamSeq).timestamptz(receivedAt).text(payloadJson);
}

/** A batch's events as binary COPY rows (encodeEvent), ids unique among them. */
export interface EncodedEvents {
  /** The events' ids, in row order. */
  ids: readonly string[];
  /** BinaryCopyWriter.finish() of the rows. */
  data: Uint8Array;
  /** Where each row starts in `data` (BinaryCopyWriter.size before it). */
  rowStarts: readonly number[];
}

/** Stores the rows whose id is not in `events` yet; answers their ids. */
export async function insertEvents(tx: Executor & Pick<Db, '_'>, batch: EncodedEvents): Promise<Set<string>> {
  const { ids } = batch;
  // One text parameter however many ids (a bound list would be a parameter each, and drizzle expands
  // arrays into lists); `= ANY(array)` is one index scan of the primary key.
  const found = resultRows<{ id: string }>(
    await tx.execute(sql`select id from events where id = any(array(select json_array_elements_text(${JSON.stringify(ids)}::json)))`),
  );
  if (found.length === 0) {
    await copyIn(tx, `events ${EVENT_COPY_COLUMNS}`, batch.data);
    return new Set(ids);
  }
  const stored = new Set(found.map((r) => r.id));
  const keep = ids.map((id) => !stored.has(id));
  const fresh = new Set(ids.filter((id) => !stored.has(id)));
  if (fresh.size > 0) await copyIn(tx, `events ${EVENT_COPY_COLUMNS}`, keepRows(batch.data, batch.rowStarts, keep));
  return fresh;
}
