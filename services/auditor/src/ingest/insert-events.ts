// The idempotent insert of a batch of events, in two steps inside the caller's transaction:
//   1. binary COPY of the batch into `events_staging`, a temp table of this connection (created on first
//      use, emptied at every COMMIT/ROLLBACK by ON COMMIT DELETE ROWS, no WAL, no index);
//   2. ONE `INSERT INTO events … SELECT … FROM events_staging ORDER BY n ON CONFLICT (id) DO NOTHING
//      RETURNING id`.
// The returned ids are the events this transaction stored (a redelivered one is not among them), so only
// those move the projections.
//
// Why COPY: measured on the server, parsing the old single `jsonb_to_recordset($1)` parameter (the whole
// batch as one JSON text, lexed once as a whole and again per payload) cost as much as storing the rows;
// binary COPY hands the server each value ready-made (bench/ingest.bench.ts, services/auditor/README.md).
//
// Rows are inserted in batch order (`ORDER BY n`), so `pos` — which the identity assigns as rows are
// inserted — follows the stream order, the order the projector applies them and rebuild replays them.
import { sql } from 'drizzle-orm';
import type { HsEvent } from '@hotstandby/events';
import type { Db } from '../db/database.js';
import type { Executor } from '../project/store.js';
import { resultRows } from '../project/recordset.js';
import type { BinaryCopyWriter } from '../db/copy-binary.js';
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

/** `n` numbers the rows as they arrive (the batch order); the other columns are those of `events`. */
const STAGING_DDL = `create temp table if not exists events_staging (
  n bigint generated always as identity, id text, node_id text, boot_id text, seq bigint, kind text, domain text,
  vrid smallint, instance text, at timestamptz, stream_seq bigint, received_at timestamptz, payload json) on commit delete rows`;
const EVENT_COLUMNS = 'id, node_id, boot_id, seq, kind, domain, vrid, instance, at, stream_seq, received_at, payload';
/** The COPY target for encodeEvent's rows: the `events` columns, in this order (of staging or of events). */
export const EVENT_COPY_COLUMNS = `(${EVENT_COLUMNS})`;

/** Appends one event as a binary COPY row (EVENT_COPY_COLUMNS). Pure: runs before the transaction (batch.ts). */
export function encodeEvent(w: BinaryCopyWriter, { event: e, streamSeq, receivedAt }: EventRecord, payloadJson = JSON.stringify(e)): void {
  w.row(12).text(e.id).text(e.nodeId).text(e.bootId).int8(e.seq).text(e.kind);
  if (e.kind === 'transition' || e.kind === 'anomaly') w.text(e.domain).int2(e.vrid).text(e.instance);
  else w.null().null().null();
  // The stored payload is the validated event (what the schema let through), not the raw message.
  w.timestamptz(eventMicros(e.at)).int8(streamSeq).timestamptz(receivedAt).text(payloadJson);
}

/** Inserts the encoded rows (encodeEvent; ids unique among them); answers the ids that were new. */
export async function insertEvents(tx: Executor & Pick<Db, '_'>, encoded: Uint8Array): Promise<Set<string>> {
  await tx.execute(sql.raw(STAGING_DDL));
  await copyIn(tx, `events_staging ${EVENT_COPY_COLUMNS}`, encoded);
  const result = await tx.execute(
    sql.raw(`insert into events (${EVENT_COLUMNS})
      select ${EVENT_COLUMNS} from events_staging order by n
      on conflict (id) do nothing
      returning id`),
  );
  return new Set(resultRows<{ id: string }>(result).map((r) => r.id));
}
