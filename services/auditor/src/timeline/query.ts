// Everything the timeline page draws for one VRID and one time window, in one answer: the lanes (nodes),
// mastership bars, overlap windows (split brain), anomaly markers and alerts.
import { and, asc, desc, eq, gte, isNull, lt, or, sql } from 'drizzle-orm';
import type { AnomalyEvent } from '@hotstandby/events';
import type { DetectConfig } from '../detect/config.js';
import type { Executor } from '../project/store.js';
import type { Interval } from '../query/master-at.js';
import { during, intervalOut } from '../query/master-at.js';
import { alerts, events, mastership } from '../schema/index.js';
import type { AlertRow } from '../schema/index.js';
import type { Micros } from '../time/micros.js';
import { parseTimestamp, toIso } from '../time/micros.js';
import { overlaps } from './overlaps.js';
import type { Overlap } from './overlaps.js';

export interface TimelineQuery {
  vrid: number;
  /** Undefined: the domain in which this VRID last changed hands. */
  domain: string | undefined;
  from: Micros;
  to: Micros;
  now: Micros;
}

export interface TimelineAnomaly {
  id: string;
  node: string;
  at: string;
  class: AnomalyEvent['class'];
  count: number;
  source: string;
  firstSeen: string;
  lastSeen: string;
  instance: string | null;
}

export interface TimelineAlert {
  id: string;
  kind: string;
  state: 'raised' | 'resolved';
  vrid: number | null;
  nodes: string[];
  summary: string;
  firstSeen: string;
  raisedAt: string;
  resolvedAt: string | null;
}

/**
 * - `handover`: within the split-brain grace, an ordinary hand-over.
 * - `split-brain`: beyond the grace, and the split-brain detector raised an alert for it.
 * - `unconfirmed`: beyond the grace without an alert (yet): typically a crashed MASTER, whose interval
 *   stays open until it is heard again or declared lost — then it is closed back at its last sign of
 *   life and the overlap disappears (project/projector.ts) — or a split brain still inside the
 *   detector's liveness check (detect/split-brain.ts).
 */
export type OverlapKind = 'handover' | 'split-brain' | 'unconfirmed';

export interface TimelineOverlap {
  from: string;
  to: string | null;
  nodes: string[];
  kind: OverlapKind;
}

export interface Timeline {
  /** Null when no such VRID is known in any domain. */
  domain: string | null;
  vrid: number;
  from: string;
  to: string;
  now: string;
  /** One lane per node: every node ever MASTER of this VRID, plus any that reported on it in the window. */
  nodes: string[];
  intervals: (Interval & { intervalCs: number })[];
  overlaps: TimelineOverlap[];
  anomalies: TimelineAnomaly[];
  /** True when there were more anomaly events in the window than `anomalies` holds. */
  anomaliesTruncated: boolean;
  alerts: TimelineAlert[];
}

export interface TimelineLimits {
  intervals: number;
  anomalies: number;
  alerts: number;
}

export const TIMELINE_LIMITS: TimelineLimits = { intervals: 5000, anomalies: 500, alerts: 200 };

const iso = (t: string) => toIso(parseTimestamp(t)!);

async function latestDomain(db: Executor, vrid: number): Promise<string | null> {
  const rows = await db.select({ domain: mastership.domain }).from(mastership).where(eq(mastership.vrid, vrid)).orderBy(desc(mastership.fromAt)).limit(1);
  if (rows[0]) return rows[0].domain;
  const ev = await db.select({ domain: events.domain }).from(events).where(and(eq(events.vrid, vrid), eq(events.kind, 'transition'))).orderBy(desc(events.at)).limit(1);
  return ev[0]?.domain ?? null;
}

export async function timeline(db: Executor, q: TimelineQuery, cfg: Pick<DetectConfig, 'splitBrainGraceIntervals' | 'skewToleranceUs'>, limits = TIMELINE_LIMITS): Promise<Timeline> {
  const domain = q.domain ?? (await latestDomain(db, q.vrid));
  const head = { domain, vrid: q.vrid, from: toIso(q.from), to: toIso(q.to), now: toIso(q.now) };
  if (domain === null) return { ...head, nodes: [], intervals: [], overlaps: [], anomalies: [], anomaliesTruncated: false, alerts: [] };
  const fromIso = toIso(q.from);
  const toIsoText = toIso(q.to);
  const router = and(eq(mastership.vrid, q.vrid), eq(mastership.domain, domain));

  const [rows, everMaster, reporters, anomalyRows, alertRows] = await Promise.all([
    db
      .select()
      .from(mastership)
      .where(and(router, sql`${during} && tstzrange(${fromIso}::timestamptz, ${toIsoText}::timestamptz, '[)')`))
      .orderBy(asc(mastership.fromAt), asc(mastership.nodeId))
      .limit(limits.intervals),
    db.selectDistinct({ node: mastership.nodeId }).from(mastership).where(router),
    db
      .selectDistinct({ node: events.nodeId })
      .from(events)
      .where(and(eq(events.vrid, q.vrid), eq(events.domain, domain), gte(events.at, fromIso), lt(events.at, toIsoText))),
    db
      .select({ id: events.id, payload: events.payload })
      .from(events)
      .where(and(eq(events.vrid, q.vrid), eq(events.domain, domain), eq(events.kind, 'anomaly'), gte(events.at, fromIso), lt(events.at, toIsoText)))
      .orderBy(asc(events.at), asc(events.id))
      .limit(limits.anomalies + 1),
    db
      .select()
      .from(alerts)
      .where(
        and(
          eq(alerts.domain, domain),
          // node-lost alerts are per domain (vrid null): they concern every VRID of the domain.
          or(eq(alerts.vrid, q.vrid), isNull(alerts.vrid)),
          lt(alerts.firstSeen, toIsoText),
          or(isNull(alerts.resolvedAt), gte(alerts.resolvedAt, fromIso)),
        ),
      )
      .orderBy(asc(alerts.firstSeen), asc(alerts.id))
      .limit(limits.alerts),
  ]);

  const intervals = rows.map((r) => ({ ...intervalOut(r), intervalCs: r.intervalCs }));
  const bars = rows.map((r) => ({ node: r.nodeId, from: parseTimestamp(r.fromAt)!, to: r.toAt === null ? null : parseTimestamp(r.toAt)!, intervalCs: r.intervalCs }));
  const anomalies: TimelineAnomaly[] = [];
  for (const r of anomalyRows.slice(0, limits.anomalies)) {
    const e = r.payload;
    if (e.kind !== 'anomaly') continue;
    anomalies.push({ id: e.id, node: e.nodeId, at: e.at, class: e.class, count: e.count, source: e.source, firstSeen: e.firstSeen, lastSeen: e.lastSeen, instance: e.instance });
  }
  const nodes = new Set<string>([...everMaster.map((r) => r.node), ...reporters.map((r) => r.node)]);
  for (const a of alertRows) if (a.vrid === q.vrid) for (const n of a.nodes) nodes.add(n);
  return {
    ...head,
    nodes: [...nodes].sort(),
    intervals,
    overlaps: overlaps(bars, q.now, cfg).map((o) => ({ from: toIso(o.from), to: o.to === null ? null : toIso(o.to), nodes: o.nodes, kind: overlapKind(o, alertRows, q) })),
    anomalies,
    anomaliesTruncated: anomalyRows.length > limits.anomalies,
    alerts: alertRows.map((a) => ({
      id: a.id,
      kind: a.kind,
      state: a.state,
      vrid: a.vrid,
      nodes: a.nodes,
      summary: a.summary,
      firstSeen: iso(a.firstSeen),
      raisedAt: iso(a.raisedAt),
      resolvedAt: a.resolvedAt === null ? null : iso(a.resolvedAt),
    })),
  };
}

function overlapKind(o: Overlap, alertRows: readonly AlertRow[], q: TimelineQuery): OverlapKind {
  if (!o.beyondGrace) return 'handover';
  const end = o.to ?? q.now;
  const alerted = alertRows.some((a) => {
    if (a.kind !== 'split-brain' || a.vrid !== q.vrid) return false;
    const f = parseTimestamp(a.firstSeen)!;
    const r = a.resolvedAt === null ? Number.POSITIVE_INFINITY : parseTimestamp(a.resolvedAt)!;
    return f < end && r > o.from;
  });
  return alerted ? 'split-brain' : 'unconfirmed';
}

export interface KnownRouter {
  domain: string;
  vrid: number;
  nodes: string[];
  /** When mastership last changed hands (the latest interval start). */
  lastChange: string;
}

/** Every (domain, VRID) that has had a MASTER, for the page's selector. */
export async function knownRouters(db: Executor): Promise<KnownRouter[]> {
  const rows = await db
    .select({
      domain: mastership.domain,
      vrid: mastership.vrid,
      nodes: sql<string[]>`array_agg(distinct ${mastership.nodeId} order by ${mastership.nodeId})`,
      lastChange: sql<string>`max(${mastership.fromAt})::text`,
    })
    .from(mastership)
    .groupBy(mastership.domain, mastership.vrid)
    .orderBy(asc(mastership.domain), asc(mastership.vrid));
  return rows.map((r) => ({ domain: r.domain, vrid: r.vrid, nodes: r.nodes, lastChange: iso(r.lastChange) }));
}
