// "Who was master of VRID 51 at T?" — every interval containing T (two or more: a split brain).
// The containment test is written exactly as mastership_during_idx so the GiST index answers it.
import { and, asc, eq, sql } from 'drizzle-orm';
import type { Executor } from '../project/store.js';
import { mastership } from '../schema/index.js';
import type { MastershipRow } from '../schema/index.js';
import type { Micros } from '../time/micros.js';
import { pgTimestampToIso, toIso } from '../time/micros.js';
import { preparedPerDomain } from './prepared.js';

export interface Interval {
  domain: string;
  vrid: number;
  node: string;
  instance: string;
  from: string;
  /** null: still MASTER as far as the auditor knows. */
  to: string | null;
  startReason: string;
  endReason: string | null;
  startEventId: string;
  endEventId: string | null;
  /** Takeovers only (history): the new master's measured failover latency, from its transition event. */
  failoverLatencyUs?: number | null;
}

export function intervalOut(r: MastershipRow): Interval {
  return {
    domain: r.domain,
    vrid: r.vrid,
    node: r.nodeId,
    instance: r.instance,
    from: pgTimestampToIso(r.fromAt)!,
    to: r.toAt === null ? null : pgTimestampToIso(r.toAt)!,
    startReason: r.startReason,
    endReason: r.endReason,
    startEventId: r.startEventId,
    endEventId: r.endEventId,
  };
}

export const during = sql`tstzrange(${mastership.fromAt}, coalesce(${mastership.toAt}, 'infinity'::timestamptz), '[)')`;

/** The statement, with placeholders `vrid`, `at` (ISO text) and, when `inDomain`, `domain`. */
export function masterAtQuery(db: Executor, inDomain: boolean) {
  return db
    .select()
    .from(mastership)
    .where(
      and(
        eq(mastership.vrid, sql.placeholder('vrid')),
        inDomain ? eq(mastership.domain, sql.placeholder('domain')) : undefined,
        sql`${during} @> ${sql.placeholder('at')}::timestamptz`,
      ),
    )
    .orderBy(asc(mastership.fromAt), asc(mastership.nodeId));
}

const statement = preparedPerDomain('master_at', masterAtQuery);

export async function masterAt(db: Executor, q: { vrid: number; at: Micros; domain?: string | undefined }): Promise<Interval[]> {
  const at = toIso(q.at);
  const rows = q.domain === undefined ? await statement(db, false).execute({ vrid: q.vrid, at }) : await statement(db, true).execute({ vrid: q.vrid, at, domain: q.domain });
  return rows.map(intervalOut);
}
