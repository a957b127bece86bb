// Writes a Projector's changes into the projection tables (inside the caller's transaction), and loads
// a FleetView back from them at start-up so that a restarted auditor continues where it stopped.
import { and, eq, gt, isNull, sql } from 'drizzle-orm';
import type { Db } from '../db/database.js';
import { alerts, events, mastership, nodeLiveness } from '../schema/index.js';
import type { DetectConfig } from '../detect/config.js';
import type { FleetView, OpenMastership } from '../detect/fleet.js';
import { emptyFleet, flapKey, routerKey } from '../detect/fleet.js';
import type { AlertDecision } from '../detect/reconcile.js';
import { parseTimestamp, toIso } from '../time/micros.js';
import type { Change, Projector } from './projector.js';

/** A transaction or the database: both have the query builders. */
export type Executor = Pick<Db, 'select' | 'insert' | 'update' | 'delete' | 'execute'>;

export async function writeChanges(tx: Executor, changes: readonly Change[]): Promise<AlertDecision[]> {
  const decisions: AlertDecision[] = [];
  for (const c of changes) {
    if (c.type === 'open') {
      const i = c.interval;
      await tx.insert(mastership).values({
        domain: i.domain,
        vrid: i.vrid,
        nodeId: i.nodeId,
        instance: i.instance,
        fromAt: toIso(i.fromAt),
        startReason: i.startReason,
        startEventId: i.startEventId,
        intervalCs: i.intervalCs,
      });
    } else if (c.type === 'close') {
      await tx
        .update(mastership)
        .set({ toAt: toIso(c.toAt), endReason: c.endReason, endEventId: c.endEventId })
        .where(and(eq(mastership.domain, c.domain), eq(mastership.vrid, c.vrid), eq(mastership.nodeId, c.nodeId), isNull(mastership.toAt)));
    } else {
      const { alert, at } = c.decision;
      if (c.decision.action === 'raise') {
        await tx
          .insert(alerts)
          .values({
            id: alert.id,
            key: alert.key,
            kind: alert.kind,
            domain: alert.domain,
            vrid: alert.vrid,
            state: 'raised',
            nodes: alert.nodes,
            evidence: alert.evidence,
            summary: alert.summary,
            firstSeen: toIso(alert.firstSeen),
            raisedAt: toIso(at),
          })
          .onConflictDoNothing({ target: alerts.id });
      } else {
        await tx.update(alerts).set({ state: 'resolved', resolvedAt: toIso(at) }).where(eq(alerts.id, alert.id));
      }
      decisions.push(c.decision);
    }
  }
  return decisions;
}

/** Upserts the liveness rows of the nodes the projector touched since the last call. */
export async function writeLiveness(tx: Executor, projector: Projector): Promise<void> {
  if (projector.touchedNodes.size === 0) return;
  const rows = [...projector.touchedNodes].map((id) => {
    const n = projector.view.nodes.get(id)!;
    return {
      nodeId: n.nodeId,
      bootId: n.bootId,
      lastSeq: n.lastSeq,
      lastSeenAt: toIso(n.lastSeenAt),
      lastEventId: n.lastEventId,
      periodMs: n.periodUs === undefined ? null : Math.round(n.periodUs / 1000),
      lastHeartbeatId: n.lastHeartbeat?.id ?? null,
      lastHeartbeatAt: n.lastHeartbeat ? toIso(n.lastHeartbeat.at) : null,
      instances: n.lastHeartbeat?.instances ?? null,
      lost: n.lost,
    };
  });
  projector.touchedNodes.clear();
  await tx
    .insert(nodeLiveness)
    .values(rows)
    .onConflictDoUpdate({
      target: nodeLiveness.nodeId,
      set: {
        bootId: sql`excluded.boot_id`,
        lastSeq: sql`excluded.last_seq`,
        lastSeenAt: sql`excluded.last_seen_at`,
        lastEventId: sql`excluded.last_event_id`,
        periodMs: sql`excluded.period_ms`,
        lastHeartbeatId: sql`excluded.last_heartbeat_id`,
        lastHeartbeatAt: sql`excluded.last_heartbeat_at`,
        instances: sql`excluded.instances`,
        lost: sql`excluded.lost`,
      },
    });
}

function ts(text: string): number {
  const v = parseTimestamp(text);
  if (v === undefined) throw new Error(`unexpected timestamp from the database: ${text}`);
  return v;
}

/** The view the projector had after the last committed batch (pending VIP-drift timers restart). */
export async function loadView(db: Executor, cfg: DetectConfig): Promise<FleetView> {
  const view = emptyFleet();
  let watermark = 0;
  for (const n of await db.select().from(nodeLiveness)) {
    const lastSeenAt = ts(n.lastSeenAt);
    watermark = Math.max(watermark, lastSeenAt);
    view.nodes.set(n.nodeId, {
      nodeId: n.nodeId,
      bootId: n.bootId,
      lastSeq: n.lastSeq,
      lastSeenAt,
      lastEventId: n.lastEventId,
      periodUs: n.periodMs === null ? undefined : n.periodMs * 1000,
      lastHeartbeat:
        n.lastHeartbeatId && n.lastHeartbeatAt && n.instances ? { id: n.lastHeartbeatId, at: ts(n.lastHeartbeatAt), instances: n.instances } : undefined,
      lost: n.lost,
    });
  }
  for (const m of await db.select().from(mastership).where(isNull(mastership.toAt))) {
    const key = routerKey(m.domain, m.vrid);
    let byNode = view.masters.get(key);
    if (!byNode) view.masters.set(key, (byNode = new Map<string, OpenMastership>()));
    byNode.set(m.nodeId, {
      domain: m.domain,
      vrid: m.vrid,
      nodeId: m.nodeId,
      instance: m.instance,
      fromAt: ts(m.fromAt),
      startReason: m.startReason,
      startEventId: m.startEventId,
      intervalCs: m.intervalCs,
    });
  }
  for (const a of await db.select().from(alerts).where(eq(alerts.state, 'raised'))) {
    view.alerts.set(a.key, {
      id: a.id,
      key: a.key,
      kind: a.kind,
      domain: a.domain,
      vrid: a.vrid,
      nodes: a.nodes,
      evidence: a.evidence,
      summary: a.summary,
      firstSeen: ts(a.firstSeen),
    });
    if (a.kind === 'vip-drift') view.driftSince.set(a.key.slice('vip-drift|'.length), ts(a.firstSeen));
  }
  if (watermark > 0) {
    const recent = await db
      .select({ id: events.id, at: events.at, domain: events.domain, vrid: events.vrid, nodeId: events.nodeId })
      .from(events)
      .where(and(eq(events.kind, 'transition'), gt(events.at, toIso(watermark - cfg.flapWindowUs))))
      .orderBy(events.pos);
    for (const r of recent) {
      if (r.domain === null || r.vrid === null) continue;
      const fk = flapKey(r.domain, r.vrid, r.nodeId);
      const list = view.transitions.get(fk) ?? [];
      list.push({ at: ts(r.at), id: r.id });
      view.transitions.set(fk, list);
    }
  }
  return view;
}
