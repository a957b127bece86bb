// Behaviour keepalived 2.2.7 has beyond (or instead of) the RFC text: startup hints, nopreempt,
// preempt_delay, lower_prio_no_advert, higher_prio_send_advert, faults, tracking, GARP plans, reloads.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { armedTimers, initialState, masterDownIntervalUs, nextDeadline, nextTimer, skewTimeUs, step } from '@hotstandby/protocol';
import type { Effect, State, TransitionEvent } from '@hotstandby/protocol';
import { config, fire, master, PEER_HIGHER, PEER_LOWER, received, SELF, started, types, VIP } from './drive.js';

function transitionOf(effects: readonly Effect[]): TransitionEvent {
  const e = effects.find((x) => x.type === 'emit-event' && x.event.kind === 'transition');
  if (!e || e.type !== 'emit-event' || e.event.kind !== 'transition') throw new Error('no transition event');
  return e.event;
}

describe('startup (vrrp_init_state)', () => {
  test('state MASTER with priority < 255 is only a hint: the instance starts BACKUP and waits a full Master_Down_Interval', () => {
    const cfg = config({ initialState: 'MASTER', priority: 100, version: 2 });
    const r = step(cfg, initialState(cfg), { type: 'startup' }, 0);
    assert.equal(r.state.kind, 'BACKUP');
    assert.equal(nextDeadline(r.state), 3_609_375);
    assert.deepEqual(types(r.effects), ['run-notify:BACKUP', 'emit-event']);
    assert.equal(transitionOf(r.effects).reason, 'startup');
  });

  test('an owner (priority 255) configured with state BACKUP starts BACKUP, as keepalived does', () => {
    const cfg = config({ initialState: 'BACKUP', priority: 255 });
    assert.equal(started(cfg).kind, 'BACKUP');
  });

  test('an owner with state MASTER becomes MASTER at once, reason "priority"', () => {
    const cfg = config({ priority: 255 });
    const r = step(cfg, initialState(cfg), { type: 'startup' }, 0);
    assert.equal(r.state.kind, 'MASTER');
    assert.equal(transitionOf(r.effects).reason, 'priority');
  });

  test('startup with an interface already down goes to FAULT and arms no timer', () => {
    const cfg = config();
    const r = step(cfg, initialState(cfg), { type: 'startup', faulted: true }, 0);
    assert.equal(r.state.kind, 'FAULT');
    assert.equal(nextDeadline(r.state), undefined);
    assert.deepEqual(types(r.effects), ['run-notify:FAULT', 'emit-event']);
  });

  test('a MASTER hint clears nopreempt and preempt_delay, as vrrp_complete_instance() warns', () => {
    const cfg = config({ initialState: 'MASTER', nopreempt: true, preemptDelayUs: 5_000_000 });
    assert.equal(cfg.nopreempt, false);
    assert.equal(cfg.preemptDelayUs, 0);
  });
});

describe('BACKUP', () => {
  test('takeover reason is master-no-response after silence, priority-zero-received after a resign, preempted after ignoring a weaker master', () => {
    const cfg = config();
    assert.equal(transitionOf(fire(cfg, started(cfg)).effects).reason, 'master-no-response');
    const resigned = step(cfg, step(cfg, started(cfg), received(200), 10).state, received(0), 20).state;
    assert.equal(transitionOf(fire(cfg, resigned).effects).reason, 'priority-zero-received');
    const weaker = step(cfg, started(cfg), received(50, PEER_LOWER), 10).state;
    assert.equal(transitionOf(fire(cfg, weaker).effects).reason, 'preempted');
  });

  test('nopreempt: a stronger backup keeps resetting its timer on a weaker master\'s adverts', () => {
    const cfg = config({ nopreempt: true, priority: 200 });
    const r = step(cfg, started(cfg), received(50, PEER_LOWER), 2_000_000);
    assert.equal(nextDeadline(r.state), 2_000_000 + masterDownIntervalUs(2, 200, 100));
    assert.equal(r.state.masterAddress, PEER_LOWER);
  });

  test('preempt_delay: weaker adverts are accepted until preempt_delay after the first one, then ignored', () => {
    const cfg = config({ preemptDelayUs: 10_000_000, priority: 200 });
    let s: State = started(cfg, 0);
    s = step(cfg, s, received(50, PEER_LOWER), 1_000_000).state; // starts the delay: preemptAt = 11 s
    s = step(cfg, s, received(50, PEER_LOWER), 10_000_000).state; // still accepted
    assert.equal(nextDeadline(s), 10_000_000 + masterDownIntervalUs(2, 200, 100));
    const after = step(cfg, s, received(50, PEER_LOWER), 11_000_000).state; // at preemptAt: ignored
    assert.equal(nextDeadline(after), nextDeadline(s));
    const r = fire(cfg, after);
    assert.equal(r.state.kind, 'MASTER');
    assert.equal(transitionOf(r.effects).reason, 'preempted');
  });

  test('preempt_delay: a stronger master stops the delay, so it restarts from the next weaker advert', () => {
    const cfg = config({ preemptDelayUs: 10_000_000, priority: 200 });
    let s: State = started(cfg, 0);
    s = step(cfg, s, received(50, PEER_LOWER), 1_000_000).state;
    s = step(cfg, s, received(250, PEER_HIGHER), 2_000_000).state;
    s = step(cfg, s, received(50, PEER_LOWER), 3_000_000).state;
    assert.equal(s.kind === 'BACKUP' ? s.preemptAt : -1, 13_000_000);
  });

  test('VRRPv2 does not learn the master\'s interval (keepalived learns it only in v3)', () => {
    const cfg = config({ version: 2 });
    const r = step(cfg, started(cfg), received(200, PEER_HIGHER, 300, 2), 0);
    assert.equal(r.state.masterAdverIntervalCs, 100);
    assert.equal(nextDeadline(r.state), masterDownIntervalUs(2, 100, 100));
  });

  test('a stale timer (old generation) does nothing', () => {
    const cfg = config();
    const s0 = started(cfg, 0);
    const old = nextTimer(s0)!;
    const s1 = step(cfg, s0, received(200), 1_000_000).state;
    const r = step(cfg, s1, { type: 'timer-fired', timer: 'master-down', generation: old.generation }, old.at);
    assert.equal(r.state, s1);
    assert.deepEqual(r.effects, []);
  });

  test('a tracker lowering the priority moves the Master_Down deadline by the change in Skew_Time', () => {
    const cfg = config({ version: 3, advertIntervalCs: 10 });
    const s0 = step(cfg, started(cfg), received(200, PEER_HIGHER, 10), 0).state;
    const r = step(cfg, s0, { type: 'priority-changed', priority: 60 }, 50_000);
    assert.equal(r.state.effectivePriority, 60);
    assert.equal(nextDeadline(r.state)! - nextDeadline(s0)!, skewTimeUs(3, 60, 10) - skewTimeUs(3, 100, 10));
    assert.deepEqual(r.effects, []);
  });

  test('an address owner ignores tracker priority changes', () => {
    const cfg = config({ priority: 255 });
    const m = master(cfg);
    const r = step(cfg, m.state, { type: 'priority-changed', priority: 100 }, 1);
    assert.equal(r.state, m.state);
  });
});

describe('MASTER', () => {
  test('becoming MASTER: advert first, then VIPs, then GARP, then notify, then the event', () => {
    const cfg = config();
    const r = fire(cfg, started(cfg));
    assert.deepEqual(types(r.effects), ['send-advert:100', 'add-vips', 'send-garp', 'run-notify:MASTER', 'emit-event']);
    const ev = transitionOf(r.effects);
    assert.deepEqual(ev, { kind: 'transition', from: 'BACKUP', to: 'MASTER', reason: 'master-no-response', priority: 100, effectivePriority: 100, masterAddress: SELF, intervalCs: 100 });
  });

  test('GARP plan: 5 at once, 5 more after garp_master_delay (5 s), none if MASTER was lost meanwhile', () => {
    const cfg = config();
    const m = master(cfg);
    const garps = m.state.kind === 'MASTER' ? m.state.garpDelay : undefined;
    assert.equal(garps?.at, m.at + 5_000_000);
    let s = m.state;
    const seen: Effect[] = [];
    while ((nextDeadline(s) ?? Infinity) <= m.at + 5_000_000) {
      const r = fire(cfg, s);
      s = r.state;
      seen.push(...r.effects);
    }
    const bursts = seen.filter((e) => e.type === 'send-garp');
    assert.deepEqual(bursts, [{ type: 'send-garp', addresses: [VIP], count: 5, intervalUs: 0, reason: 'master-delayed' }]);
    const lost = step(cfg, m.state, received(200), m.at + 1);
    assert.deepEqual(armedTimers(lost.state).map((a) => a.timer), ['master-down']);
  });

  test('garp_master_refresh: the first advert after the refresh interval re-announces the VIPs', () => {
    const cfg = config({ garp: { masterRefreshUs: 2_500_000, masterDelayUs: 0 } });
    let s = master(cfg).state;
    const reasons: string[] = [];
    for (let i = 0; i < 6; i++) {
      const r = fire(cfg, s);
      s = r.state;
      for (const e of r.effects) if (e.type === 'send-garp') reasons.push(`${e.reason}@${i}`);
    }
    assert.deepEqual(reasons, ['refresh@2', 'refresh@5']);
  });

  test('a lower-priority advert: advert back, GARPs, notify_master_rx_lower_pri, and a MASTER→MASTER event', () => {
    const cfg = config();
    const m = master(cfg);
    const r = step(cfg, m.state, received(50, PEER_LOWER), m.at + 10);
    assert.deepEqual(types(r.effects), ['send-advert:100', 'send-garp', 'run-notify:MASTER_RX_LOWER_PRI', 'emit-event']);
    const ev = transitionOf(r.effects);
    assert.deepEqual([ev.from, ev.to, ev.reason, ev.trigger], ['MASTER', 'MASTER', 'lower-priority-received', { source: PEER_LOWER, priority: 50 }]);
    assert.equal(nextDeadline(r.state), m.at + 10 + 1_000_000);
  });

  test('lower_prio_no_advert: no advert back and the advert timer is not reset', () => {
    const cfg = config({ lowerPrioNoAdvert: true });
    const m = master(cfg);
    const r = step(cfg, m.state, received(50, PEER_LOWER), m.at + 10);
    assert.ok(!r.effects.some((e) => e.type === 'send-advert'));
    assert.equal(nextDeadline(r.state), nextDeadline(m.state));
  });

  test('higher_prio_send_advert: one advert before yielding to a higher priority', () => {
    const cfg = config({ higherPrioSendAdvert: true });
    const m = master(cfg);
    const r = step(cfg, m.state, received(200, PEER_HIGHER), m.at + 10);
    assert.deepEqual(types(r.effects), ['send-advert:100', 'remove-vips', 'run-notify:BACKUP', 'emit-event']);
    assert.equal(transitionOf(r.effects).reason, 'higher-priority-received');
  });

  test('two address owners: anomaly priority-owner-conflict, local priority drops to 254, and the higher address wins', () => {
    const cfg = config({ priority: 255 });
    const m = master(cfg);
    const r = step(cfg, m.state, received(255, PEER_HIGHER), 5);
    assert.equal(r.state.kind, 'BACKUP');
    assert.equal(r.state.basePriority, 254);
    assert.deepEqual(types(r.effects), ['remove-vips', 'run-notify:BACKUP', 'emit-event', 'emit-event']);
    const anomaly = r.effects.find((e) => e.type === 'emit-event' && e.event.kind === 'anomaly');
    assert.ok(anomaly && anomaly.type === 'emit-event' && anomaly.event.kind === 'anomaly' && anomaly.event.class === 'priority-owner-conflict');
  });

  test('a tracker lowering a MASTER\'s priority sends nothing at once; the next advert carries it', () => {
    const cfg = config();
    const m = master(cfg);
    const r = step(cfg, m.state, { type: 'priority-changed', priority: 80 }, m.at + 1);
    assert.deepEqual(r.effects, []);
    assert.deepEqual(types(fire(cfg, r.state).effects), ['send-advert:80']);
  });
});

describe('FAULT', () => {
  test('a MASTER that faults resigns with a priority-0 advert and drops its VIPs', () => {
    const cfg = config();
    const m = master(cfg);
    const r = step(cfg, m.state, { type: 'fault' }, m.at + 1);
    assert.equal(r.state.kind, 'FAULT');
    assert.deepEqual(types(r.effects), ['send-advert:0', 'remove-vips', 'run-notify:FAULT', 'emit-event']);
    assert.equal(nextDeadline(r.state), undefined);
  });

  test('adverts are ignored in FAULT; fault-cleared returns to BACKUP with a full Master_Down_Interval', () => {
    const cfg = config();
    const f = step(cfg, started(cfg), { type: 'fault' }, 1).state;
    assert.equal(step(cfg, f, received(0), 2).state, f);
    const r = step(cfg, f, { type: 'fault-cleared' }, 10);
    assert.equal(r.state.kind, 'BACKUP');
    assert.equal(nextDeadline(r.state), 10 + masterDownIntervalUs(2, 100, 100));
    assert.equal(transitionOf(r.effects).reason, 'fault-cleared');
  });

  test('shutdown from BACKUP runs notify_stop and sends nothing', () => {
    const cfg = config();
    const r = step(cfg, started(cfg), { type: 'shutdown' }, 1);
    assert.deepEqual(types(r.effects), ['run-notify:STOP', 'emit-event']);
  });
});

describe('config-changed (reload)', () => {
  test('a MASTER installs added VIPs (with GARPs) and removes dropped ones at once', () => {
    const before = config({ virtualAddresses: [VIP, '10.10.10.131'] });
    const after = config({ virtualAddresses: [VIP, '10.10.10.130'] });
    const m = master(before);
    const r = step(after, m.state, { type: 'config-changed', previous: before }, m.at + 1);
    assert.deepEqual(r.effects, [
      { type: 'remove-vips', addresses: ['10.10.10.131'] },
      { type: 'add-vips', addresses: ['10.10.10.130'] },
      { type: 'send-garp', addresses: ['10.10.10.130'], count: 5, intervalUs: 0, reason: 'config-changed' },
    ]);
  });

  test('changing the VRID is a different instance: a programmer error', () => {
    const before = config();
    assert.throws(() => step(config({ vrid: 52 }), started(before), { type: 'config-changed', previous: before }, 1));
  });
});
