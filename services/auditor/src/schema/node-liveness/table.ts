import { bigint, boolean, integer, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import type { HeartbeatInstance } from '@hotstandby/events';

/**
 * One row per node: where its event stream stands (boot, seq), when it was last heard, and its last
 * heartbeat. A projection of `events`. `lost` means "no event for N heartbeat periods": its state is
 * unknown (its mastership intervals were closed with reason `node-lost`).
 */
export const nodeLiveness = pgTable('node_liveness', {
  nodeId: text('node_id').primaryKey(),
  bootId: text('boot_id').notNull(),
  lastSeq: bigint('last_seq', { mode: 'number' }).notNull(),
  lastSeenAt: timestamp('last_seen_at', { withTimezone: true, precision: 6, mode: 'string' }).notNull(),
  lastEventId: text('last_event_id').notNull(),
  periodMs: integer('period_ms'),
  lastHeartbeatId: text('last_heartbeat_id'),
  lastHeartbeatAt: timestamp('last_heartbeat_at', { withTimezone: true, precision: 6, mode: 'string' }),
  instances: jsonb('instances').$type<HeartbeatInstance[]>(),
  lost: boolean('lost').notNull().default(false),
});
