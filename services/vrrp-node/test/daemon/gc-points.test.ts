import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GC_CLEARANCE_US, GC_EVERY_US, gcDue, minorCollector } from '../../src/daemon/gc-points.js';

test('a collection at most once per interval, and only with no deadline near', () => {
  const last = 10_000_000;
  const now = last + GC_EVERY_US;
  assert.equal(gcDue(last + GC_EVERY_US - 1, last, undefined), false, 'too soon after the last one');
  assert.equal(gcDue(now, last, undefined), true, 'nothing armed');
  assert.equal(gcDue(now, last, now + GC_CLEARANCE_US), true, 'the next deadline is far enough');
  assert.equal(gcDue(now, last, now + GC_CLEARANCE_US - 1), false, 'a deadline (a takeover, an advert) is near');
  assert.equal(gcDue(now, last, now - 10), false, 'a deadline already due');
});

test('the young-generation collector is available at run time and collects', () => {
  const collect = minorCollector();
  assert.ok(collect, 'gc exposed after start-up');
  collect();
});
