import { sql } from 'drizzle-orm';
import { bigint, index, integer, pgTable, smallint, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

/**
 * Mastership intervals: node `node_id` was MASTER of (domain, vrid) from `from_at` until `to_at`
 * (null: still is, as far as the auditor knows). A projection of `events` — `vrrp-auditor rebuild`
 * truncates and recomputes it. Several open rows for one (domain, vrid) at once is a split brain, and
 * the "master at T" answer lists all of them.
 *
 * Reasons: a transition reason (RFC 6527 vocabulary) or the auditor's own: `heartbeat` (a heartbeat
 * said MASTER/not MASTER without a transition we saw — the "silent winner"), `node-lost`,
 * `node-restarted`.
 */
export const mastership = pgTable(
  'mastership',
  {
    id: bigint('id', { mode: 'number' }).generatedAlwaysAsIdentity().primaryKey(),
    domain: text('domain').notNull(),
    vrid: smallint('vrid').notNull(),
    nodeId: text('node_id').notNull(),
    instance: text('instance').notNull(),
    fromAt: timestamp('from_at', { withTimezone: true, precision: 6, mode: 'string' }).notNull(),
    toAt: timestamp('to_at', { withTimezone: true, precision: 6, mode: 'string' }),
    startReason: text('start_reason').notNull(),
    endReason: text('end_reason'),
    startEventId: text('start_event_id').notNull(),
    endEventId: text('end_event_id'),
    /** The advert interval (centiseconds) the node announced when it became MASTER: sets the split-brain grace. */
    intervalCs: integer('interval_cs').notNull(),
  },
  (t) => [
    index('mastership_router_from_idx').on(t.vrid, t.domain, t.fromAt),
    // "Master at T": a GiST index over (vrid, domain, [from, to)) answers containment without scanning
    // history — every interval containing T, so all masters of a split brain. The domain is in it because
    // the same VRID runs on many LANs: without it, T on VRID 51 found every LAN's interval and the heap
    // was read for each to keep one (bench/query.bench.ts, 100 LANs: 101 rows read for 1-2 kept).
    index('mastership_during_idx').using('gist', t.vrid, t.domain, sql`tstzrange(${t.fromAt}, coalesce(${t.toAt}, 'infinity'::timestamptz), '[)')`),
    // At most one open interval per node per router.
    uniqueIndex('mastership_open_key').on(t.domain, t.vrid, t.nodeId).where(sql`${t.toAt} is null`),
  ],
);
