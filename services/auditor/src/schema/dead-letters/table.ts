import { bigint, index, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

/**
 * Messages from the bus that failed validation (DESIGN.md rule 4): parked with the reason, then acked so
 * the consumer moves on. Raw bytes are kept as text (lossy only for invalid UTF-8, which is itself a
 * reason). One row per stream message: a redelivered poisoned message is not parked twice.
 */
export const deadLetters = pgTable(
  'dead_letters',
  {
    id: bigint('id', { mode: 'number' }).generatedAlwaysAsIdentity().primaryKey(),
    subject: text('subject').notNull(),
    streamSeq: bigint('stream_seq', { mode: 'number' }),
    reason: text('reason').notNull(),
    raw: text('raw').notNull(),
    receivedAt: timestamp('received_at', { withTimezone: true, precision: 6, mode: 'string' }).notNull(),
  },
  (t) => [uniqueIndex('dead_letters_stream_seq_key').on(t.streamSeq), index('dead_letters_received_idx').on(t.receivedAt)],
);
