// What can happen to a VRRP instance. The shell turns sockets, clocks, trackers and config reloads
// into these; step() is the only thing that interprets them.
import type { Advertisement, IpAddress } from '../types.js';
import type { InstanceConfig } from './config.js';
import type { TimerName } from './state.js';
import type { TransitionReason } from './reasons.js';

/** Where a vrrp_sync_group forces a member (keepalived vrrp_sync.c). */
export type SyncTarget = 'MASTER' | 'BACKUP' | 'FAULT';

export type Input =
  /** Start the instance (from INIT, or again from STOP). `faulted`: an interface/tracker is already down. */
  | { readonly type: 'startup'; readonly faulted?: boolean }
  /** Graceful stop (keepalived SIGTERM): a MASTER resigns with a priority-0 advert. */
  | { readonly type: 'shutdown' }
  /** An advert that passed the validation ladder (packet/validate), for this instance's VRID. */
  | { readonly type: 'advert-received'; readonly advert: Advertisement; readonly source: IpAddress }
  /** A deadline from nextTimer() has come. Stale generations are ignored. */
  | { readonly type: 'timer-fired'; readonly timer: TimerName; readonly generation: number }
  /**
   * The trackers' effective priority changed (track/priority.ts effectivePriority(): already
   * clamped to 1..254). Ignored for the address owner, as keepalived does.
   */
  | { readonly type: 'priority-changed'; readonly priority: number }
  /** Aggregate fault raised: interface down or a weight-0 tracker failing (level, not edge). */
  | { readonly type: 'fault' }
  /** Aggregate fault cleared: every interface up and every weight-0 tracker OK again. */
  | { readonly type: 'fault-cleared' }
  /**
   * The config passed to step() replaces `previous` (keepalived reload). Same vrid, family and
   * version required — anything else is a different instance (remove the old, start the new).
   */
  | { readonly type: 'config-changed'; readonly previous: InstanceConfig }
  /**
   * The instance's vrrp_sync_group forces it to follow another member (sync/group.ts decides when):
   * MASTER = keepalived vrrp_sync_master() → vrrp_state_goto_master(); BACKUP = vrrp_sync_backup() →
   * vrrp_state_leave_master() / vrrp_state_leave_fault(); FAULT = vrrp_sync_fault(). `reason` is the
   * triggering member's (keepalived copies its master_reason to the forced members), `trigger` its name.
   */
  | { readonly type: 'sync'; readonly to: SyncTarget; readonly group: string; readonly trigger: string; readonly reason: TransitionReason }
  /**
   * The sync group holds this BACKUP back: its Master_Down_Timer fired, but not every other member
   * wants MASTER (keepalived vrrp_sync_can_goto_master()). It stays BACKUP, wanting MASTER, with the
   * timer re-armed to a full Master_Down_Interval.
   */
  | { readonly type: 'sync-hold' };

export type InputType = Input['type'];
