// Properties over thousands of seeded random scenarios. A failure names its seed; replay it with
// runScenario(seed, { transcript: true }) from random-scenario.ts to see every packet.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { masterDownIntervalUs, mulberry32, skewTimeUs } from '@hotstandby/protocol';
import { contenders, runScenario, VIP, world } from './random-scenario.js';

test('healthy LAN after the last change: one MASTER, the highest-priority live router, holding the VIP (3000 seeds)', () => {
  for (let seed = 1; seed <= 3000; seed++) {
    const { w, settledAt } = runScenario(seed);
    const { sim, intervalUs } = w;
    for (const checkAt of [settledAt, settledAt + 3 * intervalUs]) {
      sim.runUntil(checkAt);
      const live = contenders(sim);
      const masters = sim.masters();
      if (live.length === 0) {
        assert.deepEqual(masters, [], `seed ${seed}: a MASTER with no live contender`);
        continue;
      }
      assert.equal(masters.length, 1, `seed ${seed}: ${masters.length} masters at ${checkAt} µs: ${masters.join(',')}`);
      const best = Math.max(...live.map((id) => sim.stateOf(id).effectivePriority));
      const m = masters[0]!;
      assert.equal(sim.stateOf(m).effectivePriority, best, `seed ${seed}: master ${m} is not the highest-priority live router`);
      assert.deepEqual(sim.holders(VIP), [m], `seed ${seed}: VIP held by ${sim.holders(VIP).join(',')}, master ${m}`);
    }
  }
});

test('nopreempt everywhere: still exactly one MASTER once the LAN is healthy (1000 seeds)', () => {
  for (let seed = 1; seed <= 1000; seed++) {
    const { w } = runScenario(seed, { nopreempt: true });
    const live = contenders(w.sim);
    assert.equal(w.sim.masters().length, live.length === 0 ? 0 : 1, `seed ${seed}: masters ${w.sim.masters().join(',')}`);
  }
});

test('nopreempt: a stronger router joining later leaves the current MASTER in place (300 seeds)', () => {
  for (let seed = 1; seed <= 300; seed++) {
    const rng = mulberry32(seed);
    const { sim, intervalUs, configs } = world(rng, { nopreempt: true });
    const ids = sim.ids();
    const weakest = ids.reduce((a, b) => (configs.get(a)!.priority < configs.get(b)!.priority ? a : b));
    sim.at(0, (s) => s.start(weakest));
    sim.runUntil(5 * intervalUs + 1_000_000);
    for (const id of ids) if (id !== weakest) sim.start(id);
    sim.runFor(20 * intervalUs + 2_000_000);
    assert.deepEqual(sim.masters(), [weakest], `seed ${seed}`);
  }
});

test('failover lands exactly at last advert + Master_Down_Interval (crash) or Skew_Time (graceful stop), to the µs (2000 seeds)', () => {
  for (let seed = 1; seed <= 2000; seed++) {
    const rng = mulberry32(seed);
    const { sim, intervalUs, configs } = world(rng);
    const ids = sim.ids();
    for (const id of ids) sim.start(id);
    sim.runUntil(6 * intervalUs + 2_000_000);
    const [old] = sim.masters();
    assert.ok(old !== undefined, `seed ${seed}: no master after startup`);
    const byPriority = ids.filter((id) => id !== old).sort((a, b) => configs.get(b)!.priority - configs.get(a)!.priority);
    const heir = byPriority[0]!;
    const heirConfig = configs.get(heir)!;
    const graceful = rng.chance(0.5);
    const at = sim.now + rng.int(1, intervalUs - 1) + 0.5;
    sim.runUntil(at);
    const lastAdvert = sim.advertsSent.filter((a) => a.router === old).at(-1)!.at;
    if (graceful) sim.stop(old);
    else sim.crash(old);
    sim.runFor(4 * intervalUs + 1_000_000);
    const takeover = sim.transitions.find((t) => t.at >= at && t.to === 'MASTER');
    const expected = graceful
      ? at + skewTimeUs(heirConfig.version, heirConfig.priority, heirConfig.advertIntervalCs)
      : lastAdvert + masterDownIntervalUs(heirConfig.version, heirConfig.priority, heirConfig.advertIntervalCs);
    assert.equal(takeover?.router, heir, `seed ${seed}: ${takeover?.router} took over, expected ${heir}`);
    assert.equal(takeover.at, expected, `seed ${seed}: takeover at ${takeover.at} µs, expected ${expected} µs (${graceful ? 'stop' : 'crash'})`);
    assert.deepEqual(sim.masters(), [heir], `seed ${seed}`);
  }
});
