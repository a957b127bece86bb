import { test } from 'node:test';
import assert from 'node:assert/strict';
import { masterDownIntervalUs, skewTimeUs } from '@hotstandby/protocol';

test('VRRPv2 tutorial backup (priority 99, advert_int 1) declares the master down after exactly 3.61328125 s', () => {
  assert.equal(masterDownIntervalUs(2, 99, 100), 3_613_281.25);
});

test('VRRPv2 skew is (256 − priority)/256 s whatever the advert interval (RFC 3768 §6.1)', () => {
  assert.equal(skewTimeUs(2, 99, 100), 613_281.25);
  assert.equal(skewTimeUs(2, 99, 300), 613_281.25);
  assert.equal(masterDownIntervalUs(2, 99, 300), 9_613_281.25);
});

test('VRRPv3 skew scales with Master_Adver_Interval and keeps sub-µs precision (RFC 9568 §6.1)', () => {
  assert.equal(skewTimeUs(3, 254, 1), 78.125);
  assert.equal(skewTimeUs(3, 99, 10), 61_328.125);
  assert.equal(masterDownIntervalUs(3, 99, 10), 361_328.125);
  assert.equal(masterDownIntervalUs(3, 254, 1), 30_078.125);
});

test('one priority point at 10 ms is 39.0625 µs of skew, so neighbouring backups stay ordered', () => {
  assert.equal(skewTimeUs(3, 100, 1) - skewTimeUs(3, 101, 1), 39.0625);
});
