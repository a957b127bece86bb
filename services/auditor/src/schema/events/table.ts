import { sql } from 'drizzle-orm';
import { bigint, index, json, pgTable, smallint, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import type { HsEvent } from '@hotstandby/events';

/**
 * The event log: one row per bus event, the auditor's memory (DESIGN.md rule 2).
 *
 * Rules:
 * - APPEND-ONLY. Rows are inserted by ingest (only ids not stored yet, and the unique `id` refuses a
 *   second copy, so a redelivered message is harmless: ingest/insert-events.ts) and never updated or
 *   deleted by the auditor. No foreign key points here with ON DELETE CASCADE, and none ever may:
 *   projections are rebuilt from this table, not the other way round.
 * - `id` is `<nodeId>.<bootId>.<seq>` — the JetStream msgID and the unique key.
 * - `pos` is the order in which the auditor committed rows; `vrrp-auditor rebuild` replays in `pos` order so
 *   that a rebuild reproduces exactly what incremental processing did.
 * - Sort key for people and the API: `at` (the node's wall clock, µs), tie-breaker `id`. Within one node
 *   the truth is (boot, seq); across nodes `at` is trusted up to the skew tolerance (see detect/clock.ts).
 * - `payload` is the full validated event; the typed columns duplicate what is filtered on. It is `json`
 *   (the text, checked to be JSON), not `jsonb`: the log is written far more than it is searched inside,
 *   and building the jsonb form cost the server about a quarter of an ingested event's time
 *   (services/auditor/README.md, "Ingest throughput"). `->>` works on both; nothing here indexes the payload.
 * - Every index is paid for on each ingested row; heartbeats (most of the rows) have no router, so the
 *   router index leaves them out (a `vrid = …` filter implies `vrid is not null`, so it still applies).
 */
export const events = pgTable(
  'events',
  {
    pos: bigint('pos', { mode: 'number' }).generatedAlwaysAsIdentity().notNull(),
    id: text('id').primaryKey(),
    nodeId: text('node_id').notNull(),
    bootId: text('boot_id').notNull(),
    seq: bigint('seq', { mode: 'number' }).notNull(),
    kind: text('kind').notNull(),
    /** Null for node-wide events (heartbeat, gap). */
    domain: text('domain'),
    vrid: smallint('vrid'),
    instance: text('instance'),
    at: timestamp('at', { withTimezone: true, precision: 6, mode: 'string' }).notNull(),
    /** JetStream stream sequence of the message that brought the row (null if imported another way). */
    streamSeq: bigint('stream_seq', { mode: 'number' }),
    receivedAt: timestamp('received_at', { withTimezone: true, precision: 6, mode: 'string' }).notNull().default(sql`now()`),
    payload: json('payload').$type<HsEvent>().notNull(),
  },
  (t) => [
    uniqueIndex('events_pos_key').on(t.pos),
    index('events_at_id_idx').on(t.at, t.id),
    index('events_router_at_idx').on(t.vrid, t.domain, t.at).where(sql`${t.vrid} is not null`),
    index('events_node_at_idx').on(t.nodeId, t.at),
    index('events_kind_at_idx').on(t.kind, t.at),
  ],
);
