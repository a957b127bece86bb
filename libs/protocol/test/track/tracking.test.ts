import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { effectivePriority, initialRiseFall, recordResult } from '@hotstandby/protocol';

describe('rise/fall hysteresis (keepalived vrrp_script)', () => {
  const cfg = { rise: 2, fall: 3, initFail: false };

  test('the first result settles an init script either way', () => {
    assert.equal(recordResult(cfg, initialRiseFall(cfg), true).health, 'ok');
    assert.equal(recordResult(cfg, initialRiseFall(cfg), false).health, 'ko');
  });

  test('init_fail starts KO', () => {
    assert.equal(initialRiseFall({ ...cfg, initFail: true }).health, 'ko');
  });

  test('an OK script turns KO only after `fall` consecutive failures', () => {
    let s = recordResult(cfg, initialRiseFall(cfg), true);
    s = recordResult(cfg, s, false);
    s = recordResult(cfg, s, false);
    assert.equal(s.health, 'ok');
    s = recordResult(cfg, s, false);
    assert.equal(s.health, 'ko');
  });

  test('a success in between resets the failure streak', () => {
    let s = recordResult(cfg, initialRiseFall(cfg), true);
    for (const r of [false, false, true, false, false]) s = recordResult(cfg, s, r);
    assert.equal(s.health, 'ok');
  });

  test('a KO script turns OK after `rise` consecutive successes', () => {
    let s = recordResult(cfg, initialRiseFall(cfg), false);
    s = recordResult(cfg, s, true);
    assert.equal(s.health, 'ko');
    s = recordResult(cfg, s, true);
    assert.equal(s.health, 'ok');
  });
});

describe('effective priority (keepalived track weights)', () => {
  test('a negative weight subtracts while the tracker is down', () => {
    assert.deepEqual(effectivePriority(100, [{ weight: -20, up: false }]), { priority: 80, fault: false });
    assert.deepEqual(effectivePriority(100, [{ weight: -20, up: true }]), { priority: 100, fault: false });
  });

  test('a positive weight adds while the tracker is up', () => {
    assert.deepEqual(effectivePriority(100, [{ weight: 2, up: true }]), { priority: 102, fault: false });
    assert.deepEqual(effectivePriority(100, [{ weight: 2, up: false }]), { priority: 100, fault: false });
  });

  test('weight 0 means a failing tracker is a FAULT', () => {
    assert.equal(effectivePriority(100, [{ weight: 0, up: false }]).fault, true);
    assert.equal(effectivePriority(100, [{ weight: 0, up: true }]).fault, false);
  });

  test('reverse applies the weight on the other side', () => {
    assert.equal(effectivePriority(100, [{ weight: -10, reverse: true, up: true }]).priority, 90);
  });

  test('the result is clamped to 1..254 and an owner keeps 255', () => {
    assert.equal(effectivePriority(250, [{ weight: 50, up: true }]).priority, 254);
    assert.equal(effectivePriority(10, [{ weight: -50, up: false }]).priority, 1);
    assert.equal(effectivePriority(255, [{ weight: -50, up: false }]).priority, 255);
  });

  test('a tracker with no result yet changes nothing', () => {
    assert.deepEqual(effectivePriority(100, [{ weight: -20, up: undefined }]), { priority: 100, fault: false });
  });
});
