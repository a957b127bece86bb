// Mastership intervals of a VRID overlapping [from, to), oldest first.
import { and, asc, eq, sql } from 'drizzle-orm';
import type { Executor } from '../project/store.js';
import { events, mastership } from '../schema/index.js';
import type { Micros } from '../time/micros.js';
import { toIso } from '../time/micros.js';
import type { Interval } from './master-at.js';
import { during, intervalOut } from './master-at.js';
import { preparedPerDomain } from './prepared.js';

export interface HistoryQuery {
  vrid: number;
  from: Micros;
  to: Micros;
  domain?: string | undefined;
  limit?: number;
}

/**
 * The statement behind history(), with placeholders `vrid`, `from`, `to` (ISO text), `limit` and, when
 * `inDomain`, `domain`. The takeover's measured latency lives in the transition event that opened the interval.
 */
export function historyQuery(db: Executor, inDomain: boolean) {
  return db
    .select({ m: mastership, latency: sql<number | string | null>`(${events.payload}->>'failoverLatencyUs')::double precision` })
    .from(mastership)
    .leftJoin(events, eq(events.id, mastership.startEventId))
    .where(
      and(
        eq(mastership.vrid, sql.placeholder('vrid')),
        inDomain ? eq(mastership.domain, sql.placeholder('domain')) : undefined,
        sql`${during} && tstzrange(${sql.placeholder('from')}::timestamptz, ${sql.placeholder('to')}::timestamptz, '[)')`,
      ),
    )
    .orderBy(asc(mastership.fromAt), asc(mastership.nodeId))
    .limit(sql.placeholder('limit'));
}

const statement = preparedPerDomain('history', historyQuery);

export async function history(db: Executor, q: HistoryQuery): Promise<Interval[]> {
  const args = { vrid: q.vrid, from: toIso(q.from), to: toIso(q.to), limit: q.limit ?? 10_000 };
  const rows = q.domain === undefined ? await statement(db, false).execute(args) : await statement(db, true).execute({ ...args, domain: q.domain });
  return rows.map((r) => ({ ...intervalOut(r.m), failoverLatencyUs: r.latency === null ? null : Number(r.latency) }));
}
