// vrrp_sync_group as keepalived 2.2.7 runs it: one test per rule of libs/protocol/src/sync/group.ts,
// each quoting the keepalived source it comes from (vrrp_sync.c, vrrp_scheduler.c, vrrp.c,
// vrrp_notify.c).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { defineInstance, groupStartsMaster, initialGroupState, initialState, memberConfigs, nextTimer, skewTimeUs, masterDownIntervalUs, stepGroup, trackerWeight } from '@hotstandby/protocol';
import type { Effect, GroupEffect, Input, InstanceConfig, State, SyncGroupConfig, SyncGroupState, SyncMember, TransitionEvent } from '@hotstandby/protocol';

const SELF = '10.10.10.126';
const PEER_HIGHER = '10.10.10.200';
const GROUP: SyncGroupConfig = { name: 'G1', members: ['VI_1', 'VI_2'] };

function cfg(name: string, vrid: number, over: Partial<InstanceConfig> = {}): InstanceConfig {
  return { ...defineInstance({ name, vrid, primaryAddress: SELF, virtualAddresses: [`10.10.10.${100 + vrid}`], priority: 100, advertIntervalCs: 100, version: 3 }), ...over };
}

/** A tiny shell: holds the members and the group, applies every step stepGroup returns. */
class Rig {
  group: SyncGroupState = initialGroupState();
  readonly members = new Map<string, SyncMember>();
  /** Member effects and group effects, in the order the shell would execute them. */
  log: string[] = [];
  groupEffects: GroupEffect[] = [];
  events: TransitionEvent[] = [];

  constructor(configs: InstanceConfig[] = [cfg('VI_1', 51), cfg('VI_2', 52)]) {
    for (const c of configs) this.members.set(c.name, { config: c, state: initialState(c) });
  }

  state(name: string): State {
    return this.members.get(name)!.state;
  }

  input(name: string, input: Input, now: number): void {
    const r = stepGroup(GROUP, this.group, this.members, name, input, now);
    for (const s of r.steps) {
      const m = this.members.get(s.member)!;
      this.members.set(s.member, { ...m, state: s.result.state });
      for (const e of s.result.effects) {
        this.log.push(`${s.member} ${describeEffect(e)}`);
        if (e.type === 'emit-event' && e.event.kind === 'transition') this.events.push(e.event);
      }
    }
    for (const e of r.effects) this.log.push(`G1 ${e.type === 'run-group-notify' ? `group-notify:${e.notify}` : `${e.from}->${e.to}`}`);
    this.groupEffects.push(...r.effects);
    this.group = r.group;
  }

  startAll(now = 0, faulted: Record<string, boolean> = {}): void {
    for (const name of GROUP.members) this.input(name, { type: 'startup', faulted: faulted[name] === true }, now);
  }

  /** Fire member `name`'s earliest armed timer at its deadline; returns that deadline. */
  fire(name: string): number {
    const t = nextTimer(this.state(name));
    if (!t) throw new Error(`${name}: no timer armed`);
    this.input(name, { type: 'timer-fired', timer: t.timer, generation: t.generation }, t.at);
    return t.at;
  }

  /** Both members MASTER (their Master_Down_Timers fired one after the other). */
  masters(): number {
    this.startAll();
    this.fire('VI_1');
    return this.fire('VI_2');
  }

  clear(): void {
    this.log = [];
    this.groupEffects = [];
    this.events = [];
  }
}

function describeEffect(e: Effect): string {
  switch (e.type) {
    case 'send-advert':
      return `send-advert:${e.priority}`;
    case 'run-notify':
      return `notify:${e.notify}`;
    case 'emit-event':
      return e.event.kind === 'transition' ? `event:${e.event.from}->${e.event.to}` : 'event:anomaly';
    default:
      return e.type;
  }
}

function advertFrom(priority: number, vrid: number): Input {
  return {
    type: 'advert-received',
    advert: { version: 3, family: 'ipv4', type: 1, vrid, priority, intervalCs: 100, addresses: [`10.10.10.${100 + vrid}`], authType: 0, authData: new Uint8Array(0), checksum: 0 },
    source: PEER_HIGHER,
  };
}

describe('vrrp_sync_group (keepalived vrrp_sync.c)', () => {
  test('startup: once every member has started, the group announces BACKUP (vrrp_init_state(): "Do notifications for any sync groups in fault or backup state")', () => {
    const rig = new Rig();
    rig.input('VI_1', { type: 'startup' }, 0);
    assert.deepEqual(rig.groupEffects, [], 'not before the last member has started');
    rig.input('VI_2', { type: 'startup' }, 0);
    assert.equal(rig.group.kind, 'BACKUP');
    assert.deepEqual(rig.log.slice(-2), ['G1 INIT->BACKUP', 'G1 group-notify:BACKUP']);
  });

  test('a member whose Master_Down_Timer fires is held in BACKUP until every member wants MASTER (vrrp_sync_can_goto_master(): "Only sync to master if everyone wants to, i.e. prefer backup state to avoid thrashing")', () => {
    const rig = new Rig();
    rig.startAll();
    rig.clear();
    const at = rig.fire('VI_1');
    const held = rig.state('VI_1');
    assert.equal(held.kind, 'BACKUP');
    assert.equal(held.kind === 'BACKUP' && held.wantsMaster, true);
    // "vrrp->ms_down_timer = 3 * vrrp->master_adver_int + VRRP_TIMER_SKEW(vrrp); vrrp_init_instance_sands(vrrp)"
    assert.equal(nextTimer(held)?.at, at + masterDownIntervalUs(3, 100, 100));
    assert.equal(rig.events.length, 0, 'no transition, no notify');
    assert.equal(rig.group.kind, 'BACKUP');
  });

  test('when one member becomes MASTER the others are forced to MASTER, then the group notifies MASTER (vrrp_sync_master())', () => {
    const rig = new Rig();
    rig.startAll();
    rig.fire('VI_1');
    rig.clear();
    rig.fire('VI_2');
    assert.equal(rig.state('VI_1').kind, 'MASTER');
    assert.equal(rig.state('VI_2').kind, 'MASTER');
    assert.equal(rig.group.kind, 'MASTER');
    assert.deepEqual(rig.log, [
      'VI_2 send-advert:100', 'VI_2 add-vips', 'VI_2 send-garp', 'VI_2 notify:MASTER', 'VI_2 event:BACKUP->MASTER',
      'VI_1 send-advert:100', 'VI_1 add-vips', 'VI_1 send-garp', 'VI_1 notify:MASTER', 'VI_1 event:BACKUP->MASTER',
      'G1 BACKUP->MASTER', 'G1 group-notify:MASTER',
    ]);
    // keepalived copies the trigger's master_reason to the forced member ("isync->stats->next_master_reason = vrrp->stats->master_reason").
    const forced = rig.events.find((e) => e.to === 'MASTER' && e.sync !== undefined);
    assert.deepEqual(forced?.sync, { group: 'G1', member: 'VI_2' });
    assert.equal(forced?.reason, 'master-no-response');
  });

  test('a held member that hears a master again no longer wants MASTER (vrrp_state_backup(): "Now we have received a backup, we want to be in BACKUP state")', () => {
    const rig = new Rig();
    rig.startAll();
    const at = rig.fire('VI_1');
    rig.input('VI_1', advertFrom(200, 51), at + 1000);
    const s = rig.state('VI_1');
    assert.equal(s.kind === 'BACKUP' && s.wantsMaster, undefined);
    // So VI_2's own timeout is held too, instead of dragging VI_1 away from a live master.
    rig.fire('VI_2');
    assert.equal(rig.state('VI_2').kind, 'BACKUP');
    assert.equal(rig.state('VI_1').kind, 'BACKUP');
  });

  test('a priority-0 advert on both members moves the whole group at Skew_Time, not Master_Down_Interval', () => {
    const rig = new Rig();
    rig.startAll();
    rig.input('VI_1', advertFrom(200, 51), 100);
    rig.input('VI_2', advertFrom(200, 52), 100);
    rig.input('VI_1', advertFrom(0, 51), 1_000_000);
    rig.input('VI_2', advertFrom(0, 52), 1_000_010);
    rig.fire('VI_1'); // held: VI_2 does not want MASTER yet
    const at = rig.fire('VI_2');
    assert.equal(at, 1_000_010 + skewTimeUs(3, 100, 100));
    assert.equal(rig.state('VI_1').kind, 'MASTER');
    assert.equal(rig.state('VI_2').kind, 'MASTER');
  });

  test('when one member goes FAULT the whole group goes FAULT; a MASTER member resigns with priority 0 (vrrp_sync_fault())', () => {
    const rig = new Rig();
    rig.masters();
    rig.clear();
    rig.input('VI_1', { type: 'fault' }, 10_000_000);
    assert.equal(rig.state('VI_1').kind, 'FAULT');
    assert.equal(rig.state('VI_2').kind, 'FAULT');
    assert.equal(rig.group.kind, 'FAULT');
    assert.deepEqual(rig.log, [
      'VI_1 send-advert:0', 'VI_1 remove-vips', 'VI_1 notify:FAULT', 'VI_1 event:MASTER->FAULT',
      'VI_2 send-advert:0', 'VI_2 remove-vips', 'VI_2 notify:FAULT', 'VI_2 event:MASTER->FAULT',
      'G1 MASTER->FAULT', 'G1 group-notify:FAULT',
    ]);
    assert.equal(rig.events[1]?.reason, 'fault');
    assert.deepEqual(rig.events[1]?.sync, { group: 'G1', member: 'VI_1' });
  });

  test('a BACKUP member of a faulting group enters FAULT without sending anything', () => {
    const rig = new Rig();
    rig.startAll();
    rig.clear();
    rig.input('VI_2', { type: 'fault' }, 1000);
    assert.deepEqual(rig.log, ['VI_2 notify:FAULT', 'VI_2 event:BACKUP->FAULT', 'VI_1 notify:FAULT', 'VI_1 event:BACKUP->FAULT', 'G1 BACKUP->FAULT', 'G1 group-notify:FAULT']);
  });

  test('the group leaves FAULT only when no member has a fault of its own (try_up_instance(): "if (--vrrp->sync->num_member_fault ...) return"), then all come up BACKUP (vrrp_sync_backup())', () => {
    const rig = new Rig();
    rig.masters();
    rig.input('VI_1', { type: 'fault' }, 10_000_000);
    rig.input('VI_2', { type: 'fault' }, 10_000_001);
    assert.deepEqual(rig.group.faulted, ['VI_1', 'VI_2']);
    rig.clear();
    rig.input('VI_1', { type: 'fault-cleared' }, 11_000_000);
    assert.equal(rig.state('VI_1').kind, 'FAULT', 'VI_2 still has its own fault');
    assert.deepEqual(rig.log, []);
    rig.input('VI_2', { type: 'fault-cleared' }, 12_000_000);
    assert.equal(rig.state('VI_1').kind, 'BACKUP');
    assert.equal(rig.state('VI_2').kind, 'BACKUP');
    assert.equal(rig.group.kind, 'BACKUP');
    assert.deepEqual(rig.log, ['VI_2 notify:BACKUP', 'VI_2 event:FAULT->BACKUP', 'VI_1 notify:BACKUP', 'VI_1 event:FAULT->BACKUP', 'G1 FAULT->BACKUP', 'G1 group-notify:BACKUP']);
    // A member forced out of FAULT waits a full Master_Down_Interval, from its own advert_int (vrrp_state_leave_fault()).
    assert.equal(nextTimer(rig.state('VI_1'))?.at, 12_000_000 + masterDownIntervalUs(3, 100, 100));
  });

  test('a member that starts while another member is faulty starts in FAULT (vrrp_init_state(): "new_state = vrrp->sync ? vrrp->sync->state : vrrp->wantstate")', () => {
    const rig = new Rig();
    rig.startAll(0, { VI_1: true });
    assert.equal(rig.state('VI_1').kind, 'FAULT');
    assert.equal(rig.state('VI_2').kind, 'FAULT');
    assert.equal(rig.group.kind, 'FAULT');
    rig.input('VI_1', { type: 'fault-cleared' }, 1000);
    assert.equal(rig.state('VI_2').kind, 'BACKUP');
  });

  test('when a MASTER member becomes BACKUP the others follow, without a priority-0 advert (vrrp_sync_backup() → vrrp_state_leave_master() with wantstate BACKUP)', () => {
    const rig = new Rig();
    const at = rig.masters();
    rig.clear();
    rig.input('VI_1', advertFrom(200, 51), at + 1000);
    assert.equal(rig.state('VI_1').kind, 'BACKUP');
    assert.equal(rig.state('VI_2').kind, 'BACKUP');
    assert.equal(rig.group.kind, 'BACKUP');
    assert.deepEqual(rig.log, [
      'VI_1 remove-vips', 'VI_1 notify:BACKUP', 'VI_1 event:MASTER->BACKUP',
      'VI_2 remove-vips', 'VI_2 notify:BACKUP', 'VI_2 event:MASTER->BACKUP',
      'G1 MASTER->BACKUP', 'G1 group-notify:BACKUP',
    ]);
    assert.equal(rig.events[1]?.reason, 'higher-priority-received');
    assert.deepEqual(rig.events[1]?.sync, { group: 'G1', member: 'VI_1' });
  });

  test('a member of a MASTER group whose timer fires (e.g. restarted) takes over at once (vrrp_sync_can_goto_master(): "if (GROUP_STATE(vgroup) == VRRP_STATE_MAST) return true")', () => {
    const rig = new Rig();
    const at = rig.masters();
    rig.input('VI_2', { type: 'shutdown' }, at + 1);
    rig.input('VI_2', { type: 'startup' }, at + 2);
    assert.equal(rig.group.kind, 'MASTER');
    rig.fire('VI_2');
    assert.equal(rig.state('VI_2').kind, 'MASTER');
  });

  test('shutdown: the group notifies STOP once every member has stopped (notify_shutdown())', () => {
    const rig = new Rig();
    const at = rig.masters();
    rig.clear();
    rig.input('VI_1', { type: 'shutdown' }, at + 1);
    assert.deepEqual(rig.groupEffects, []);
    rig.input('VI_2', { type: 'shutdown' }, at + 2);
    assert.deepEqual(rig.log.slice(-2), ['G1 MASTER->STOP', 'G1 group-notify:STOP']);
    assert.ok(rig.log.includes('VI_2 send-advert:0'), 'each member still resigns itself');
  });

  test('a group of address owners starts MASTER; a mixed group starts every member BACKUP (vrrp_complete_init(): "if any sync group has member wanting to start in master state, then all can start in master state")', () => {
    const owners = memberConfigs([cfg('VI_1', 51, { priority: 255, initialState: 'MASTER' }), cfg('VI_2', 52, { priority: 255, initialState: 'MASTER' })]);
    const rig = new Rig(owners);
    rig.startAll();
    assert.equal(rig.state('VI_1').kind, 'MASTER');
    assert.equal(rig.state('VI_2').kind, 'MASTER');
    assert.equal(rig.group.kind, 'MASTER');
    const mixed = memberConfigs([cfg('VI_1', 51, { priority: 255, initialState: 'MASTER' }), cfg('VI_2', 52)]);
    assert.deepEqual(mixed.map((c) => c.initialState), ['BACKUP', 'BACKUP']);
    assert.equal(groupStartsMaster([{ priority: 255, initialState: 'MASTER' }, { priority: 100, initialState: 'MASTER' }]), false);
  });

  test('tracker weights in a sync group (vrrp_complete_instance(), sync_group_tracking_init())', () => {
    const plain = { groupTrackingWeight: false, groupHasOwner: false };
    // "(%s) ignoring weight of tracked interface %s due to SYNC group": weight → 0, down = FAULT.
    assert.equal(trackerWeight(-20, 'instance', { ...plain, script: false }), 0);
    // "(%s) ignoring tracked script %s with weights due to SYNC group": dropped.
    assert.equal(trackerWeight(-20, 'instance', { ...plain, script: true }), undefined);
    assert.equal(trackerWeight(0, 'instance', { ...plain, script: true }), 0);
    // sync_group_tracking_weight keeps member weights.
    assert.equal(trackerWeight(-20, 'instance', { ...plain, script: true, groupTrackingWeight: true }), -20);
    // The group's own trackers apply to every member with their weight...
    assert.equal(trackerWeight(-20, 'group', { ...plain, script: true }), -20);
    // ..."Cannot have weighted track script '%s' with member having priority 255 - clearing weight".
    assert.equal(trackerWeight(-20, 'group', { ...plain, script: true, groupHasOwner: true }), 0);
  });
});
