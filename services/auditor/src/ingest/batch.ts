// One ingest step, the heart of "nothing lost, nothing doubled" (DESIGN.md rule 2): validate every
// message, then in ONE transaction insert the valid events (ON CONFLICT (id) DO NOTHING), park the
// invalid ones in dead_letters, and apply only the newly inserted events to the projections. The caller
// acks the messages after this returns (i.e. after COMMIT). A redelivered batch inserts nothing new and
// so changes nothing.
import type { HsEvent } from '@hotstandby/events';
import type { Db } from '../db/database.js';
import { deadLetters } from '../schema/index.js';
import type { NewEventRow } from '../schema/index.js';
import type { AlertDecision } from '../detect/reconcile.js';
import type { Change, Projector } from '../project/projector.js';
import { writeChanges, writeLiveness } from '../project/store.js';
import { insertEvents } from './insert-events.js';
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

export function eventRow(e: HsEvent, streamSeq: number | null, receivedAt: number): NewEventRow {
  const scoped = e.kind === 'transition' || e.kind === 'anomaly';
  return {
    id: e.id,
    nodeId: e.nodeId,
    bootId: e.bootId,
    seq: e.seq,
    kind: e.kind,
    domain: scoped ? e.domain : null,
    vrid: scoped ? e.vrid : null,
    instance: scoped ? e.instance : null,
    at: e.at,
    streamSeq,
    receivedAt: toIso(receivedAt),
    payload: e,
  };
}

export class IngestError extends Error {
  override readonly name = 'IngestError';
}

export async function ingestBatch(db: Db, projector: Projector, batch: readonly IncomingMessage[]): Promise<BatchResult> {
  const rows: NewEventRow[] = [];
  const byId = new Map<string, HsEvent>();
  const parked: (typeof deadLetters.$inferInsert)[] = [];
  for (const m of batch) {
    const v = validateMessage(m);
    if (v.ok) {
      if (byId.has(v.event.id)) continue; // the same event twice in one batch
      byId.set(v.event.id, v.event);
      rows.push(eventRow(v.event, m.streamSeq, m.receivedAt));
    } else {
      parked.push({
        subject: m.subject,
        streamSeq: m.streamSeq,
        reason: v.reason,
        raw: Buffer.from(m.data).toString('utf8'),
        receivedAt: toIso(m.receivedAt),
      });
    }
  }
  try {
    return await db.transaction(async (tx) => {
      const fresh = rows.length > 0 ? await insertEvents(tx, rows) : new Set<string>();
      // Apply in message (stream) order, which is also `pos` order: rebuild replays exactly this. The
      // projection changes of the whole batch are written together, after the fold.
      const changes: Change[] = [];
      for (const row of rows) if (fresh.has(row.id)) for (const c of projector.apply(byId.get(row.id)!)) changes.push(c);
      const decisions = await writeChanges(tx, changes);
      if (parked.length > 0) await tx.insert(deadLetters).values(parked).onConflictDoNothing();
      await writeLiveness(tx, projector);
      return { inserted: fresh.size, duplicates: rows.length - fresh.size, parked: parked.length, decisions };
    });
  } catch (err) {
    throw new IngestError(`ingest batch of ${batch.length} messages failed`, { cause: err });
  }
}
