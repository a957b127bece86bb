import { sql } from 'drizzle-orm';
import { bigint, boolean, index, integer, jsonb, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { notifierSchema } from '../namespace.js';

/**
 * The send record: one row per (message, channel), written — committed — before the JetStream ack.
 * A redelivered alert finds its row and is acked without a second send. The id orders a channel's queue.
 *
 * status: pending → sending → sent | dead. `in_flight` is true exactly while an attempt may be reaching
 * the server: a row found `sending` + `in_flight` after a crash may or may not have been delivered, and
 * its resend is marked as a possible duplicate (same e-mail Message-ID). Rows are never deleted by the
 * notifier (they are its audit of what was told to whom).
 */
export const deliveries = notifierSchema.table(
  'deliveries',
  {
    id: bigint('id', { mode: 'number' }).generatedAlwaysAsIdentity().primaryKey(),
    /** alertMessageId(alert) (`<incident>.<state>`), or `health.…` / `test.…`. */
    messageId: text('message_id').notNull(),
    channel: text('channel').notNull(),
    /** raised | resolved | health | test */
    kind: text('kind').notNull(),
    incidentId: text('incident_id').notNull(),
    groupKey: text('group_key').notNull(),
    /** The Alert (raised/resolved) or the HealthNotice / TestNotice. */
    payload: jsonb('payload').notNull(),
    status: text('status').notNull().default('pending'),
    inFlight: boolean('in_flight').notNull().default(false),
    possibleDuplicate: boolean('possible_duplicate').notNull().default(false),
    attempts: integer('attempts').notNull().default(0),
    /** The message this row went out in (a group shares one): renders the same every time. */
    groupRef: text('group_ref'),
    /** That message's title, for the resolved follow-up's "Resolved: <title>". */
    title: text('title'),
    lastError: text('last_error'),
    streamSeq: bigint('stream_seq', { mode: 'number' }),
    receivedAt: timestamp('received_at', { withTimezone: true, precision: 3, mode: 'date' }).notNull(),
    sendingAt: timestamp('sending_at', { withTimezone: true, precision: 3, mode: 'date' }),
    finishedAt: timestamp('finished_at', { withTimezone: true, precision: 3, mode: 'date' }),
  },
  (t) => [
    uniqueIndex('deliveries_message_channel_key').on(t.messageId, t.channel),
    index('deliveries_queue_idx').on(t.channel, t.id).where(sql`status in ('pending', 'sending')`),
    index('deliveries_incident_idx').on(t.incidentId, t.channel),
  ],
);
