import { ANOMALY_CLASSES as PROTOCOL_ANOMALY_CLASSES } from '@hotstandby/protocol';
// The closed lists the bus speaks. A consumer can switch exhaustively on every one of them; adding a
// value is a schema change (bump SCHEMA_VERSION and say so in the CHANGELOG).

/** keepalived's state names (RFC 9568 calls MASTER "Active"; we say MASTER everywhere). */
export const VRRP_STATES = ['INIT', 'BACKUP', 'MASTER', 'FAULT', 'STOP'] as const;
export type EventVrrpState = (typeof VRRP_STATES)[number];

export const FAMILIES = ['ipv4', 'ipv6'] as const;
export type EventFamily = (typeof FAMILIES)[number];

/**
 * Why a transition happened: the RFC 6527 / RFC 8347 vocabulary (`priority`, `preempted`,
 * `master-no-response`, `priority-zero-received`) plus keepalived's own causes
 * (`lower-priority-received` is keepalived's MASTER_RX_LOWER_PRI).
 */
export const TRANSITION_REASONS = [
  'priority',
  'preempted',
  'master-no-response',
  'priority-zero-received',
  'higher-priority-received',
  'lower-priority-received',
  'startup',
  'shutdown',
  'fault',
  'fault-cleared',
] as const;
export type TransitionReason = (typeof TRANSITION_REASONS)[number];

/**
 * One class per row of the receive-validation ladder: the protocol core's closed list
 * (libs/protocol validate/anomaly.ts) is the one list; the bus carries exactly those classes.
 */
export const ANOMALY_CLASSES = PROTOCOL_ANOMALY_CLASSES;
export type AnomalyClass = (typeof ANOMALY_CLASSES)[number];

/** What the auditor can tell the notifier about (DESIGN.md, "alert"). */
export const ALERT_KINDS = ['split-brain', 'vip-drift', 'node-lost', 'flapping', 'event-gap'] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];

export const ALERT_STATES = ['raised', 'resolved'] as const;
export type AlertState = (typeof ALERT_STATES)[number];

/** Why the outbox lost events. Every loss is one of these, with exact counts (never silent). */
export const GAP_CAUSES = [
  /** The outbox hit its byte cap while the bus was unreachable; the oldest unpublished events were dropped. */
  'size-cap',
  /** A record in the outbox file failed its checksum or did not parse at replay (disk damage, torn write). */
  'corrupt-record',
] as const;
export type GapCause = (typeof GAP_CAUSES)[number];

export const EVENT_KINDS = ['transition', 'anomaly', 'heartbeat', 'gap'] as const;
export type EventKind = (typeof EVENT_KINDS)[number];
