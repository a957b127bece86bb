// Alert publication to NATS for the notifier: `hs.alert.<kind>.<domain>` with msgID `<id>.<state>`, so
// each incident's raised and resolved messages are each delivered once even if published twice (after a
// crash between commit and publish). The `*_published` flags make a restart publish what is missing.
import { and, eq } from 'drizzle-orm';
import type { JetStreamClient } from '@nats-io/jetstream';
import { SCHEMA_VERSION, alertMessageId, alertSchema, alertSubject } from '@hotstandby/events';
import type { Alert, AlertKind } from '@hotstandby/events';
import type { Db } from '../db/database.js';
import { alerts } from '../schema/index.js';
import type { AlertRow } from '../schema/index.js';
import { parseTimestamp, toIso } from '../time/micros.js';

export function alertMessage(row: AlertRow, state: 'raised' | 'resolved'): Alert {
  const at = state === 'raised' ? row.raisedAt : (row.resolvedAt ?? row.raisedAt);
  const msg: Alert = {
    schema: SCHEMA_VERSION,
    id: row.id,
    kind: row.kind as AlertKind,
    state,
    domain: row.domain,
    vrid: row.vrid,
    nodes: row.nodes,
    evidence: row.evidence.slice(0, 1000),
    firstSeen: toIso(parseTimestamp(row.firstSeen)!),
    at: toIso(parseTimestamp(at)!),
    summary: row.summary.slice(0, 2000),
  };
  // Our own output must satisfy the contract; a failure here is a bug, so it throws.
  return alertSchema.parse(msg);
}

/** Publishes every committed alert state not yet marked published; returns how many were published. */
export async function publishPendingAlerts(db: Db, js: JetStreamClient): Promise<number> {
  let count = 0;
  const pendingRaised = await db.select().from(alerts).where(eq(alerts.raisedPublished, false)).orderBy(alerts.raisedAt);
  for (const row of pendingRaised) {
    const msg = alertMessage(row, 'raised');
    await js.publish(alertSubject(msg.kind, msg.domain), JSON.stringify(msg), { msgID: alertMessageId(msg) });
    await db.update(alerts).set({ raisedPublished: true }).where(eq(alerts.id, row.id));
    count++;
  }
  const pendingResolved = await db
    .select()
    .from(alerts)
    .where(and(eq(alerts.state, 'resolved'), eq(alerts.resolvedPublished, false)))
    .orderBy(alerts.resolvedAt);
  for (const row of pendingResolved) {
    // A resolve is only published after its raise (the loop above ran first).
    const msg = alertMessage(row, 'resolved');
    await js.publish(alertSubject(msg.kind, msg.domain), JSON.stringify(msg), { msgID: alertMessageId(msg) });
    await db.update(alerts).set({ resolvedPublished: true }).where(eq(alerts.id, row.id));
    count++;
  }
  return count;
}
