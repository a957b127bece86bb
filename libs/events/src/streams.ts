// JetStream stream definitions, as plain data (this library knows no NATS client; the publisher turns
// these into a StreamConfig). Provisioning is idempotent: create if missing, else update to match.

export interface StreamDefinition {
  readonly name: string;
  readonly subjects: readonly string[];
  /**
   * De-duplication window for the msgID (= event id). It must be longer than the outbox's replay
   * horizon: an event published but not yet marked acked when the node dies is published again when
   * the node restarts, and the stream must still remember its id then. 24 h covers a node that is down
   * for a day; beyond that the auditor's unique key still keeps Postgres exact.
   */
  readonly duplicateWindowMs: number;
  /** How long the stream keeps messages (the auditor's Postgres is the long-term log). */
  readonly maxAgeMs: number;
}

const HOUR_MS = 3_600_000;

export const EVENTS_STREAM: StreamDefinition = {
  name: 'HOTSTANDBY_EVENTS',
  subjects: ['hs.evt.>'],
  duplicateWindowMs: 24 * HOUR_MS,
  maxAgeMs: 30 * 24 * HOUR_MS,
};

export const ALERTS_STREAM: StreamDefinition = {
  name: 'HOTSTANDBY_ALERTS',
  subjects: ['hs.alert.>'],
  duplicateWindowMs: 24 * HOUR_MS,
  maxAgeMs: 30 * 24 * HOUR_MS,
};
