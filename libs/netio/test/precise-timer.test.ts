// PreciseTimer and the monotonic clock. No lateness bounds here (bench/timer.bench.ts measures
// them); these are the behaviours the daemon depends on.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { monotonicNs, monotonicUs, PreciseTimer } from '@hotstandby/netio';
import type { TimerFire } from '@hotstandby/netio';

function fireOnce(arm: (timer: PreciseTimer) => void, spinUs = 0): Promise<TimerFire> {
  return new Promise((resolve) => {
    const timer = new PreciseTimer((fire) => {
      timer.close();
      resolve(fire);
    }, { spinUs });
    arm(timer);
  });
}

test('monotonicNs is the clock of process.hrtime (CLOCK_MONOTONIC), monotonicUs the same in µs', () => {
  const before = process.hrtime.bigint();
  const ns = monotonicNs();
  const us = monotonicUs();
  const afterwards = process.hrtime.bigint();
  assert.ok(before <= ns && ns <= afterwards);
  assert.ok(Number(ns) / 1000 <= us && us <= Number(afterwards) / 1000);
});

test('fires after its deadline, never before, and reports how late', async () => {
  for (let i = 0; i < 20; i++) {
    const fire = await fireOnce((t) => t.armIn(1500));
    assert.ok(fire.firedAtUs >= fire.deadlineUs, `fired ${fire.deadlineUs - fire.firedAtUs} µs early`);
    assert.equal(fire.lateUs, fire.firedAtUs - fire.deadlineUs);
  }
});

test('with spinUs it wakes early but still never calls back before the deadline', async () => {
  for (let i = 0; i < 20; i++) {
    const fire = await fireOnce((t) => t.armIn(1500), 200);
    assert.ok(fire.firedAtUs >= fire.deadlineUs, `fired ${fire.deadlineUs - fire.firedAtUs} µs early`);
  }
});

test('a deadline in the past fires on the next loop turn', async () => {
  const fire = await fireOnce((t) => t.armAt(monotonicUs() - 5000));
  assert.ok(fire.lateUs >= 5000);
});

test('re-arming replaces the deadline: one callback, for the new deadline', async () => {
  const fires: TimerFire[] = [];
  const timer = new PreciseTimer((fire) => fires.push(fire));
  timer.armIn(200_000);
  timer.armIn(1000);
  const deadline = timer.deadlineUs;
  await new Promise<void>((resolve) => {
    const guard = new PreciseTimer(() => resolve());
    guard.armIn(300_000);
  });
  timer.close();
  assert.equal(fires.length, 1);
  assert.equal(fires[0]!.deadlineUs, deadline);
});

test('disarm cancels; the timer can be armed again afterwards', async () => {
  const fires: TimerFire[] = [];
  const timer = new PreciseTimer((fire) => fires.push(fire));
  timer.armIn(1000);
  timer.disarm();
  assert.equal(timer.armed, false);
  await new Promise((resolve) => setTimeout(resolve, 20));
  assert.equal(fires.length, 0);
  await new Promise<void>((resolve) => {
    const again = new PreciseTimer(() => resolve());
    timer.armIn(1000);
    again.armIn(20_000);
  });
  timer.close();
  assert.equal(fires.length, 1);
});

test('arming a closed timer is a programmer error', () => {
  const timer = new PreciseTimer(() => {});
  timer.close();
  assert.throws(() => timer.armIn(1000), /closed/);
});

test('a timer dropped without close() gives its descriptor back when collected; an armed one still fires', async () => {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  const openFds = (): number => readdirSync('/proc/self/fd').length;
  const before = openFds();
  for (let i = 0; i < 200; i++) new PreciseTimer(() => {});
  let fired = 0;
  const done = new Promise<void>((resolve) => {
    new PreciseTimer(() => {
      fired++;
      resolve();
    }).armIn(30_000);
  });
  for (let i = 0; i < 3; i++) {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  await done;
  assert.equal(fired, 1);
  assert.ok(openFds() <= before + 2, `${openFds() - before} descriptors leaked`);
});
