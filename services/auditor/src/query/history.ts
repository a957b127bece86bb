// Mastership intervals of a VRID overlapping [from, to), oldest first.
import { and, asc, eq, sql } from 'drizzle-orm';
import type { Executor } from '../project/store.js';
import { mastership } from '../schema/index.js';
import type { Micros } from '../time/micros.js';
import { toIso } from '../time/micros.js';
import type { Interval } from './master-at.js';
import { during, intervalOut } from './master-at.js';

export async function history(db: Executor, q: { vrid: number; from: Micros; to: Micros; domain?: string | undefined; limit?: number }): Promise<Interval[]> {
  const rows = await db
    .select()
    .from(mastership)
    .where(
      and(
        eq(mastership.vrid, q.vrid),
        q.domain === undefined ? undefined : eq(mastership.domain, q.domain),
        sql`${during} && tstzrange(${toIso(q.from)}::timestamptz, ${toIso(q.to)}::timestamptz, '[)')`,
      ),
    )
    .orderBy(asc(mastership.fromAt), asc(mastership.nodeId))
    .limit(q.limit ?? 10_000);
  return rows.map(intervalOut);
}
