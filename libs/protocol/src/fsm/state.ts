// The state of one VRRP instance. Plain immutable data: step() returns a new one, the shell keeps it.
//
// RFC 9568 calls MASTER "Active" (and Master_Down_Timer "Active_Down_Timer"); we use keepalived's and
// RFC 3768's MASTER everywhere.
//
// Deadlines live here, each with a generation number. Every time a timer is (re)armed it gets a fresh
// generation from the instance-wide counter, so a timer-fired input naming an older generation — a
// wake-up the shell scheduled before the deadline moved — is recognised as stale and does nothing.
import type { IpAddress, VrrpState } from '../types.js';
import type { InstanceConfig } from './config.js';

/**
 * Timers the core asks the shell to run.
 * - `adver`: MASTER sends its periodic advert (RFC 9568 Adver_Timer).
 * - `master-down`: BACKUP declares the master dead (Master_Down_Timer).
 * - `garp-delay`: MASTER's second GARP burst, garp_master_delay after taking over.
 * - `garp-lower-prio-delay`: MASTER's second burst after hearing a lower-priority advert.
 * There is no preempt-delay timer: keepalived only compares a timestamp when an advert arrives
 * (vrrp_state_backup()), and the takeover itself happens when master-down fires.
 * garp_master_refresh likewise rides on the advert timer (vrrp_state_master_tx()).
 */
export type TimerName = 'adver' | 'master-down' | 'garp-delay' | 'garp-lower-prio-delay';

export interface Deadline {
  /** µs, on the shell's monotonic clock. */
  readonly at: number;
  readonly generation: number;
}

/** Why the next BACKUP → MASTER transition will happen (RFC 6527 vrrpv3StatisticsNewMasterReason). */
export type TakeoverReason = 'master-no-response' | 'priority-zero-received' | 'preempted';

interface Common {
  readonly kind: VrrpState;
  /** Base priority; only differs from config.priority after a priority-255 conflict (see step.ts). */
  readonly basePriority: number;
  /** Priority used in adverts and skew: base, or the trackers' effective priority (1..254). */
  readonly effectivePriority: number;
  /**
   * Master_Adver_Interval in centiseconds: learned from the master's adverts in VRRPv3
   * (RFC 9568 §6.4.2), always the configured advert_int in VRRPv2 (keepalived does not learn it).
   */
  readonly masterAdverIntervalCs: number;
  /** Last generation handed out. */
  readonly generation: number;
  /** Address of the current master as far as we know (our own primary address when MASTER). */
  readonly masterAddress: IpAddress | undefined;
  /** Priority the current master advertised (ours when MASTER). */
  readonly masterPriority: number | undefined;
}

export interface InitState extends Common {
  readonly kind: 'INIT';
}

export interface BackupState extends Common {
  readonly kind: 'BACKUP';
  readonly masterDown: Deadline;
  /** keepalived preempt_time: lower-priority adverts are accepted until this instant. */
  readonly preemptAt: number | undefined;
  readonly takeoverReason: TakeoverReason;
  /**
   * keepalived wantstate MASTER while held in BACKUP by a sync group (input sync-hold): the
   * Master_Down_Timer fired, but not every member of the group wanted MASTER yet. Cleared by the next
   * advert a BACKUP accepts (vrrp_state_backup(): "Now we have received a backup, we want to be in
   * BACKUP state"). Undefined = false.
   */
  readonly wantsMaster?: boolean;
}

export interface MasterState extends Common {
  readonly kind: 'MASTER';
  readonly adver: Deadline;
  readonly garpDelay: Deadline | undefined;
  readonly garpLowerPrioDelay: Deadline | undefined;
  /** garp_master_refresh: the next advert after this instant also re-announces the VIPs. */
  readonly garpRefreshAt: number | undefined;
}

export interface FaultState extends Common {
  readonly kind: 'FAULT';
}

export interface StopState extends Common {
  readonly kind: 'STOP';
}

export type State = InitState | BackupState | MasterState | FaultState | StopState;

/** The state before `startup`. */
export function initialState(config: InstanceConfig): InitState {
  return {
    kind: 'INIT',
    basePriority: config.priority,
    effectivePriority: config.priority,
    masterAdverIntervalCs: config.advertIntervalCs,
    generation: 0,
    masterAddress: undefined,
    masterPriority: undefined,
  };
}

export interface ArmedTimer {
  readonly timer: TimerName;
  readonly at: number;
  readonly generation: number;
}

/** Every armed timer, earliest first (ties: in TimerName order). */
export function armedTimers(state: State): ArmedTimer[] {
  const out: ArmedTimer[] = [];
  const add = (timer: TimerName, d: Deadline | undefined): void => {
    if (d) out.push({ timer, at: d.at, generation: d.generation });
  };
  switch (state.kind) {
    case 'BACKUP':
      add('master-down', state.masterDown);
      break;
    case 'MASTER':
      add('adver', state.adver);
      add('garp-delay', state.garpDelay);
      add('garp-lower-prio-delay', state.garpLowerPrioDelay);
      break;
    case 'INIT':
    case 'FAULT':
    case 'STOP':
      break;
  }
  return out.sort((a, b) => a.at - b.at);
}

/** The earliest armed timer: what the shell should fire (as timer-fired) once its `at` has come. */
export function nextTimer(state: State): ArmedTimer | undefined {
  return armedTimers(state)[0];
}

/** When the shell must next wake this instance (µs), or undefined if no timer is armed. */
export function nextDeadline(state: State): number | undefined {
  return nextTimer(state)?.at;
}
