// The tutorial's numbers (DESIGN.md), measured on keepalived 2.2.7, reproduced exactly in virtual time.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Simulation } from '@hotstandby/protocol';
import { scenarios } from './scenarios.js';

/** µs from the master's last advert (crash) or its priority-0 advert (stop) at `event` to r2 becoming MASTER. */
function takeoverAfter(sim: Simulation, event: number, how: 'crash' | 'stop'): number {
  const t = sim.transitions.find((x) => x.router === 'r2' && x.to === 'MASTER' && x.at >= event);
  assert.ok(t, 'r2 never took over');
  const last = sim.advertsSent.filter((a) => a.router === 'r1' && a.at <= event).at(-1);
  assert.ok(last);
  if (how === 'stop') assert.equal(last.priority, 0);
  return t.at - last.at;
}

test('advert_int 1, backup priority 99: a crashed master is replaced 3.61328125 s after its last advert', () => {
  assert.equal(takeoverAfter(scenarios['tutorial-crash-restart']!(), 10_500_000, 'crash'), 3_613_281.25);
});

test('graceful stop: the backup takes over 0.61328125 s (Skew_Time) after the priority-0 advert', () => {
  assert.equal(takeoverAfter(scenarios['tutorial-graceful-stop']!(), 10_500_000, 'stop'), 613_281.25);
});

test('VRRPv3 at 100 ms: 0.361328125 s after a crash, 0.061328125 s after a graceful stop', () => {
  const sim = scenarios['v3-100ms']!();
  assert.equal(takeoverAfter(sim, 1_050_000, 'crash'), 361_328.125);
  assert.equal(takeoverAfter(sim, 3_050_000, 'stop'), 61_328.125);
});

test('VRRPv3 at 10 ms: 36.1328125 ms after a crash', () => {
  assert.equal(takeoverAfter(scenarios['v3-10ms']!(), 100_500, 'crash'), 36_132.8125);
});

test('the restarted master preempts back, and after a partition heals only one master remains', () => {
  const restart = scenarios['tutorial-crash-restart']!();
  assert.deepEqual(restart.masters(), ['r1']);
  const split = scenarios['tutorial-partition-heal']!();
  assert.ok(split.transitions.some((t) => t.router === 'r2' && t.to === 'MASTER' && t.at > 10_500_000 && t.at < 20_500_000), 'two masters during the partition');
  assert.deepEqual(split.masters(), ['r1']);
});
