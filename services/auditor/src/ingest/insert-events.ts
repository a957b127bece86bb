// The idempotent insert of a batch of events: ONE statement, `INSERT … SELECT FROM jsonb_to_recordset
// … ON CONFLICT (id) DO NOTHING RETURNING id`, whatever the batch size. The returned ids are the events
// this transaction stored (a redelivered one is not among them), so only those move the projections.
//
// Rows are inserted in batch order (`ORDER BY n`), so `pos` — which the identity assigns as rows are
// inserted — follows the stream order, the order the projector applies them and rebuild replays them.
import { sql } from 'drizzle-orm';
import type { NewEventRow } from '../schema/index.js';
import type { Executor } from '../project/store.js';
import { recordset, resultRows } from '../project/recordset.js';

const COLUMNS =
  'n int, id text, node_id text, boot_id text, seq bigint, kind text, domain text, vrid smallint, instance text, at timestamptz, stream_seq bigint, received_at timestamptz, payload jsonb';

/** Inserts `rows` (ids unique within the batch); answers the ids that were new. */
export async function insertEvents(tx: Executor, rows: readonly NewEventRow[]): Promise<Set<string>> {
  const records = rows.map((r, n) => ({
    n,
    id: r.id,
    node_id: r.nodeId,
    boot_id: r.bootId,
    seq: r.seq,
    kind: r.kind,
    domain: r.domain ?? null,
    vrid: r.vrid ?? null,
    instance: r.instance ?? null,
    at: r.at,
    stream_seq: r.streamSeq ?? null,
    received_at: r.receivedAt,
    payload: r.payload,
  }));
  const result = await tx.execute(sql`
    insert into events (id, node_id, boot_id, seq, kind, domain, vrid, instance, at, stream_seq, received_at, payload)
    select id, node_id, boot_id, seq, kind, domain, vrid, instance, at, stream_seq, coalesce(received_at, now()), payload
    from ${recordset(records, 'r', COLUMNS)}
    order by n
    on conflict (id) do nothing
    returning id`);
  return new Set(resultRows<{ id: string }>(result).map((r) => r.id));
}
