// The detectors, driven through the Projector with synthetic event sequences (no I/O).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { HsEvent } from '@hotstandby/events';
import { DEFAULT_DETECT_CONFIG } from '../src/detect/config.js';
import { emptyFleet } from '../src/detect/fleet.js';
import type { AlertDecision } from '../src/detect/reconcile.js';
import { Projector } from '../src/project/projector.js';
import type { Change } from '../src/project/projector.js';
import { FakeNode, T0 } from './support/events.js';

function run(events: HsEvent[], tickAtSeconds?: number): { p: Projector; changes: Change[]; alerts: AlertDecision[] } {
  const p = new Projector(emptyFleet(), DEFAULT_DETECT_CONFIG);
  const changes: Change[] = [];
  for (const e of events) changes.push(...p.apply(e));
  if (tickAtSeconds !== undefined) changes.push(...p.tick(T0 + tickAtSeconds * 1e6));
  const alerts = changes.flatMap((c) => (c.type === 'alert' ? [c.decision] : []));
  return { p, changes, alerts };
}

const summary = (a: AlertDecision[]) => a.map((d) => `${d.action} ${d.alert.kind} ${d.alert.nodes.join(',')}`);

describe('split brain', () => {
  test('two masters beyond the grace raise one alert; the loser yielding resolves it', () => {
    const a = new FakeNode('node1');
    const b = new FakeNode('node2');
    const { alerts } = run([
      a.transition(0, 'BACKUP', 'MASTER'),
      b.transition(1, 'BACKUP', 'MASTER'), // partition: node2 stops hearing node1
      a.heartbeat(1.5, [{ state: 'MASTER', installedVips: ['10.10.10.129'] }]),
      b.heartbeat(2, [{ state: 'MASTER', installedVips: ['10.10.10.129'] }]),
      b.transition(5, 'MASTER', 'BACKUP', { reason: 'priority' }), // heal
    ]);
    const sb = alerts.filter((d) => d.alert.kind === 'split-brain');
    assert.deepEqual(summary(sb), ['raise split-brain node1,node2', 'resolve split-brain node1,node2']);
    assert.equal(sb[0]!.alert.firstSeen, T0 + 1e6);
  });

  test('the grace is 0.5 advert interval + 0.1 s skew: raised 0.6 s after the second master appeared', () => {
    const a = new FakeNode('node1');
    const b = new FakeNode('node2');
    const p = new Projector(emptyFleet(), DEFAULT_DETECT_CONFIG);
    p.apply(a.transition(0, 'BACKUP', 'MASTER'));
    p.apply(b.transition(1, 'BACKUP', 'MASTER'));
    assert.deepEqual(p.tick(T0 + 1.599e6), []);
    const raised = p.tick(T0 + 1.6e6);
    assert.deepEqual(raised.map((c) => c.type === 'alert' && `${c.decision.action} ${c.decision.alert.kind}`), ['raise split-brain']);
    assert.deepEqual(p.tick(T0 + 3e6), []); // raised once
  });

  test('a normal hand-over (overlap shorter than the grace) raises nothing', () => {
    const a = new FakeNode('node1');
    const b = new FakeNode('node2');
    const { alerts } = run([
      a.transition(0, 'BACKUP', 'MASTER'),
      b.transition(10, 'BACKUP', 'MASTER', { reason: 'preempted' }),
      a.transition(10.003, 'MASTER', 'BACKUP', { reason: 'priority' }),
      b.heartbeat(11, [{ state: 'MASTER', installedVips: ['10.10.10.129'] }]),
    ], 20);
    assert.deepEqual(summary(alerts.filter((d) => d.alert.kind === 'split-brain')), []);
  });

  test('silent winner: the survivor never transitioned; its heartbeats prove it is MASTER', () => {
    const a = new FakeNode('node1');
    const b = new FakeNode('node2');
    const { p, alerts } = run([
      // node1's becoming MASTER predates the auditor: only its heartbeats say so.
      a.heartbeat(0, [{ state: 'MASTER', installedVips: ['10.10.10.129'] }]),
      b.heartbeat(0.2, [{ state: 'BACKUP' }]),
      b.transition(1, 'BACKUP', 'MASTER'),
      a.heartbeat(1, [{ state: 'MASTER', installedVips: ['10.10.10.129'] }]),
      b.transition(2.5, 'MASTER', 'BACKUP', { reason: 'priority' }),
      a.heartbeat(3, [{ state: 'MASTER', installedVips: ['10.10.10.129'] }]),
    ]);
    assert.deepEqual(summary(alerts.filter((d) => d.alert.kind === 'split-brain')), [
      'raise split-brain node1,node2',
      'resolve split-brain node1,node2',
    ]);
    const masters = [...(p.view.masters.values().next().value?.values() ?? [])];
    assert.deepEqual(masters.map((m) => [m.nodeId, m.startReason]), [['node1', 'heartbeat']]);
  });
});

describe('vip drift', () => {
  const cases: [string, Parameters<FakeNode['heartbeat']>[1], Parameters<FakeNode['heartbeat']>[1], RegExp][] = [
    ['a VIP on a node that is not master', [{ state: 'MASTER', installedVips: ['10.10.10.129'] }], [{ state: 'BACKUP', installedVips: ['10.10.10.129'] }], /installed on node2, which is BACKUP/],
    ['a VIP on two nodes', [{ state: 'MASTER', installedVips: ['10.10.10.129'] }], [{ state: 'BACKUP', installedVips: ['10.10.10.129'] }], /installed on 2 nodes: node1, node2/],
    ['a VIP on no node while a master exists', [{ state: 'MASTER', installedVips: [] }], [{ state: 'BACKUP' }], /10\.10\.10\.129 on no node while node1 is MASTER/],
    ['a master missing its VIP (held elsewhere)', [{ state: 'MASTER', installedVips: [] }], [{ state: 'BACKUP', installedVips: ['10.10.10.129'] }], /MASTER node1 is missing 10\.10\.10\.129 \(installed on node2\)/],
  ];
  for (const [name, hbA, hbB, expected] of cases) {
    test(`${name}: raised once it persists for 2 heartbeat periods, resolved when fixed`, () => {
      const a = new FakeNode('node1');
      const b = new FakeNode('node2');
      const seq: HsEvent[] = [a.transition(0, 'BACKUP', 'MASTER')];
      for (let t = 1; t <= 4; t++) seq.push(a.heartbeat(t, hbA), b.heartbeat(t + 0.1, hbB));
      seq.push(a.heartbeat(5, [{ state: 'MASTER', installedVips: ['10.10.10.129'] }]), b.heartbeat(5.1, [{ state: 'BACKUP' }]));
      const { alerts } = run(seq);
      const drift = alerts.filter((d) => d.alert.kind === 'vip-drift');
      assert.deepEqual(drift.map((d) => d.action), ['raise', 'resolve']);
      assert.match(drift[0]!.alert.summary, expected);
    });
  }

  test('a one-heartbeat glimpse during a hand-over is not drift', () => {
    const a = new FakeNode('node1');
    const b = new FakeNode('node2');
    const { alerts } = run([
      a.transition(0, 'BACKUP', 'MASTER'),
      a.heartbeat(1, [{ state: 'MASTER', installedVips: ['10.10.10.129'] }]),
      b.heartbeat(1.1, [{ state: 'BACKUP', installedVips: ['10.10.10.129'] }]),
      b.heartbeat(2.1, [{ state: 'BACKUP' }]),
      a.heartbeat(2, [{ state: 'MASTER', installedVips: ['10.10.10.129'] }]),
    ], 10);
    assert.deepEqual(alerts.filter((d) => d.alert.kind === 'vip-drift'), []);
  });
});

describe('node lost', () => {
  test('no event for 3 heartbeat periods: its state becomes unknown, not a stale MASTER', () => {
    const a = new FakeNode('node1');
    const b = new FakeNode('node2');
    const { p, changes, alerts } = run([
      a.transition(0, 'BACKUP', 'MASTER'),
      a.heartbeat(1, [{ state: 'MASTER', installedVips: ['10.10.10.129'] }]),
      b.heartbeat(1, [{ state: 'BACKUP' }]),
      b.heartbeat(2, [{ state: 'BACKUP' }]),
      b.heartbeat(3, [{ state: 'BACKUP' }]),
      b.heartbeat(4, [{ state: 'BACKUP' }]),
      b.heartbeat(5, [{ state: 'BACKUP' }]),
    ]);
    assert.deepEqual(summary(alerts), ['raise node-lost node1']);
    assert.equal(alerts[0]!.alert.firstSeen, T0 + 4.1e6); // last heard at 1 s + 3 × 1 s + 0.1 s skew
    const close = changes.find((c) => c.type === 'close');
    assert.deepEqual(close && { ...close, toAt: close.toAt - T0 }, { type: 'close', domain: '10.10.10.0/24', vrid: 51, nodeId: 'node1', toAt: 1e6, endReason: 'node-lost', endEventId: null });
    assert.equal(p.view.masters.size, 0);
    // Heard again: resolved.
    const back = p.apply(a.heartbeat(6, [{ state: 'BACKUP' }]));
    assert.deepEqual(summary(back.flatMap((c) => (c.type === 'alert' ? [c.decision] : []))), ['resolve node-lost node1']);
  });

  test('a wall-clock tick alone finds a silent fleet lost', () => {
    const a = new FakeNode('node1');
    const { alerts } = run([a.heartbeat(1, [{ state: 'BACKUP' }])], 10);
    assert.deepEqual(summary(alerts), ['raise node-lost node1']);
  });
});

describe('flapping', () => {
  test('more than 4 transitions in 60 s raise; a quiet window resolves', () => {
    const a = new FakeNode('node1');
    const seq: HsEvent[] = [];
    for (let i = 0; i < 6; i++) seq.push(a.transition(i * 5, i % 2 ? 'MASTER' : 'BACKUP', i % 2 ? 'BACKUP' : 'MASTER'));
    const { p, alerts } = run(seq, 84.9);
    const flaps = alerts.filter((d) => d.alert.kind === 'flapping');
    assert.deepEqual(flaps.map((d) => d.action), ['raise']);
    assert.equal(flaps[0]!.at, T0 + 20e6); // at the fifth transition
    // Resolved once the last transition (at 25 s) is a whole window (60 s) old.
    assert.deepEqual(p.tick(T0 + 85.1e6).map((c) => c.type === 'alert' && c.decision.action), ['resolve']);
  });

  test('4 transitions in a window are not flapping', () => {
    const a = new FakeNode('node1');
    const seq: HsEvent[] = [];
    for (let i = 0; i < 4; i++) seq.push(a.transition(i * 5, i % 2 ? 'MASTER' : 'BACKUP', i % 2 ? 'BACKUP' : 'MASTER'));
    assert.deepEqual(run(seq, 200).alerts.filter((d) => d.alert.kind === 'flapping'), []);
  });
});

describe('clock rule', () => {
  test('per node, an event older than one applied (same boot) moves no projection; a new boot closes what the old one held', () => {
    const a = new FakeNode('node1', '0192f0a0b0c0aaaaaaaa');
    const e1 = a.transition(0, 'BACKUP', 'MASTER');
    const e2 = a.transition(5, 'MASTER', 'BACKUP');
    const p = new Projector(emptyFleet(), DEFAULT_DETECT_CONFIG);
    p.apply(e1);
    p.apply(e2);
    assert.deepEqual(p.apply(e1), []);
    p.apply(a.transition(6, 'BACKUP', 'MASTER'));
    a.reboot('0192f0a0b0c0bbbbbbbb');
    const changes = p.apply(a.transition(9, 'INIT', 'BACKUP', { reason: 'startup' }));
    assert.equal(changes.find((c) => c.type === 'close')?.type === 'close' && (changes.find((c) => c.type === 'close') as { endReason: string }).endReason, 'node-restarted');
  });
});
