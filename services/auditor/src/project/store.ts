// Writes a Projector's changes into the projection tables (inside the caller's transaction), and loads
// a FleetView back from them at start-up so that a restarted auditor continues where it stopped.
import { and, asc, eq, gt, gte, inArray, isNull, sql } from 'drizzle-orm';
import type { Db } from '../db/database.js';
import { alerts, events, mastership, nodeLiveness } from '../schema/index.js';
import type { DetectConfig } from '../detect/config.js';
import type { FleetView, OpenMastership } from '../detect/fleet.js';
import { emptyFleet, flapKey, routerKey } from '../detect/fleet.js';
import type { AlertDecision } from '../detect/reconcile.js';
import type { Micros } from '../time/micros.js';
import { parseTimestamp, toIso } from '../time/micros.js';
import type { Change, Projector } from './projector.js';
import { recordset } from './recordset.js';

/** A transaction or the database: both have the query builders. */
export type Executor = Pick<Db, 'select' | 'selectDistinct' | 'insert' | 'update' | 'delete' | 'execute'>;

/**
 * Writes a run of changes (a whole batch's, in the order the projector made them) with a few set-based
 * statements instead of one per change, with the same end state as applying them one by one:
 * - mastership, per (domain, vrid, node): the changes alternate open/close (the projector opens only
 *   what is not open and closes only what is), so a leading close ends the row that was open before the
 *   run, and every open is a new row — closed already if a later change in the run closed it. The closes
 *   of earlier rows go first (an UPDATE), then the new rows (one INSERT, in open order): the partial
 *   unique index allows one open row per node and router.
 * - a previous boot's late events (projector.ts applyLate) add rows closed from the start (`past`, in
 *   the same INSERT) and move the end of closed ones (`reclose`, by start event; a row new in this run
 *   is changed before it is inserted, an older one by an UPDATE after the closes).
 * - alerts: raises are INSERT … ON CONFLICT DO NOTHING (the first raise of an id wins, as before), then
 *   resolves are one UPDATE (the last resolve of an id wins, as before). A resolve always follows the
 *   raise of its id, in this run or an earlier one, so raising first loses nothing.
 */
export async function writeChanges(tx: Executor, changes: readonly Change[]): Promise<AlertDecision[]> {
  const decisions: AlertDecision[] = [];
  const newRows: NewInterval[] = [];
  const openNew = new Map<string, NewInterval>();
  const closeOld = new Map<string, CloseRow>();
  /** Every new row by its start (a previous boot's late events may re-close it); re-closes of older rows. */
  const byStart = new Map<string, NewInterval>();
  const recloseOld = new Map<string, RecloseRow>();
  const raises = new Map<string, RaiseRow>();
  const resolves = new Map<string, ResolveRow>();
  for (const c of changes) {
    if (c.type === 'open' || c.type === 'past') {
      const i = c.interval;
      const row: NewInterval = {
        domain: i.domain,
        vrid: i.vrid,
        node_id: i.nodeId,
        instance: i.instance,
        from_at: toIso(i.fromAt),
        to_at: c.type === 'past' ? toIso(c.toAt) : null,
        start_reason: i.startReason,
        end_reason: c.type === 'past' ? c.endReason : null,
        start_event_id: i.startEventId,
        end_event_id: c.type === 'past' ? c.endEventId : null,
        interval_cs: i.intervalCs,
      };
      newRows.push(row);
      byStart.set(startKey(i.domain, i.vrid, i.nodeId, i.startEventId), row);
      if (c.type === 'open') openNew.set(intervalKey(i.domain, i.vrid, i.nodeId), row);
    } else if (c.type === 'reclose') {
      const key = startKey(c.domain, c.vrid, c.nodeId, c.startEventId);
      const row = byStart.get(key);
      if (row) {
        row.to_at = toIso(c.toAt);
        row.end_reason = c.endReason;
        row.end_event_id = c.endEventId;
      } else {
        recloseOld.set(key, { domain: c.domain, vrid: c.vrid, node_id: c.nodeId, start_event_id: c.startEventId, to_at: toIso(c.toAt), end_reason: c.endReason, end_event_id: c.endEventId });
      }
    } else if (c.type === 'close') {
      const key = intervalKey(c.domain, c.vrid, c.nodeId);
      const row = openNew.get(key);
      if (row) {
        row.to_at = toIso(c.toAt);
        row.end_reason = c.endReason;
        row.end_event_id = c.endEventId;
        openNew.delete(key);
      } else if (!closeOld.has(key)) {
        closeOld.set(key, { domain: c.domain, vrid: c.vrid, node_id: c.nodeId, to_at: toIso(c.toAt), end_reason: c.endReason, end_event_id: c.endEventId });
      }
    } else {
      const { alert, at } = c.decision;
      if (c.decision.action === 'raise') {
        if (!raises.has(alert.id)) {
          raises.set(alert.id, {
            id: alert.id,
            key: alert.key,
            kind: alert.kind,
            domain: alert.domain,
            vrid: alert.vrid,
            nodes: alert.nodes,
            evidence: alert.evidence,
            summary: alert.summary,
            first_seen: toIso(alert.firstSeen),
            raised_at: toIso(at),
          });
        }
      } else {
        resolves.set(alert.id, { id: alert.id, resolved_at: toIso(at) });
      }
      decisions.push(c.decision);
    }
  }
  if (closeOld.size > 0) {
    await tx.execute(sql`
      update mastership m set to_at = c.to_at, end_reason = c.end_reason, end_event_id = c.end_event_id
      from ${recordset([...closeOld.values()], 'c', 'domain text, vrid smallint, node_id text, to_at timestamptz, end_reason text, end_event_id text')}
      where m.domain = c.domain and m.vrid = c.vrid and m.node_id = c.node_id and m.to_at is null`);
  }
  if (newRows.length > 0) {
    await tx.execute(sql`
      insert into mastership (domain, vrid, node_id, instance, from_at, to_at, start_reason, end_reason, start_event_id, end_event_id, interval_cs)
      select domain, vrid, node_id, instance, from_at, to_at, start_reason, end_reason, start_event_id, end_event_id, interval_cs
      from ${recordset(newRows.map((r, n) => ({ ...r, n })), 'r', 'n int, domain text, vrid smallint, node_id text, instance text, from_at timestamptz, to_at timestamptz, start_reason text, end_reason text, start_event_id text, end_event_id text, interval_cs integer')}
      order by n`);
  }
  if (recloseOld.size > 0) {
    // After the closes above: a row the restart closed in this run may be re-closed by a late event.
    await tx.execute(sql`
      update mastership m set to_at = c.to_at, end_reason = c.end_reason, end_event_id = c.end_event_id
      from ${recordset([...recloseOld.values()], 'c', 'domain text, vrid smallint, node_id text, start_event_id text, to_at timestamptz, end_reason text, end_event_id text')}
      where m.domain = c.domain and m.vrid = c.vrid and m.node_id = c.node_id and m.start_event_id = c.start_event_id and m.to_at is not null`);
  }
  if (raises.size > 0) {
    await tx.execute(sql`
      insert into alerts (id, key, kind, domain, vrid, state, nodes, evidence, summary, first_seen, raised_at)
      select id, key, kind, domain, vrid, 'raised', nodes, evidence, summary, first_seen, raised_at
      from ${recordset([...raises.values()], 'a', 'id text, key text, kind text, domain text, vrid smallint, nodes jsonb, evidence jsonb, summary text, first_seen timestamptz, raised_at timestamptz')}
      on conflict (id) do nothing`);
  }
  if (resolves.size > 0) {
    await tx.execute(sql`
      update alerts a set state = 'resolved', resolved_at = r.resolved_at
      from ${recordset([...resolves.values()], 'r', 'id text, resolved_at timestamptz')}
      where a.id = r.id`);
  }
  return decisions;
}

/** A mastership row as jsonb_to_recordset reads it (column names as keys). */
interface NewInterval {
  domain: string;
  vrid: number;
  node_id: string;
  instance: string;
  from_at: string;
  to_at: string | null;
  start_reason: string;
  end_reason: string | null;
  start_event_id: string;
  end_event_id: string | null;
  interval_cs: number;
}

type CloseRow = Pick<NewInterval, 'domain' | 'vrid' | 'node_id' | 'to_at' | 'end_reason' | 'end_event_id'>;
type RecloseRow = CloseRow & Pick<NewInterval, 'start_event_id'>;

interface RaiseRow {
  id: string;
  key: string;
  kind: string;
  domain: string;
  vrid: number | null;
  nodes: string[];
  evidence: string[];
  summary: string;
  first_seen: string;
  raised_at: string;
}

interface ResolveRow {
  id: string;
  resolved_at: string;
}

function intervalKey(domain: string, vrid: number, nodeId: string): string {
  return JSON.stringify([domain, vrid, nodeId]);
}

function startKey(domain: string, vrid: number, nodeId: string, startEventId: string): string {
  return JSON.stringify([domain, vrid, nodeId, startEventId]);
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

/** A stored interval as the projector holds it. */
function intervalOf(m: typeof mastership.$inferSelect): OpenMastership {
  return {
    domain: m.domain,
    vrid: m.vrid,
    nodeId: m.nodeId,
    instance: m.instance,
    fromAt: ts(m.fromAt),
    startReason: m.startReason,
    startEventId: m.startEventId,
    intervalCs: m.intervalCs,
  };
}

/** The view the projector had after the last committed batch (pending VIP-drift timers restart). */
export async function loadView(db: Executor, cfg: DetectConfig): Promise<FleetView> {
  const view = emptyFleet();
  let watermark = 0;
  for (const n of await db.select().from(nodeLiveness)) {
    const lastSeenAt = ts(n.lastSeenAt);
    watermark = Math.max(watermark, lastSeenAt);
    view.nodes.set(n.nodeId, {
      // bootFirstAt/bootFirstEventId/previous: below (not kept in node_liveness).
      bootFirstAt: lastSeenAt,
      bootFirstEventId: n.lastEventId,
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
  await loadBoots(db, view);
  for (const m of await db.select().from(mastership).where(isNull(mastership.toAt))) {
    const key = routerKey(m.domain, m.vrid);
    let byNode = view.masters.get(key);
    if (!byNode) view.masters.set(key, (byNode = new Map<string, OpenMastership>()));
    byNode.set(m.nodeId, intervalOf(m));
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

/** The boot id in an event id (`<node>.<boot>.<seq>`, parsed from the right: node ids may hold dots). */
function bootOf(eventId: string | null): string | undefined {
  const parts = eventId?.split('.');
  return parts && parts.length >= 3 ? parts[parts.length - 2] : undefined;
}

/** A makeBootId boot id starts with 12 hex digits of the boot's wall-clock ms (libs/events). */
function bootTimeMicros(bootId: string): Micros | undefined {
  return /^[0-9a-f]{20}$/.test(bootId) ? Number.parseInt(bootId.slice(0, 12), 16) * 1000 : undefined;
}

/**
 * What the projector keeps per node for an older boot's late events (projector.ts applyLate) and
 * node_liveness does not: the current boot's first event, and the previous boot's intervals that the
 * restart closed. Both come from the rows the restart closed (their end event IS the current boot's
 * first event); a node without such rows gets its first event from `events` — the first of its boot
 * by time, searched from a day before the boot id's time when the id carries one.
 */
async function loadBoots(db: Executor, view: FleetView): Promise<void> {
  const restarted = await db.select().from(mastership).where(eq(mastership.endReason, 'node-restarted'));
  const firstIds = new Map<string, string>();
  for (const node of view.nodes.values()) {
    const ended = restarted.filter((r) => r.nodeId === node.nodeId && bootOf(r.endEventId) === node.bootId);
    if (ended.length === 0) continue;
    firstIds.set(node.nodeId, ended[0]!.endEventId!);
    // The newest boot among them is the previous one; what it held lasted until it was last heard.
    const bootId = ended.map((r) => bootOf(r.startEventId) ?? '').reduce((a, b) => (b > a ? b : a));
    const mine = ended.filter((r) => bootOf(r.startEventId) === bootId);
    const masters = new Map<string, OpenMastership>();
    for (const m of mine) {
      masters.set(routerKey(m.domain, m.vrid), intervalOf(m));
    }
    node.previous = { bootId, lastSeenAt: Math.max(...mine.map((m) => ts(m.toAt!))), masters };
  }
  const known = firstIds.size > 0 ? await db.select({ id: events.id, at: events.at }).from(events).where(inArray(events.id, [...firstIds.values()])) : [];
  const atOf = new Map(known.map((r) => [r.id, ts(r.at)]));
  for (const node of view.nodes.values()) {
    const id = firstIds.get(node.nodeId);
    const at = id === undefined ? undefined : atOf.get(id);
    if (id !== undefined && at !== undefined) {
      node.bootFirstEventId = id;
      node.bootFirstAt = at;
      continue;
    }
    const since = bootTimeMicros(node.bootId);
    const [first] = await db
      .select({ id: events.id, at: events.at })
      .from(events)
      .where(and(eq(events.nodeId, node.nodeId), eq(events.bootId, node.bootId), since === undefined ? undefined : gte(events.at, toIso(since - DAY_US))))
      .orderBy(asc(events.at), asc(events.id))
      .limit(1);
    if (first) {
      node.bootFirstEventId = first.id;
      node.bootFirstAt = ts(first.at);
    }
  }
}

const DAY_US = 86_400e6;
