import { boolean, index, jsonb, pgTable, smallint, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * Alerts the detectors raised. One row per incident: `state` goes raised → resolved once. The two
 * `*_published` flags record that the raised / resolved message reached JetStream (msgID
 * `<id>.<state>`), so a restart republishes what was committed but not yet published, and the stream's
 * duplicate window drops a second copy.
 */
export const alerts = pgTable(
  'alerts',
  {
    id: text('id').primaryKey(),
    /** What the detector tracks: one open incident per key (e.g. `split-brain|10.10.10.0/24|51`). */
    key: text('key').notNull(),
    kind: text('kind').notNull(),
    domain: text('domain').notNull(),
    vrid: smallint('vrid'),
    state: text('state', { enum: ['raised', 'resolved'] }).notNull(),
    nodes: jsonb('nodes').$type<string[]>().notNull(),
    evidence: jsonb('evidence').$type<string[]>().notNull(),
    summary: text('summary').notNull(),
    firstSeen: timestamp('first_seen', { withTimezone: true, precision: 6, mode: 'string' }).notNull(),
    raisedAt: timestamp('raised_at', { withTimezone: true, precision: 6, mode: 'string' }).notNull(),
    resolvedAt: timestamp('resolved_at', { withTimezone: true, precision: 6, mode: 'string' }),
    raisedPublished: boolean('raised_published').notNull().default(false),
    resolvedPublished: boolean('resolved_published').notNull().default(false),
  },
  (t) => [index('alerts_state_idx').on(t.state, t.firstSeen), index('alerts_key_idx').on(t.key)],
);
