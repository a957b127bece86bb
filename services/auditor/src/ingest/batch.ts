// One ingest step, the heart of "nothing lost, nothing doubled" (DESIGN.md rule 2): validate every
// message, then in ONE transaction insert the valid events (ON CONFLICT (id) DO NOTHING), park the
// invalid ones in dead_letters, and apply only the newly inserted events to the projections. The caller
// acks the messages after this returns (i.e. after COMMIT). A redelivered batch inserts nothing new and
// so changes nothing.
import { parseEventJson, parseEventSubject } from '@hotstandby/events';
import type { HsEvent } from '@hotstandby/events';
import type { Db } from '../db/database.js';
import { deadLetters, events } from '../schema/index.js';
import type { NewEventRow } from '../schema/index.js';
import type { AlertDecision } from '../detect/reconcile.js';
import type { Projector } from '../project/projector.js';
import { writeChanges, writeLiveness } from '../project/store.js';
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

/** Validation: the schema, and the subject must name the same node and kind (per-node permissions). */
export function validateMessage(m: IncomingMessage): { ok: true; event: HsEvent } | { ok: false; reason: string } {
  const parsed = parseEventJson(m.data);
  if (!parsed.ok) return parsed;
  const subject = parseEventSubject(m.subject);
  if (!subject.ok) return { ok: false, reason: `subject: ${subject.reason}` };
  if (subject.value.nodeId !== parsed.value.nodeId) return { ok: false, reason: `subject node ${subject.value.nodeId} is not the event's ${parsed.value.nodeId}` };
  if (subject.value.kind !== parsed.value.kind) return { ok: false, reason: `subject kind ${subject.value.kind} is not the event's ${parsed.value.kind}` };
  return { ok: true, event: parsed.value };
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
      const decisions: AlertDecision[] = [];
      let inserted = 0;
      // Postgres caps a statement at 65535 parameters; 12 columns a row.
      for (let i = 0; i < rows.length; i += 4000) {
        const fresh = await tx
          .insert(events)
          .values(rows.slice(i, i + 4000))
          .onConflictDoNothing({ target: events.id })
          .returning({ id: events.id });
        inserted += fresh.length;
        const ids = new Set(fresh.map((r) => r.id));
        // Apply in message (stream) order, which is also `pos` order: rebuild replays exactly this.
        for (const row of rows.slice(i, i + 4000)) {
          if (!ids.has(row.id)) continue;
          decisions.push(...(await writeChanges(tx, projector.apply(byId.get(row.id)!))));
        }
      }
      if (parked.length > 0) await tx.insert(deadLetters).values(parked).onConflictDoNothing();
      await writeLiveness(tx, projector);
      return { inserted, duplicates: rows.length - inserted, parked: parked.length, decisions };
    });
  } catch (err) {
    throw new IngestError(`ingest batch of ${batch.length} messages failed`, { cause: err });
  }
}
