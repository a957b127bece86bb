// What a channel delivers. Alerts come from the bus; a health notice is the notifier's own alert
// ("the other channel is failing") and a test notice is `vrrp-notifier test`. Neither of the last two
// is an Alert kind in @hotstandby/events (that list is the auditor's), so they are defined here.
import type { Alert } from '@hotstandby/events';

export const CHANNELS = ['slack', 'email', 'console'] as const;
export type Channel = (typeof CHANNELS)[number];

/** One message about one or more alerts of the same state, domain and VRID (an incident group). */
export interface AlertNotice {
  readonly type: 'alerts';
  readonly state: 'raised' | 'resolved';
  /** In arrival order; never empty. */
  readonly alerts: readonly Alert[];
}

export interface HealthNotice {
  readonly type: 'health';
  /** The channel that could not deliver. */
  readonly failedChannel: Channel;
  readonly reason: string;
  /** Summaries of what was not delivered there. */
  readonly undelivered: readonly { readonly id: string; readonly kind: string; readonly state: string; readonly summary: string }[];
  readonly at: string;
}

export interface TestNotice {
  readonly type: 'test';
  readonly channel: Channel;
  readonly at: string;
}

export type Notice = AlertNotice | HealthNotice | TestNotice;

/**
 * How a message relates to the ones before it. `thread` is set on a resolved follow-up: the raised
 * message's reference (e-mail Message-ID) and title, so the follow-up lands in the same thread.
 */
export interface Delivery {
  readonly notice: Notice;
  /** Stable per message: the same group always renders with the same id (duplicates are recognisable). */
  readonly ref: string;
  readonly thread?: { readonly refs: readonly string[]; readonly title: string } | undefined;
  /** The notifier may already have delivered this (it crashed mid-send, or a send timed out). */
  readonly possibleDuplicate: boolean;
}
