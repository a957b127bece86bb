// One test per rule of RFC 9568 §6 (VRRPv3 state machine), quoting the RFC. RFC 9568 says "Active"
// where we, keepalived and RFC 3768 say MASTER.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { initialState, masterDownIntervalUs, nextDeadline, nextTimer, skewTimeUs, step } from '@hotstandby/protocol';
import type { Effect } from '@hotstandby/protocol';
import { config, fire, master, PEER_HIGHER, PEER_LOWER, received, started, types, VIP } from './drive.js';

const v3 = (over = {}) => config({ version: 3, advertIntervalCs: 100, ...over });

describe('RFC 9568 §6.1 parameters', () => {
  test('"Skew_Time: ... Calculated as: (((256 - priority) * Active_Adver_Interval) / 256)"', () => {
    assert.equal(skewTimeUs(3, 100, 100), (156 * 100 * 10_000) / 256);
    assert.equal(skewTimeUs(3, 254, 1), 78.125);
  });

  test('"Active_Down_Interval: ... Calculated as: (3 * Active_Adver_Interval) + Skew_Time"', () => {
    assert.equal(masterDownIntervalUs(3, 100, 100), 3_000_000 + 609_375);
  });
});

describe('RFC 9568 §6.4.1 Initialize', () => {
  test('"If the Priority = 255 ... Send an ADVERTISEMENT ... broadcast a gratuitous ARP ... Set the Adver_Timer to Advertisement_Interval ... Transition to the {Active} state"', () => {
    const cfg = v3({ priority: 255, initialState: 'MASTER' });
    const r = step(cfg, initialState(cfg), { type: 'startup' }, 1_000);
    assert.equal(r.state.kind, 'MASTER');
    assert.deepEqual(types(r.effects), ['send-advert:255', 'add-vips', 'send-garp', 'run-notify:MASTER', 'emit-event']);
    assert.deepEqual(nextTimer(r.state), { timer: 'adver', at: 1_000 + 1_000_000, generation: nextTimer(r.state)?.generation });
  });

  test('"else // rtr does not own virt addr: Set Active_Adver_Interval to Advertisement_Interval ... Set the Active_Down_Timer to Active_Down_Interval ... Transition to the {Backup} state"', () => {
    const cfg = v3({ priority: 100, advertIntervalCs: 50 });
    const s = started(cfg, 7);
    assert.equal(s.kind, 'BACKUP');
    assert.equal(s.masterAdverIntervalCs, 50);
    assert.equal(nextDeadline(s), 7 + masterDownIntervalUs(3, 100, 50));
  });
});

describe('RFC 9568 §6.4.2 Backup', () => {
  test('"If a Shutdown event is received, then: - Cancel the Active_Down_Timer - Transition to the {Initialize} state" (keepalived: STOP, no advert)', () => {
    const cfg = v3();
    const r = step(cfg, started(cfg), { type: 'shutdown' }, 10);
    assert.equal(r.state.kind, 'STOP');
    assert.equal(nextDeadline(r.state), undefined);
    assert.ok(!r.effects.some((e) => e.type === 'send-advert' || e.type === 'remove-vips'));
  });

  test('"If the Active_Down_Timer fires, then: - Send an ADVERTISEMENT - ... gratuitous ARP ... - Set the Adver_Timer to Advertisement_Interval - Transition to the {Active} state"', () => {
    const cfg = v3();
    const r = fire(cfg, started(cfg));
    assert.equal(r.state.kind, 'MASTER');
    assert.equal(r.at, masterDownIntervalUs(3, 100, 100));
    assert.deepEqual(types(r.effects), ['send-advert:100', 'add-vips', 'send-garp', 'run-notify:MASTER', 'emit-event']);
    const garp = r.effects.find((e) => e.type === 'send-garp');
    assert.deepEqual(garp && garp.type === 'send-garp' ? garp.addresses : [], [VIP]);
    assert.equal(nextTimer(r.state)?.timer, 'adver');
    assert.equal(nextTimer(r.state)?.at, r.at + 1_000_000);
  });

  test('"If the Priority in the ADVERTISEMENT is 0, then: o Set the Active_Down_Timer to Skew_Time"', () => {
    const cfg = v3();
    const r = step(cfg, started(cfg), received(0), 500_000);
    assert.equal(r.state.kind, 'BACKUP');
    assert.equal(nextDeadline(r.state), 500_000 + skewTimeUs(3, 100, 100));
    assert.deepEqual(r.effects, []);
  });

  test('"If Preempt_Mode is False, or if the Priority in the ADVERTISEMENT is greater than or equal to the local Priority, then: + Set the Active_Adver_Interval to the Max Advertise Interval contained in the ADVERTISEMENT + Recompute the Skew_Time + Recompute the Active_Down_Interval + Set the Active_Down_Timer to Active_Down_Interval"', () => {
    const cfg = v3();
    const higher = step(cfg, started(cfg), received(150, PEER_HIGHER, 20), 1_000);
    assert.equal(higher.state.masterAdverIntervalCs, 20);
    assert.equal(nextDeadline(higher.state), 1_000 + masterDownIntervalUs(3, 100, 20));
    const equal = step(cfg, started(cfg), received(100, PEER_LOWER, 30), 2_000);
    assert.equal(nextDeadline(equal.state), 2_000 + masterDownIntervalUs(3, 100, 30));
    const noPreempt = v3({ nopreempt: true });
    const lower = step(noPreempt, started(noPreempt), received(50, PEER_LOWER, 40), 3_000);
    assert.equal(nextDeadline(lower.state), 3_000 + masterDownIntervalUs(3, 100, 40));
  });

  test('"else // preempt was true and priority was less than the local priority + Discard the ADVERTISEMENT"', () => {
    const cfg = v3();
    const s = started(cfg, 0);
    const r = step(cfg, s, received(50, PEER_LOWER, 20), 1_000_000);
    assert.equal(nextDeadline(r.state), nextDeadline(s));
    assert.equal(r.state.masterAdverIntervalCs, 100);
    assert.deepEqual(r.effects, []);
  });
});

describe('RFC 9568 §6.4.3 Active', () => {
  test('"MUST accept packets addressed to the IPvX address(es) ... if it is the IPvX address owner or if Accept_Mode is True. Otherwise, MUST NOT accept these packets" (keepalived no_accept: drop after adding the VIPs, accept after removing them)', () => {
    const filters = (cfg: ReturnType<typeof v3>): string[][] => {
      const m = master(cfg);
      const down = step(cfg, m.state, { type: 'shutdown' }, m.at + 10);
      const up = fire(cfg, started(cfg));
      return [types(up.effects), types(down.effects), [...up.effects, ...down.effects].flatMap((e) => (e.type === 'filter-vips' ? [`${e.action} ${e.addresses.join(' ')}`] : []))];
    };
    const [up, down, actions] = filters(v3({ acceptMode: false }));
    assert.deepEqual(up, ['send-advert:100', 'add-vips', 'filter-vips', 'send-garp', 'run-notify:MASTER', 'emit-event']);
    assert.deepEqual(down, ['send-advert:0', 'remove-vips', 'filter-vips', 'run-notify:STOP', 'emit-event']);
    assert.deepEqual(actions, [`drop ${VIP}`, `accept ${VIP}`]);
    assert.deepEqual(filters(v3({ acceptMode: true }))[2], [], 'Accept_Mode True: nothing filtered');
    const owner = v3({ acceptMode: false, priority: 255, initialState: 'MASTER' });
    const r = step(owner, initialState(owner), { type: 'startup' }, 1_000);
    assert.ok(!r.effects.some((e) => e.type === 'filter-vips'), 'the address owner always accepts');
  });

  test('"If a Shutdown event is received, then: - Cancel the Adver_Timer - Send an ADVERTISEMENT with Priority = 0 - Transition to the {Initialize} state"', () => {
    const cfg = v3();
    const m = master(cfg);
    const r = step(cfg, m.state, { type: 'shutdown' }, m.at + 10);
    assert.equal(r.state.kind, 'STOP');
    assert.equal(nextDeadline(r.state), undefined);
    assert.deepEqual(types(r.effects), ['send-advert:0', 'remove-vips', 'run-notify:STOP', 'emit-event']);
  });

  test('"If the Adver_Timer fires, then: - Send an ADVERTISEMENT - Reset the Adver_Timer to Advertisement_Interval"', () => {
    const cfg = v3({ advertIntervalCs: 10 });
    const m = master(cfg);
    const r = fire(cfg, m.state);
    assert.equal(r.at, m.at + 100_000);
    assert.deepEqual(types(r.effects), ['send-advert:100']);
    assert.equal(nextDeadline(r.state), r.at + 100_000);
  });

  test('"If the Priority in the ADVERTISEMENT is 0, then: o Send an ADVERTISEMENT o Reset the Adver_Timer to Advertisement_Interval"', () => {
    const cfg = v3();
    const m = master(cfg);
    const now = m.at + 400_000;
    const r = step(cfg, m.state, received(0, PEER_HIGHER), now);
    assert.equal(r.state.kind, 'MASTER');
    assert.deepEqual(types(r.effects), ['send-advert:100']);
    assert.equal(nextDeadline(r.state), now + 1_000_000);
  });

  test('"If the Priority in the ADVERTISEMENT is greater than the local Priority ... then: + Cancel Adver_Timer + Set the Active_Adver_Interval to the Max Advertise Interval contained in the ADVERTISEMENT + Recompute the Skew_Time + Recompute the Active_Down_Interval + Set the Active_Down_Timer to Active_Down_Interval + Transition to the {Backup} state"', () => {
    const cfg = v3();
    const m = master(cfg);
    const now = m.at + 300_000;
    const r = step(cfg, m.state, received(200, PEER_LOWER, 25), now);
    assert.equal(r.state.kind, 'BACKUP');
    assert.equal(r.state.masterAdverIntervalCs, 25);
    assert.deepEqual(nextTimer(r.state), { timer: 'master-down', at: now + masterDownIntervalUs(3, 100, 25), generation: nextTimer(r.state)?.generation });
    assert.deepEqual(types(r.effects), ['remove-vips', 'run-notify:BACKUP', 'emit-event']);
  });

  test('"... or the Priority in the ADVERTISEMENT is equal to the local Priority and the primary IPvX address of the sender is greater than the local primary IPvX address (based on an unsigned integer comparison of the IPvX addresses in network byte order)" → Backup', () => {
    const cfg = v3();
    const m = master(cfg);
    // 10.10.10.200 > 10.10.10.126 as integers (and "10.10.10.99" < "10.10.10.126" would sort wrongly as text).
    assert.equal(step(cfg, m.state, received(100, '10.10.10.200'), m.at + 1).state.kind, 'BACKUP');
    assert.equal(step(cfg, m.state, received(100, '10.10.10.99'), m.at + 1).state.kind, 'MASTER');
  });

  test('"else // new Active Router logic + Discard the ADVERTISEMENT + Send an ADVERTISEMENT immediately to assert the {Active} state to the sending VRRP Router"', () => {
    const cfg = v3();
    const m = master(cfg);
    const r = step(cfg, m.state, received(50, PEER_LOWER), m.at + 123);
    assert.equal(r.state.kind, 'MASTER');
    const first: Effect | undefined = r.effects[0];
    assert.deepEqual(first, { type: 'send-advert', priority: 100, intervalCs: 100, addresses: [VIP] });
  });
});
