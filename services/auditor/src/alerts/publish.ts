// Alert publication to NATS for the notifier: `hs.alert.<kind>.<domain>` with msgID `<id>.<state>`, so
// each incident's raised and resolved messages are each delivered once even if published twice (after a
// crash between commit and publish). The `*_published` flags make a restart publish what is missing.
import { and, eq } from 'drizzle-orm';
import type { JetStreamClient } from '@nats-io/jetstream';
import { headers } from '@nats-io/transport-node';
import { SCHEMA_VERSION, alertMessageId, alertSchema, alertSubject } from '@hotstandby/events';
import type { Alert, AlertKind } from '@hotstandby/events';
import type { Db } from '../db/database.js';
import { alerts } from '../schema/index.js';
import type { AlertRow } from '../schema/index.js';
import { parseTimestamp, toIso } from '../time/micros.js';
import { traceAlert } from '../telemetry/trace.js';

/** Publishes one alert state inside its `auditor.detect` span (telemetry/trace.ts). */
async function publishAlert(db: Db, js: JetStreamClient, msg: Alert): Promise<void> {
  const t = await traceAlert(db, msg, () => headers());
  try {
    await js.publish(alertSubject(msg.kind, msg.domain), JSON.stringify(t.message), { msgID: alertMessageId(msg), ...t.publishOptions });
    t.end();
  } catch (err) {
    t.end(err);
    throw err;
  }
}

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
    await publishAlert(db, js, alertMessage(row, 'raised'));
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
    await publishAlert(db, js, alertMessage(row, 'resolved'));
    await db.update(alerts).set({ resolvedPublished: true }).where(eq(alerts.id, row.id));
    count++;
  }
  return count;
}
