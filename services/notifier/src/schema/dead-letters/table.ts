import { bigint, index, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { notifierSchema } from '../namespace.js';

/**
 * What the notifier could not handle, with the reason (DESIGN.md rule 4), append-only:
 * - `invalid-message`: a bus message that failed parseAlert (subject, stream seq and raw text kept;
 *   one row per stream message, so a redelivery is not parked twice);
 * - `undeliverable`: a message whose channel failed past the retry budget or refused it permanently
 *   (channel and the delivery ids kept; a health notice went out on the other channels).
 */
export const deadLetters = notifierSchema.table(
  'dead_letters',
  {
    id: bigint('id', { mode: 'number' }).generatedAlwaysAsIdentity().primaryKey(),
    kind: text('kind').notNull(),
    reason: text('reason').notNull(),
    subject: text('subject'),
    streamSeq: bigint('stream_seq', { mode: 'number' }),
    raw: text('raw'),
    channel: text('channel'),
    /** The delivery rows (space-separated ids) and their message ids, for `undeliverable`. */
    deliveryIds: text('delivery_ids'),
    messageIds: text('message_ids'),
    at: timestamp('at', { withTimezone: true, precision: 3, mode: 'date' }).notNull(),
  },
  (t) => [uniqueIndex('dead_letters_stream_seq_key').on(t.streamSeq), index('dead_letters_at_idx').on(t.at)],
);
