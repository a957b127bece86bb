import { desc, eq } from 'drizzle-orm';
import type { Executor } from '../project/store.js';
import { alerts } from '../schema/index.js';
import { parseTimestamp, toIso } from '../time/micros.js';

export type AlertFilter = 'open' | 'resolved' | 'all';

export async function listAlerts(db: Executor, state: AlertFilter, limit = 500) {
  const rows = await db
    .select()
    .from(alerts)
    .where(state === 'all' ? undefined : eq(alerts.state, state === 'open' ? 'raised' : 'resolved'))
    .orderBy(desc(alerts.firstSeen))
    .limit(limit);
  const iso = (t: string | null) => (t === null ? null : toIso(parseTimestamp(t)!));
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    state: r.state,
    domain: r.domain,
    vrid: r.vrid,
    nodes: r.nodes,
    evidence: r.evidence,
    summary: r.summary,
    firstSeen: iso(r.firstSeen),
    raisedAt: iso(r.raisedAt),
    resolvedAt: iso(r.resolvedAt),
  }));
}
