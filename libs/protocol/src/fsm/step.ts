// The VRRP state machine: step(config, state, input, now) → { state, effects }.
//
// Pure: no clock, no I/O. `now` is the shell's monotonic time in µs. Behaviour follows RFC 9568 §6.4
// (VRRPv3) and RFC 3768 §6.4 (VRRPv2) as keepalived 2.2.7 implements them (vrrp.c vrrp_state_backup(),
// vrrp_state_master_rx(), vrrp_state_master_tx(), vrrp_state_leave_master(); vrrp_scheduler.c
// vrrp_init_state(), vrrp_dispatcher_read()); where keepalived and the RFC differ, the comment says
// which one we follow and why.
import type { Advertisement, IpAddress, VrrpState } from '../types.js';
import { compareAddresses } from './address-order.js';
import type { InstanceConfig } from './config.js';
import { OWNER } from './config.js';
import type { AnomalyEvent, Effect, TransitionEvent } from './effect.js';
import type { Input, SyncTarget } from './input.js';
import type { TransitionReason } from './reasons.js';
import type { BackupState, Deadline, FaultState, MasterState, State, StopState, TakeoverReason } from './state.js';
import { adverIntervalUs, masterDownIntervalUs, skewTimeUs } from './timers.js';

export interface StepResult {
  readonly state: State;
  /** In contract order (see effect.ts): execute in array order. */
  readonly effects: readonly Effect[];
}

const NO_EFFECTS: readonly Effect[] = Object.freeze([]);

export function step(config: InstanceConfig, state: State, input: Input, now: number): StepResult {
  switch (input.type) {
    case 'startup':
      return startup(config, state, now, input.faulted === true);
    case 'shutdown':
      return shutdown(config, state);
    case 'advert-received':
      if (input.advert.vrid !== config.vrid) throw new Error(`advert for VRID ${input.advert.vrid} given to instance ${config.name} (VRID ${config.vrid})`);
      if (state.kind === 'BACKUP') return backupReceives(config, state, input.advert, input.source, now);
      if (state.kind === 'MASTER') return masterReceives(config, state, input.advert, input.source, now);
      // keepalived vrrp_dispatcher_read(): "We just ignore a message received when we are in fault
      // state or not yet fully initialised".
      return unchanged(state);
    case 'timer-fired':
      return timerFired(config, state, input.timer, input.generation, now);
    case 'priority-changed':
      return priorityChanged(config, state, input.priority);
    case 'fault':
      return fault(config, state);
    case 'fault-cleared':
      return faultCleared(config, state, now);
    case 'config-changed':
      return configChanged(config, input.previous, state, now);
    case 'sync':
      return syncTo(config, state, input.to, input.reason, { group: input.group, member: input.trigger }, now);
    case 'sync-hold':
      return syncHold(config, state, now);
  }
}

// ---------------------------------------------------------------------------------------------- startup

function startup(config: InstanceConfig, state: State, now: number, faulted: boolean): StepResult {
  if (state.kind !== 'INIT' && state.kind !== 'STOP') return unchanged(state);
  const fresh: State = { ...common(state), kind: 'INIT', masterAdverIntervalCs: config.advertIntervalCs, masterAddress: undefined, masterPriority: undefined };
  if (faulted) return toFault(config, fresh, [], 'fault');
  // RFC 9568 §6.4.1: the owner (Priority 255) sends an advert, announces its addresses and becomes
  // Active at once. keepalived 2.2.7 does so only if the state hint is also MASTER (vrrp_init_state()
  // arms a 1 µs backup timer; the effect is the same, without a BACKUP notify).
  if (config.priority === OWNER && config.initialState === 'MASTER') return becomeMaster(config, fresh, now, 'priority');
  // Everyone else, whatever the hint: "Set the Active_Down_Timer to Active_Down_Interval;
  // Transition to the {Backup} state".
  return becomeBackup(config, fresh, now, 'startup', [], {});
}

// ---------------------------------------------------------------------------------------------- shutdown

function shutdown(config: InstanceConfig, state: State): StepResult {
  if (state.kind === 'STOP') return unchanged(state);
  const effects: Effect[] = [];
  if (state.kind === 'MASTER') {
    // RFC 9568 §6.4.3: "Send an ADVERTISEMENT with Priority = 0"; keepalived restore_vrrp_interfaces()
    // then removes the VIPs.
    effects.push(advert(config, 0));
    pushVips(effects, config, 'remove-vips', config.virtualAddresses);
  }
  const next: StopState = { ...common(state), kind: 'STOP' };
  effects.push(notify('STOP', next), event(transition(config, state.kind, next, 'shutdown')));
  return { state: next, effects };
}

// ---------------------------------------------------------------------------------------------- BACKUP receives

function backupReceives(config: InstanceConfig, state: BackupState, adv: Advertisement, source: IpAddress, now: number): StepResult {
  const local = state.effectivePriority;
  if (adv.priority === 0) {
    // RFC 9568 §6.4.2: "If the Priority in the ADVERTISEMENT is 0, then: o Set the Active_Down_Timer
    // to Skew_Time".
    const gen = state.generation + 1;
    const at = now + skewTimeUs(config.version, local, state.masterAdverIntervalCs);
    return { state: { ...state, generation: gen, masterDown: { at, generation: gen }, takeoverReason: 'priority-zero-received' }, effects: NO_EFFECTS };
  }
  // keepalived vrrp_state_backup(): accept while preempt_delay has not yet run out.
  const delaying = config.preemptDelayUs > 0 && (state.preemptAt === undefined || state.preemptAt > now);
  if (config.nopreempt || adv.priority >= local || delaying) {
    // "If Preempt_Mode is False, or if the Priority in the ADVERTISEMENT is greater than or equal to
    // the local Priority, then: + Set the Active_Adver_Interval to the Max Advertise Interval
    // contained in the ADVERTISEMENT + Recompute the Skew_Time + Recompute the Active_Down_Interval +
    // Set the Active_Down_Timer to Active_Down_Interval". VRRPv2 has no interval to learn.
    const interval = learnedInterval(config, state.masterAdverIntervalCs, adv);
    let preemptAt = state.preemptAt;
    if (config.preemptDelayUs > 0) {
      // A stronger master stops the preempt delay; the first weaker one starts it.
      if (adv.priority >= local) preemptAt = undefined;
      else preemptAt ??= now + config.preemptDelayUs;
    }
    const gen = state.generation + 1;
    const at = now + masterDownIntervalUs(config.version, local, interval);
    return {
      // keepalived: "We might have been held in backup by a sync group ... Now we have received a
      // backup, we want to be in BACKUP state" (wantstate = BACKUP).
      state: { ...state, generation: gen, masterDown: { at, generation: gen }, masterAdverIntervalCs: interval, masterAddress: source, masterPriority: adv.priority, preemptAt, takeoverReason: 'master-no-response', wantsMaster: undefined },
      effects: NO_EFFECTS,
    };
  }
  // "else // preempt was true and priority was less than the local priority + Discard the
  // ADVERTISEMENT": the Master_Down_Timer keeps running, and its expiry is the preemption.
  return { state: { ...state, masterAddress: source, masterPriority: adv.priority, takeoverReason: 'preempted' }, effects: NO_EFFECTS };
}

// ---------------------------------------------------------------------------------------------- MASTER receives

function masterReceives(config: InstanceConfig, state: MasterState, adv: Advertisement, source: IpAddress, now: number): StepResult {
  const cmp = compareAddresses(source, config.primaryAddress);
  let local = state.effectivePriority;
  let base = state.basePriority;
  const effects: Effect[] = [];
  const events: (TransitionEvent | AnomalyEvent)[] = [];
  const higher = (): boolean => adv.priority > local || (adv.priority === local && cmp > 0);
  // keepalived vrrp_dispatcher_read() re-arms the advert timer after any advert a MASTER processes,
  // unless lower_prio_no_advert (then it has not necessarily sent one).
  const rearm = (s: MasterState): MasterState => {
    if (config.lowerPrioNoAdvert) return s;
    const gen = s.generation + 1;
    return { ...s, generation: gen, adver: { at: now + adverIntervalUs(config.advertIntervalCs), generation: gen } };
  };

  if (adv.priority === 0 || (config.higherPrioSendAdvert && higher())) {
    effects.push(advert(config, local));
    // RFC 9568 §6.4.3: "If the Priority in the ADVERTISEMENT is 0, then: o Send an ADVERTISEMENT o
    // Reset the Adver_Timer to Advertisement_Interval".
    if (adv.priority === 0) return { state: rearm(state), effects };
  }

  if (adv.priority === local && cmp !== 0 && local === OWNER) {
    // Two address owners. keepalived: "CONFIGURATION ERROR: local instance and a remote instance are
    // both configured as address owner ... reducing local priority" to 254 — then the election below
    // (the other owner now outranks us) makes us BACKUP.
    events.push({ kind: 'anomaly', class: 'priority-owner-conflict', source, detail: `another router at ${source} advertises priority 255 for VRID ${config.vrid}; local priority reduced to 254` });
    local = OWNER - 1;
    base = OWNER - 1;
  }
  const current: MasterState = { ...state, basePriority: base, effectivePriority: local };

  if (higher()) {
    // "If the Priority in the ADVERTISEMENT is greater than the local Priority or the Priority in the
    // ADVERTISEMENT is equal to the local Priority and the primary IPvX address of the sender is
    // greater than the local primary IPvX address ..., then: + Cancel Adver_Timer + Set the
    // Active_Adver_Interval to the Max Advertise Interval contained in the ADVERTISEMENT + Recompute
    // the Skew_Time + Recompute the Active_Down_Interval + Set the Active_Down_Timer to
    // Active_Down_Interval + Transition to the {Backup} state".
    const interval = learnedInterval(config, current.masterAdverIntervalCs, adv);
    pushVips(effects, config, 'remove-vips', config.virtualAddresses);
    return becomeBackup(config, { ...current, masterAdverIntervalCs: interval }, now, 'higher-priority-received', effects, { masterAddress: source, masterPriority: adv.priority, trigger: { source, priority: adv.priority } }, events);
  }

  if (adv.priority < local || (adv.priority === local && cmp < 0)) {
    // "else // new Active Router logic + Discard the ADVERTISEMENT + Send an ADVERTISEMENT immediately
    // to assert the {Active} state to the sending VRRP Router and to update any learning bridges with
    // the correct Active VRRP Router path." (new in RFC 9568; keepalived's default, which
    // lower_prio_no_advert turns off). keepalived also re-announces the VIPs (garp_lower_prio_repeat)
    // and runs notify_master_rx_lower_pri: another MASTER exists, so the two had been split.
    if (!config.lowerPrioNoAdvert) effects.push(advert(config, local));
    let next = rearm(current);
    const g = config.garp;
    if (config.virtualAddresses.length > 0 && g.lowerPrioRepeat > 0) {
      effects.push(garp(config, g.lowerPrioRepeat, 'lower-priority'));
      if (g.lowerPrioDelayUs > 0) {
        const gen = next.generation + 1;
        next = { ...next, generation: gen, garpLowerPrioDelay: { at: now + g.lowerPrioDelayUs, generation: gen } };
      }
    }
    effects.push(notify('MASTER_RX_LOWER_PRI', next));
    events.push(transition(config, 'MASTER', next, 'lower-priority-received', { source, priority: adv.priority }));
    return { state: next, effects: [...effects, ...events.map(event)] };
  }

  // Equal priority from our own address: keepalived only warns (a looped-back advert, or a clone).
  return { state: rearm(current), effects: [...effects, ...events.map(event)] };
}

// ---------------------------------------------------------------------------------------------- timers

function timerFired(config: InstanceConfig, state: State, timer: string, generation: number, now: number): StepResult {
  switch (state.kind) {
    case 'BACKUP':
      // RFC 9568 §6.4.2: "If the Active_Down_Timer fires, then: - Send an ADVERTISEMENT - ...
      // broadcast a gratuitous ARP ... - Set the Adver_Timer to Advertisement_Interval - Transition
      // to the {Active} state".
      if (timer === 'master-down' && current(state.masterDown, generation)) return becomeMaster(config, state, now, state.takeoverReason);
      return unchanged(state);
    case 'MASTER': {
      if (timer === 'adver' && current(state.adver, generation)) {
        // RFC 9568 §6.4.3: "If the Adver_Timer fires, then: - Send an ADVERTISEMENT - Reset the
        // Adver_Timer to Advertisement_Interval".
        const effects: Effect[] = [advert(config, state.effectivePriority)];
        const gen = state.generation + 1;
        const adver: Deadline = { at: now + adverIntervalUs(config.advertIntervalCs), generation: gen };
        let garpRefreshAt = state.garpRefreshAt;
        // keepalived vrrp_state_master_tx(): garp_master_refresh is checked when an advert goes out.
        if (garpRefreshAt !== undefined && now > garpRefreshAt) {
          if (config.virtualAddresses.length > 0 && config.garp.masterRefreshRepeat > 0) effects.push(garp(config, config.garp.masterRefreshRepeat, 'refresh'));
          garpRefreshAt = now + config.garp.masterRefreshUs;
        }
        return { state: { ...state, generation: gen, adver, garpRefreshAt }, effects };
      }
      if (timer === 'garp-delay' && state.garpDelay && current(state.garpDelay, generation)) {
        return { state: { ...state, garpDelay: undefined }, effects: [garp(config, config.garp.masterRepeat, 'master-delayed')] };
      }
      if (timer === 'garp-lower-prio-delay' && state.garpLowerPrioDelay && current(state.garpLowerPrioDelay, generation)) {
        return { state: { ...state, garpLowerPrioDelay: undefined }, effects: [garp(config, config.garp.lowerPrioRepeat, 'lower-priority-delayed')] };
      }
      return unchanged(state);
    }
    case 'INIT':
    case 'FAULT':
    case 'STOP':
      return unchanged(state);
  }
}

// ---------------------------------------------------------------------------------------------- priority

function priorityChanged(config: InstanceConfig, state: State, priority: number): StepResult {
  // keepalived vrrp_set_effective_priority(): "Don't change priority if address owner".
  if (state.basePriority === OWNER) return unchanged(state);
  const p = Math.min(OWNER - 1, Math.max(1, Math.round(priority)));
  if (p === state.effectivePriority) return unchanged(state);
  return { state: withPriority(config, state, state.basePriority, p), effects: NO_EFFECTS };
}

/**
 * New priority; a BACKUP's Master_Down deadline moves by the change in Master_Down_Interval (i.e. in
 * Skew_Time), as keepalived vrrp_set_effective_priority() moves `sands`. A MASTER just advertises the
 * new priority from its next advert on: a stronger BACKUP then ignores those adverts (preempt) and
 * takes over when its Master_Down_Timer fires; a BACKUP that became stronger than the master does
 * the same. Nothing is sent at once — keepalived does not either.
 */
function withPriority(config: InstanceConfig, state: State, base: number, effective: number): State {
  if (state.kind !== 'BACKUP') return { ...state, basePriority: base, effectivePriority: effective };
  const delta = masterDownIntervalUs(config.version, effective, state.masterAdverIntervalCs) - masterDownIntervalUs(config.version, state.effectivePriority, state.masterAdverIntervalCs);
  const gen = state.generation + 1;
  return { ...state, basePriority: base, effectivePriority: effective, generation: gen, masterDown: { at: state.masterDown.at + delta, generation: gen } };
}

// ---------------------------------------------------------------------------------------------- fault

function fault(config: InstanceConfig, state: State): StepResult {
  if (state.kind === 'FAULT' || state.kind === 'STOP') return unchanged(state);
  const effects: Effect[] = [];
  if (state.kind === 'MASTER') {
    // keepalived vrrp_state_leave_master() with wantstate FAULT: a priority-0 advert so that a backup
    // takes over after Skew_Time, then the VIPs go. (keepalived actually sends two priority-0 adverts
    // here — one in leave_master, one in restore_interface; one is enough for the protocol.)
    effects.push(advert(config, 0));
    pushVips(effects, config, 'remove-vips', config.virtualAddresses);
  }
  return toFault(config, state, effects, 'fault');
}

function toFault(config: InstanceConfig, state: State, effects: Effect[], reason: TransitionReason, sync?: SyncMark): StepResult {
  const next: FaultState = { ...common(state), kind: 'FAULT', masterAddress: undefined, masterPriority: undefined };
  effects.push(notify('FAULT', next), event(transition(config, state.kind, next, reason, undefined, sync)));
  return { state: next, effects };
}

function faultCleared(config: InstanceConfig, state: State, now: number): StepResult {
  if (state.kind !== 'FAULT') return unchanged(state);
  // keepalived try_up_instance(): down_instance() had set wantstate FAULT, so the instance comes back
  // as BACKUP with Master_Down_Interval computed from its own advert_int — even the address owner,
  // which then takes over when the timer fires (after 3 × advert_int + 1/256 s).
  return becomeBackup(config, { ...state, masterAdverIntervalCs: config.advertIntervalCs }, now, 'fault-cleared', [], {});
}

// ---------------------------------------------------------------------------------------------- config

function configChanged(config: InstanceConfig, previous: InstanceConfig, state: State, now: number): StepResult {
  if (config.vrid !== previous.vrid || config.family !== previous.family || config.version !== previous.version) {
    throw new Error(`config-changed for ${config.name}: vrid/family/version changed; that is a different instance`);
  }
  const base = config.priority;
  const offset = state.basePriority === OWNER ? 0 : state.effectivePriority - state.basePriority;
  const effective = base === OWNER ? OWNER : Math.min(OWNER - 1, Math.max(1, base + offset));
  let next = withPriority(config, state, base, effective);
  if (config.version === 2 && next.kind !== 'MASTER') next = { ...next, masterAdverIntervalCs: config.advertIntervalCs };
  if (next.kind !== 'MASTER') return { state: next, effects: NO_EFFECTS };
  // A MASTER installs added VIPs and drops removed ones at once (keepalived reload does the same).
  const removed = previous.virtualAddresses.filter((a) => !config.virtualAddresses.includes(a));
  const added = config.virtualAddresses.filter((a) => !previous.virtualAddresses.includes(a));
  const effects: Effect[] = [];
  pushVips(effects, config, 'remove-vips', removed);
  pushVips(effects, config, 'add-vips', added);
  if (added.length > 0 && config.garp.masterRepeat > 0) effects.push({ type: 'send-garp', addresses: added, count: config.garp.masterRepeat, intervalUs: config.garp.intervalUs, reason: 'config-changed' });
  let master: MasterState = { ...next, masterAdverIntervalCs: config.advertIntervalCs };
  if (config.garp.masterRefreshUs === 0) master = { ...master, garpRefreshAt: undefined };
  else master = { ...master, garpRefreshAt: master.garpRefreshAt ?? now + config.garp.masterRefreshUs };
  return { state: master, effects };
}

// ---------------------------------------------------------------------------------------------- sync groups

type SyncMark = NonNullable<TransitionEvent['sync']>;

/**
 * A vrrp_sync_group forces this member to follow another (keepalived vrrp_sync.c). What each target
 * does to the member is what keepalived's helper does to an instance in that state:
 * - MASTER (vrrp_sync_master → vrrp_state_goto_master): a BACKUP takes over at once, as if its
 *   Master_Down_Timer had fired.
 * - BACKUP (vrrp_sync_backup): a MASTER leaves through vrrp_state_leave_master() with wantstate
 *   BACKUP — VIPs removed, no priority-0 advert (the peers still hear a master's adverts until theirs
 *   time out); a FAULT member leaves through vrrp_state_leave_fault() as when its own fault clears.
 * - FAULT (vrrp_sync_fault): a MASTER resigns as on its own fault (priority-0 advert, VIPs removed);
 *   a BACKUP or INIT member just enters FAULT.
 * Any other combination (already there, STOP) changes nothing.
 */
function syncTo(config: InstanceConfig, state: State, to: SyncTarget, reason: TransitionReason, sync: SyncMark, now: number): StepResult {
  switch (to) {
    case 'MASTER':
      if (state.kind !== 'BACKUP') return unchanged(state);
      return becomeMaster(config, state, now, reason, sync);
    case 'BACKUP': {
      if (state.kind === 'MASTER') {
        const effects: Effect[] = [];
        pushVips(effects, config, 'remove-vips', config.virtualAddresses);
        return becomeBackup(config, { ...state, masterAdverIntervalCs: config.advertIntervalCs }, now, reason, effects, {}, [], sync);
      }
      if (state.kind === 'FAULT') return becomeBackup(config, { ...state, masterAdverIntervalCs: config.advertIntervalCs }, now, reason, [], {}, [], sync);
      return unchanged(state);
    }
    case 'FAULT': {
      if (state.kind === 'MASTER') {
        const effects: Effect[] = [advert(config, 0)];
        pushVips(effects, config, 'remove-vips', config.virtualAddresses);
        return toFault(config, state, effects, reason, sync);
      }
      if (state.kind === 'BACKUP' || state.kind === 'INIT') return toFault(config, state, [], reason, sync);
      return unchanged(state);
    }
  }
}

/**
 * keepalived vrrp_state_goto_master(): "if (vrrp->sync && !vrrp_sync_can_goto_master(vrrp))
 * { vrrp->wantstate = VRRP_STATE_MAST; return; }" — and vrrp_sync_can_goto_master() re-arms the
 * instance with a full Master_Down_Interval ("give time for other instances to be ready").
 */
function syncHold(config: InstanceConfig, state: State, now: number): StepResult {
  if (state.kind !== 'BACKUP') return unchanged(state);
  const gen = state.generation + 1;
  const at = now + masterDownIntervalUs(config.version, state.effectivePriority, state.masterAdverIntervalCs);
  return { state: { ...state, generation: gen, masterDown: { at, generation: gen }, wantsMaster: true }, effects: NO_EFFECTS };
}

// ---------------------------------------------------------------------------------------------- transitions

function becomeMaster(config: InstanceConfig, state: State, now: number, reason: TransitionReason, sync?: SyncMark): StepResult {
  let gen = state.generation;
  const adver: Deadline = { at: now + adverIntervalUs(config.advertIntervalCs), generation: ++gen };
  const vips = config.virtualAddresses;
  const g = config.garp;
  const garpDelay: Deadline | undefined = vips.length > 0 && g.masterDelayUs > 0 && g.masterRepeat > 0 ? { at: now + g.masterDelayUs, generation: ++gen } : undefined;
  const next: MasterState = {
    ...common(state),
    kind: 'MASTER',
    // keepalived vrrp_state_become_master(): a MASTER advertises its own configured interval.
    masterAdverIntervalCs: config.advertIntervalCs,
    generation: gen,
    masterAddress: config.primaryAddress,
    masterPriority: state.effectivePriority,
    adver,
    garpDelay,
    garpLowerPrioDelay: undefined,
    garpRefreshAt: g.masterRefreshUs > 0 ? now + g.masterRefreshUs : undefined,
  };
  // keepalived vrrp_state_master_tx(): "the old master needs to remove the VIPs before we send the
  // gratuitous ARPs, so send the advert first", then vrrp_state_become_master(): VIPs, GARPs, notify.
  const effects: Effect[] = [advert(config, next.effectivePriority)];
  pushVips(effects, config, 'add-vips', vips);
  if (vips.length > 0 && g.masterRepeat > 0) effects.push(garp(config, g.masterRepeat, 'master'));
  effects.push(notify('MASTER', next), event(transition(config, state.kind, next, reason, undefined, sync)));
  return { state: next, effects };
}

interface Seen {
  readonly masterAddress?: IpAddress;
  readonly masterPriority?: number;
  readonly trigger?: { readonly source: IpAddress; readonly priority: number };
}

function becomeBackup(config: InstanceConfig, state: State, now: number, reason: TransitionReason, effects: Effect[], seen: Seen, events: (TransitionEvent | AnomalyEvent)[] = [], sync?: SyncMark): StepResult {
  const gen = state.generation + 1;
  const next: BackupState = {
    ...common(state),
    kind: 'BACKUP',
    generation: gen,
    masterAddress: seen.masterAddress,
    masterPriority: seen.masterPriority,
    masterDown: { at: now + masterDownIntervalUs(config.version, state.effectivePriority, state.masterAdverIntervalCs), generation: gen },
    preemptAt: undefined,
    takeoverReason: 'master-no-response' satisfies TakeoverReason,
  };
  effects.push(notify('BACKUP', next));
  events.push(transition(config, state.kind, next, reason, seen.trigger, sync));
  return { state: next, effects: [...effects, ...events.map(event)] };
}

// ---------------------------------------------------------------------------------------------- helpers

function common(s: State): Omit<State, 'kind'> & { kind: VrrpState } {
  return {
    kind: s.kind,
    basePriority: s.basePriority,
    effectivePriority: s.effectivePriority,
    masterAdverIntervalCs: s.masterAdverIntervalCs,
    generation: s.generation,
    masterAddress: s.masterAddress,
    masterPriority: s.masterPriority,
  };
}

function unchanged(state: State): StepResult {
  return { state, effects: NO_EFFECTS };
}

function current(d: Deadline, generation: number): boolean {
  return d.generation === generation;
}

function learnedInterval(config: InstanceConfig, currentCs: number, adv: Advertisement): number {
  // keepalived learns Master_Adver_Interval in VRRPv3 only; a zero interval never passes the
  // validation ladder (RFC 9568 erratum 8301), but would make the timer fire at once, so guard.
  return config.version === 3 && adv.intervalCs >= 1 ? adv.intervalCs : currentCs;
}

function advert(config: InstanceConfig, priority: number): Effect {
  return { type: 'send-advert', priority, intervalCs: config.advertIntervalCs, addresses: config.virtualAddresses };
}

function garp(config: InstanceConfig, count: number, reason: Extract<Effect, { type: 'send-garp' }>['reason']): Effect {
  return { type: 'send-garp', addresses: config.virtualAddresses, count, intervalUs: config.garp.intervalUs, reason };
}

function pushVips(effects: Effect[], config: InstanceConfig, type: 'add-vips' | 'remove-vips', addresses: readonly IpAddress[]): void {
  if (addresses.length === 0) return;
  effects.push({ type, addresses });
  // RFC 9568 §6.4.3: a MASTER "MUST accept packets addressed to the IPvX address(es) associated with the
  // virtual router if it is the IPvX address owner or if Accept_Mode is True. Otherwise, MUST NOT accept
  // these packets." keepalived (vrrp_handle_accept_mode) adds the VIPs to its firewall set right after
  // adding the addresses, and takes them out when it removes them.
  if (!config.acceptMode && config.priority !== OWNER) effects.push({ type: 'filter-vips', action: type === 'add-vips' ? 'drop' : 'accept', addresses });
}

function notify(kind: Extract<Effect, { type: 'run-notify' }>['notify'], state: State): Effect {
  return { type: 'run-notify', notify: kind, priority: state.effectivePriority };
}

function event(e: TransitionEvent | AnomalyEvent): Effect {
  return { type: 'emit-event', event: e };
}

function transition(config: InstanceConfig, from: VrrpState, to: State, reason: TransitionReason, trigger?: { source: IpAddress; priority: number }, sync?: SyncMark): TransitionEvent {
  return {
    kind: 'transition',
    from,
    to: to.kind,
    reason,
    priority: to.basePriority,
    effectivePriority: to.effectivePriority,
    masterAddress: to.masterAddress,
    intervalCs: to.masterAdverIntervalCs,
    ...(trigger ? { trigger } : {}),
    ...(sync ? { sync } : {}),
  };
}
