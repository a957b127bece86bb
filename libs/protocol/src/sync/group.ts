// vrrp_sync_group: the members of a group move together, as keepalived 2.2.7 moves them.
//
// keepalived keeps a group state beside the members' (vgroup->state) and, after a member's own
// transition, forces the others to follow (vrrp_scheduler.c VRRP_TSM table and try_up_instance(),
// vrrp_track.c down_instance(), vrrp_sync.c vrrp_sync_master/backup/fault()):
//
// 1. FAULT: one member entering FAULT (its interface or a weight-0 tracker) puts the group in FAULT
//    and every other member with it (vrrp_sync_fault()); a MASTER resigns with a priority-0 advert.
// 2. Leaving FAULT: the group leaves FAULT only when no member has a fault of its own left
//    (sync->num_member_fault); the member whose fault cleared last comes up as BACKUP and brings the
//    others to BACKUP (try_up_instance() → vrrp_sync_backup()).
// 3. MASTER: a BACKUP whose Master_Down_Timer fires becomes MASTER only if the group already is, or
//    every other member wants MASTER too ("prefer backup state to avoid thrashing",
//    vrrp_sync_can_goto_master()); otherwise it is held in BACKUP wanting MASTER, timer re-armed.
//    Once one member becomes MASTER the others are forced to MASTER (vrrp_sync_master()).
// 4. BACKUP: a MASTER that becomes BACKUP (a higher priority advert) takes the others to BACKUP
//    (vrrp_sync_backup(): VIPs removed, no priority-0 advert).
// 5. Notifies: after the members' own notifies, the group's notify_master/backup/fault/stop run, and
//    its `notify` script with "GROUP <name> <state> 0" (vrrp_notify.c send_group_notifies(): "the
//    prio will be indicated as zero for a group"). At startup the group announces BACKUP (or FAULT)
//    once every member has started (vrrp_scheduler.c vrrp_init_state()); on shutdown, STOP once every
//    member has stopped (vrrp_notify.c notify_shutdown()).
// 6. Tracking: the group's track_interface / track_script apply to every member; weighted trackers
//    configured on a member itself are ignored (keepalived vrrp_complete_instance(): "ignoring weight
//    of tracked interface due to SYNC group", weighted track scripts are dropped) unless the group
//    sets sync_group_tracking_weight; and no weight applies when a member is the address owner
//    (sync_group_tracking_init()). See trackerWeight().
//
// Pure: stepGroup() calls the state machine for the member the input is for, then for each member the
// group forces, and returns every step for the shell to apply in order, then the group's effects.
import type { VrrpState } from '../types.js';
import type { InstanceConfig } from '../fsm/config.js';
import { OWNER } from '../fsm/config.js';
import type { TransitionEvent } from '../fsm/effect.js';
import type { Input, SyncTarget } from '../fsm/input.js';
import type { State } from '../fsm/state.js';
import type { StepResult } from '../fsm/step.js';
import { step } from '../fsm/step.js';

export interface SyncGroupConfig {
  /** vrrp_sync_group name. */
  readonly name: string;
  /** Member instance names, in configuration order (keepalived walks them in this order). */
  readonly members: readonly string[];
}

/** The group's own state (keepalived vgroup->state). INIT until every member has started. */
export type GroupState = VrrpState;

export interface SyncGroupState {
  readonly kind: GroupState;
  /** Members with a fault of their own (interface down, weight-0 tracker): keepalived num_member_fault. */
  readonly faulted: readonly string[];
}

/** A member as the shell holds it. */
export interface SyncMember {
  readonly config: InstanceConfig;
  readonly state: State;
}

/** The group's notify scripts: notify_master/backup/fault/stop, and `notify` with GROUP arguments. */
export interface GroupNotifyEffect {
  readonly type: 'run-group-notify';
  readonly notify: 'MASTER' | 'BACKUP' | 'FAULT' | 'STOP';
}

/** The group changed state (log it as keepalived's "VRRP_Group(G) Syncing instances to X state"). */
export interface GroupTransitionEffect {
  readonly type: 'group-transition';
  readonly from: GroupState;
  readonly to: GroupState;
  /** The member whose own transition moved the group. */
  readonly member: string;
}

export type GroupEffect = GroupTransitionEffect | GroupNotifyEffect;

export interface MemberStep {
  readonly member: string;
  readonly input: Input;
  readonly result: StepResult;
}

export interface GroupStepResult {
  readonly group: SyncGroupState;
  /**
   * Every member step, in the order keepalived takes them: the member the input was for first, then
   * the members the group forced, in configuration order. The shell applies each (new state, effects
   * in contract order) in turn. Empty when the group swallowed the input (a fault that cleared while
   * another member is still faulty).
   */
  readonly steps: readonly MemberStep[];
  /** After every member's effects (keepalived runs the group notifies after the members'). */
  readonly effects: readonly GroupEffect[];
}

export function initialGroupState(): SyncGroupState {
  return { kind: 'INIT', faulted: [] };
}

/**
 * Feed `input` to member `name` of the group, and let the group react. `members` holds every member's
 * current config and state (a member not in it — not created yet — is skipped).
 */
export function stepGroup(
  group: SyncGroupConfig,
  gs: SyncGroupState,
  members: ReadonlyMap<string, SyncMember>,
  name: string,
  input: Input,
  now: number,
): GroupStepResult {
  const self = members.get(name);
  if (!self || !group.members.includes(name)) throw new Error(`${name} is not a member of sync group ${group.name}`);

  // Each member's own fault is a level; the group counts the members that have one.
  const faulted = new Set(gs.faulted);
  if (input.type === 'fault' || (input.type === 'startup' && input.faulted === true)) faulted.add(name);
  if (input.type === 'fault-cleared' || (input.type === 'startup' && input.faulted !== true)) faulted.delete(name);
  let kind = gs.kind;
  const next = (): SyncGroupState => ({ kind, faulted: group.members.filter((m) => faulted.has(m)) });

  // What the member itself is given.
  let own: Input = input;
  if (input.type === 'fault-cleared' && faulted.size > 0 && self.state.kind === 'FAULT') {
    // try_up_instance(): "if (--vrrp->sync->num_member_fault ...) return" — stays FAULT with the group.
    return { group: next(), steps: [], effects: [] };
  }
  if (input.type === 'startup' && input.faulted !== true && faulted.size > 0) {
    // vrrp_init_state(): a member of a faulty group starts in FAULT ("new_state = vrrp->sync->state").
    own = { type: 'startup', faulted: true };
  }
  if (input.type === 'timer-fired' && input.timer === 'master-down' && self.state.kind === 'BACKUP' && self.state.masterDown.generation === input.generation) {
    if (kind !== 'MASTER' && !othersWantMaster(group, members, name)) own = { type: 'sync-hold' };
  }

  const steps: MemberStep[] = [];
  const effects: GroupEffect[] = [];
  const first = step(self.config, self.state, own, now);
  steps.push({ member: name, input: own, result: first });
  const from = self.state.kind;
  const to = first.state.kind;
  const ev = transitionEvent(first);
  const states = new Map<string, State>();
  for (const [m, x] of members) states.set(m, x.state);
  states.set(name, first.state);

  const force = (target: SyncTarget, skip: (s: State) => boolean): void => {
    const reason = ev?.reason ?? (target === 'FAULT' ? 'fault' : 'fault-cleared');
    for (const m of group.members) {
      const x = members.get(m);
      const st = states.get(m);
      if (m === name || !x || st === undefined || skip(st)) continue;
      const sync: Input = { type: 'sync', to: target, group: group.name, trigger: name, reason };
      const r = step(x.config, st, sync, now);
      states.set(m, r.state);
      steps.push({ member: m, input: sync, result: r });
    }
  };
  const become = (k: GroupState): void => {
    effects.push({ type: 'group-transition', from: kind, to: k, member: name });
    kind = k;
    if (k !== 'INIT') effects.push({ type: 'run-group-notify', notify: k });
  };

  if (to === 'FAULT' && from !== 'FAULT') {
    if (kind !== 'FAULT') {
      // Rule 1, vrrp_sync_fault().
      force('FAULT', (s) => s.kind === 'FAULT' || s.kind === 'STOP');
      become('FAULT');
    }
  } else if (to === 'MASTER' && from !== 'MASTER') {
    if (kind !== 'MASTER') {
      // Rule 3, vrrp_sync_master().
      force('MASTER', (s) => s.kind === 'MASTER' || s.kind === 'STOP');
      become('MASTER');
    }
  } else if (to === 'BACKUP' && (from === 'MASTER' || from === 'FAULT')) {
    if (kind !== 'BACKUP') {
      // Rules 2 and 4, vrrp_sync_backup().
      force('BACKUP', (s) => s.kind === 'BACKUP' || s.kind === 'STOP' || s.kind === 'INIT');
      become('BACKUP');
    }
  } else if (to === 'STOP' && from !== 'STOP') {
    if ([...states.values()].every((s) => s.kind === 'STOP')) become('STOP');
  } else if (from === 'INIT' || from === 'STOP') {
    // Started: once no member is INIT any more, the group announces where it is (vrrp_init_state()).
    if ((kind === 'INIT' || kind === 'STOP') && [...states.values()].every((s) => s.kind !== 'INIT' && s.kind !== 'STOP')) {
      const all = [...states.values()];
      become(all.every((s) => s.kind === 'MASTER') ? 'MASTER' : all.some((s) => s.kind === 'FAULT') ? 'FAULT' : 'BACKUP');
    }
  }
  return { group: next(), steps, effects };
}

/**
 * keepalived vrrp_sync_can_goto_master(): every other member wants MASTER — it is MASTER, or a BACKUP
 * held back by the group after its own Master_Down_Timer fired.
 */
function othersWantMaster(group: SyncGroupConfig, members: ReadonlyMap<string, SyncMember>, name: string): boolean {
  for (const m of group.members) {
    if (m === name) continue;
    const s = members.get(m)?.state;
    if (!s) continue;
    if (s.kind === 'MASTER') continue;
    if (s.kind === 'BACKUP' && s.wantsMaster === true) continue;
    return false;
  }
  return true;
}

function transitionEvent(r: StepResult): TransitionEvent | undefined {
  for (const e of r.effects) if (e.type === 'emit-event' && e.event.kind === 'transition' && e.event.from !== e.event.to) return e.event;
  return undefined;
}

/**
 * keepalived vrrp_complete_init(): when some members of a group start as MASTER-hinted address owners
 * and others not, all start as BACKUP ("Sync group has some member(s) as address owner and some not
 * ... This won't work"): a group starts MASTER only if every member would.
 */
export function memberConfigs(configs: readonly InstanceConfig[]): InstanceConfig[] {
  const allMaster = groupStartsMaster(configs);
  return configs.map((c) => (allMaster || c.initialState === 'BACKUP' ? c : { ...c, initialState: 'BACKUP' }));
}

/** Every member is an address owner hinted MASTER: only then may members start as MASTER. */
export function groupStartsMaster(members: readonly Pick<InstanceConfig, 'priority' | 'initialState'>[]): boolean {
  return members.every((c) => c.priority === OWNER && c.initialState === 'MASTER');
}

/** Where a tracker of a sync-group member was configured. */
export type TrackerSource = 'instance' | 'group';

export interface TrackerWeightOptions {
  /** The tracker is a script (track_script) rather than an interface (track_interface). */
  readonly script: boolean;
  /** The group's sync_group_tracking_weight: member weights are honoured. */
  readonly groupTrackingWeight: boolean;
  /** Some member of the group is the address owner (priority 255). */
  readonly groupHasOwner: boolean;
}

/**
 * The weight a tracker of a sync-group member really has, or undefined when keepalived drops it.
 * - On the member itself, without sync_group_tracking_weight (vrrp_complete_instance()): a weighted
 *   track_interface becomes weight 0 (down = FAULT); a weighted track_script is ignored altogether.
 * - On the group (sync_group_tracking_init()): the weight applies to every member, except that it is
 *   cleared to 0 when a member is the address owner.
 */
export function trackerWeight(weight: number, source: TrackerSource, o: TrackerWeightOptions): number | undefined {
  if (weight === 0) return 0;
  if (source === 'group') return o.groupHasOwner ? 0 : weight;
  if (o.groupTrackingWeight) return weight;
  return o.script ? undefined : 0;
}
