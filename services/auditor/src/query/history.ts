// Mastership intervals of a VRID overlapping [from, to), oldest first.
import { and, asc, eq, sql } from 'drizzle-orm';
import type { Executor } from '../project/store.js';
import { events, mastership } from '../schema/index.js';
import type { Micros } from '../time/micros.js';
import { toIso } from '../time/micros.js';
import type { Interval } from './master-at.js';
import { during, intervalOut } from './master-at.js';

export interface HistoryQuery {
  vrid: number;
  from: Micros;
  to: Micros;
  domain?: string | undefined;
  limit?: number;
}

/** The statement behind history(). The takeover's measured latency lives in the transition event that opened the interval. */
export function historyQuery(db: Executor, q: HistoryQuery) {
  return db
    .select({ m: mastership, latency: sql<number | string | null>`(${events.payload}->>'failoverLatencyUs')::double precision` })
    .from(mastership)
    .leftJoin(events, eq(events.id, mastership.startEventId))
    .where(
      and(
        eq(mastership.vrid, q.vrid),
        q.domain === undefined ? undefined : eq(mastership.domain, q.domain),
        sql`${during} && tstzrange(${toIso(q.from)}::timestamptz, ${toIso(q.to)}::timestamptz, '[)')`,
      ),
    )
    .orderBy(asc(mastership.fromAt), asc(mastership.nodeId))
    .limit(q.limit ?? 10_000);
}

export async function history(db: Executor, q: HistoryQuery): Promise<Interval[]> {
  const rows = await historyQuery(db, q);
  return rows.map((r) => ({ ...intervalOut(r.m), failoverLatencyUs: r.latency === null ? null : Number(r.latency) }));
}
