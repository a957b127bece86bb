// What step() asks the shell to do, as data.
//
// CONTRACT — the shell executes the effects of one step IN ARRAY ORDER, each completing (or at least
// being issued) before the next. step() emits them in this order within any one step:
//
//   1. send-advert     (first: on takeover the old master must drop the VIPs before our GARPs land —
//                       keepalived vrrp_state_master_tx(); on resign the priority-0 advert goes out
//                       while we still hold the VIPs so that a backup's Skew_Time starts at once)
//   2. add-vips / remove-vips, each followed by filter-vips for a non-owner with accept mode off
//   3. send-garp       (after add-vips: a GARP for an address we do not hold would be a lie)
//   4. run-notify      (keepalived notify_master/backup/fault/stop scripts, after the network moved)
//   5. emit-event      (last: the event describes what was done)
//
// Effects never wait for each other's outcome in the core; a failure to execute one is the shell's to
// log and count, and must not block the rest (VRRP never waits).
import type { IpAddress, VrrpState } from '../types.js';
import type { TransitionReason } from './reasons.js';

/** Which GARP/NA burst this is (keepalived: become master, garp_master_delay, refresh, lower priority). */
export type GarpReason = 'master' | 'master-delayed' | 'refresh' | 'lower-priority' | 'lower-priority-delayed' | 'config-changed';

/** keepalived notify scripts: notify_master/backup/fault/stop, and notify_master_rx_lower_pri. */
export type NotifyKind = 'MASTER' | 'BACKUP' | 'FAULT' | 'STOP' | 'MASTER_RX_LOWER_PRI';

/** Anomalies only the state machine can see (the validation ladder reports the rest). */
export type FsmAnomalyClass = 'priority-owner-conflict';

export interface TransitionEvent {
  readonly kind: 'transition';
  readonly from: VrrpState;
  /** Equal to `from` only for reason lower-priority-received: a MASTER heard another, weaker MASTER. */
  readonly to: VrrpState;
  readonly reason: TransitionReason;
  /** Base priority. */
  readonly priority: number;
  readonly effectivePriority: number;
  /** The master as seen after the transition (ours when we are MASTER), if known. */
  readonly masterAddress: IpAddress | undefined;
  /** Master_Adver_Interval after the transition, centiseconds. */
  readonly intervalCs: number;
  /** The advert that caused it, if one did. */
  readonly trigger?: { readonly source: IpAddress; readonly priority: number };
  /** Set when a vrrp_sync_group forced it: the group, and the member whose transition it followed. */
  readonly sync?: { readonly group: string; readonly member: string };
}

export interface AnomalyEvent {
  readonly kind: 'anomaly';
  readonly class: FsmAnomalyClass;
  readonly source: IpAddress;
  readonly detail: string;
}

export type Effect =
  /** Send one advertisement now. priority 0 = resigning (RFC 9568 §6.4.3). */
  | { readonly type: 'send-advert'; readonly priority: number; readonly intervalCs: number; readonly addresses: readonly IpAddress[] }
  | { readonly type: 'add-vips'; readonly addresses: readonly IpAddress[] }
  | { readonly type: 'remove-vips'; readonly addresses: readonly IpAddress[] }
  /**
   * Accept_Mode False (keepalived `no_accept`, the default under `vrrp_strict`) on a non-owner: 'drop'
   * traffic addressed to these VIPs (right after add-vips), 'accept' it again (after remove-vips).
   * keepalived does it with a firewall set; the shell must not let it delay the GARPs that follow.
   */
  | { readonly type: 'filter-vips'; readonly action: 'drop' | 'accept'; readonly addresses: readonly IpAddress[] }
  /**
   * Gratuitous ARP (IPv4) / unsolicited NA (IPv6): `count` per address, `intervalUs` apart.
   * Later bursts (garp_master_delay, refresh) are scheduled by the core as timers and arrive as
   * their own send-garp effects; the shell never schedules GARPs on its own.
   */
  | { readonly type: 'send-garp'; readonly addresses: readonly IpAddress[]; readonly count: number; readonly intervalUs: number; readonly reason: GarpReason }
  | { readonly type: 'run-notify'; readonly notify: NotifyKind; readonly priority: number }
  | { readonly type: 'emit-event'; readonly event: TransitionEvent | AnomalyEvent };

export type EffectType = Effect['type'];
