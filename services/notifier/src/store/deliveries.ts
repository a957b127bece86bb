// Queries over the send record (schema/deliveries) and the dead letters. Every state change is one
// statement or one transaction, committed before the step that depends on it (ack, next attempt).
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { Alert } from '@hotstandby/events';
import { alertMessageId } from '@hotstandby/events';
import type { Channel, HealthNotice } from '../alert/notice.js';
import type { Db } from '../db/database.js';
import { deadLetters, deliveries } from '../schema/index.js';
import type { DeliveryRow } from '../schema/index.js';

/** `<domain>|<vrid>`: alerts that are one group when they arrive together. */
export function groupKeyOf(alert: Pick<Alert, 'domain' | 'vrid'>): string {
  return `${alert.domain}|${alert.vrid ?? '-'}`;
}

/** Records that `alert` is to go to `channels`. Idempotent: a redelivered alert inserts nothing. */
export async function recordAlert(db: Db, alert: Alert, channels: readonly Channel[], streamSeq: number | undefined, receivedAt: Date): Promise<number> {
  if (channels.length === 0) return 0;
  const rows = channels.map((channel) => ({
    messageId: alertMessageId(alert),
    channel,
    kind: alert.state,
    incidentId: alert.id,
    groupKey: groupKeyOf(alert),
    payload: alert,
    streamSeq,
    receivedAt,
  }));
  const inserted = await db.insert(deliveries).values(rows).onConflictDoNothing().returning({ id: deliveries.id });
  return inserted.length;
}

/** Parks a bus message that is not a valid alert. Idempotent per stream message. */
export async function recordInvalid(db: Db, m: { subject: string; streamSeq: number | undefined; raw: string; reason: string; at: Date }): Promise<void> {
  await db
    .insert(deadLetters)
    .values({ kind: 'invalid-message', reason: m.reason, subject: m.subject, streamSeq: m.streamSeq, raw: m.raw.slice(0, 64 * 1024), at: m.at })
    .onConflictDoNothing();
}

/** The channel's pending queue, oldest first. */
export function pendingQueue(db: Db, channel: Channel, limit = 500): Promise<DeliveryRow[]> {
  return db
    .select()
    .from(deliveries)
    .where(and(eq(deliveries.channel, channel), eq(deliveries.status, 'pending')))
    .orderBy(asc(deliveries.id))
    .limit(limit);
}

/** A message this channel had started sending (found after a restart): all rows of its group. */
export async function unfinishedGroup(db: Db, channel: Channel): Promise<DeliveryRow[]> {
  const first = await db
    .select()
    .from(deliveries)
    .where(and(eq(deliveries.channel, channel), eq(deliveries.status, 'sending')))
    .orderBy(asc(deliveries.id))
    .limit(1);
  const head = first[0];
  if (!head) return [];
  if (head.groupRef === null) return [head];
  return db
    .select()
    .from(deliveries)
    .where(and(eq(deliveries.channel, channel), eq(deliveries.status, 'sending'), eq(deliveries.groupRef, head.groupRef)))
    .orderBy(asc(deliveries.id));
}

/** pending → sending, under one message ref and title. Returns the rows actually claimed. */
export function claimGroup(db: Db, ids: readonly number[], groupRef: string, title: string | null, now: Date): Promise<DeliveryRow[]> {
  return db
    .update(deliveries)
    .set({ status: 'sending', groupRef, title, sendingAt: now })
    .where(and(inArray(deliveries.id, [...ids]), eq(deliveries.status, 'pending')))
    .returning();
}

/** Committed before each attempt: from here until the outcome is recorded, delivery is uncertain. */
export async function attemptStarting(db: Db, ids: readonly number[], possibleDuplicate: boolean): Promise<void> {
  await db
    .update(deliveries)
    .set({ inFlight: true, possibleDuplicate: sql`${deliveries.possibleDuplicate} or ${possibleDuplicate}` })
    .where(inArray(deliveries.id, [...ids]));
}

export async function attemptFailed(db: Db, ids: readonly number[], reason: string, ambiguous: boolean): Promise<void> {
  await db
    .update(deliveries)
    .set({
      inFlight: false,
      attempts: sql`${deliveries.attempts} + 1`,
      lastError: reason,
      possibleDuplicate: sql`${deliveries.possibleDuplicate} or ${ambiguous}`,
    })
    .where(inArray(deliveries.id, [...ids]));
}

export async function markSent(db: Db, ids: readonly number[], now: Date): Promise<void> {
  await db
    .update(deliveries)
    .set({ status: 'sent', inFlight: false, finishedAt: now, attempts: sql`${deliveries.attempts} + 1` })
    .where(inArray(deliveries.id, [...ids]));
}

/**
 * sending → dead, a dead letter, and a health notice queued on each of `healthChannels` — one
 * transaction, so a crash cannot leave a dead message without its notice.
 */
export async function markDead(
  db: Db,
  rows: readonly DeliveryRow[],
  channel: Channel,
  reason: string,
  healthChannels: readonly Channel[],
  now: Date,
): Promise<void> {
  const ids = rows.map((r) => r.id);
  const ref = rows[0]?.groupRef ?? `${channel}:${rows[0]?.messageId ?? 'none'}`;
  await db.transaction(async (tx) => {
    await tx.update(deliveries).set({ status: 'dead', inFlight: false, finishedAt: now, lastError: reason }).where(inArray(deliveries.id, ids));
    await tx.insert(deadLetters).values({
      kind: 'undeliverable',
      reason,
      channel,
      deliveryIds: ids.join(' '),
      messageIds: rows.map((r) => r.messageId).join(' '),
      at: now,
    });
    if (healthChannels.length === 0) return;
    const notice: HealthNotice = {
      type: 'health',
      failedChannel: channel,
      reason,
      undelivered: rows.map((r) => {
        const p = r.payload as Partial<Alert>;
        return { id: r.messageId, kind: String(p.kind ?? r.kind), state: r.kind, summary: String(p.summary ?? '') };
      }),
      at: now.toISOString(),
    };
    await tx
      .insert(deliveries)
      .values(
        healthChannels.map((c) => ({
          messageId: `health.${ref}`,
          channel: c,
          kind: 'health',
          incidentId: `health.${ref}`,
          groupKey: `health|${channel}`,
          payload: notice,
          receivedAt: now,
        })),
      )
      .onConflictDoNothing();
  });
}

/** For resolved follow-ups: the raised messages (ref, title) of these incidents on this channel. */
export async function raisedThreads(db: Db, channel: Channel, incidentIds: readonly string[]): Promise<{ refs: string[]; title: string | null }> {
  if (incidentIds.length === 0) return { refs: [], title: null };
  const rows = await db
    .select({ groupRef: deliveries.groupRef, title: deliveries.title })
    .from(deliveries)
    .where(and(eq(deliveries.channel, channel), eq(deliveries.kind, 'raised'), inArray(deliveries.incidentId, [...incidentIds])))
    .orderBy(asc(deliveries.id));
  const refs = [...new Set(rows.map((r) => r.groupRef).filter((r): r is string => r !== null))];
  return { refs, title: rows.find((r) => r.title !== null)?.title ?? null };
}
