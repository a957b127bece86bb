// Grouping, backoff and rate limiting are pure: tested on their decisions.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { backoffDelayMs, parseRetryAfter, withinBudget } from '../src/deliver/backoff.js';
import type { RetryPolicy } from '../src/deliver/backoff.js';
import { planNext } from '../src/deliver/plan.js';
import type { QueuedItem } from '../src/deliver/plan.js';
import { fullBucket, takeToken } from '../src/deliver/rate-limit.js';

const opts = { groupWindowMs: 1000, maxGroup: 3 };
function item(id: number, over: Partial<QueuedItem> = {}): QueuedItem {
  return { id, kind: 'raised', incidentId: `i${id}`, groupKey: 'd|51', receivedAtMs: 0, ...over };
}

describe('grouping (planNext)', () => {
  test('an empty queue is idle; the head waits until its group window has passed', () => {
    assert.deepEqual(planNext([], 0, opts), { do: 'idle' });
    assert.deepEqual(planNext([item(1, { receivedAtMs: 500 })], 1000, opts), { do: 'wait', untilMs: 1500 });
  });

  test('alerts of one domain+VRID arriving within the window become one message, at most maxGroup', () => {
    const q = [item(1), item(2, { receivedAtMs: 900 }), item(3, { groupKey: 'd|52' }), item(4, { receivedAtMs: 1000 }), item(5, { receivedAtMs: 1001 }), item(6)];
    assert.deepEqual(planNext(q, 2000, opts), { do: 'send', ids: [1, 2, 4] });
  });

  test('raised and resolved are never in one message', () => {
    assert.deepEqual(planNext([item(1), item(2, { kind: 'resolved', incidentId: 'x' })], 2000, opts), { do: 'send', ids: [1] });
  });

  test('a resolved does not jump ahead of its own raised still in the queue', () => {
    const q = [item(1, { kind: 'resolved', incidentId: 'a' }), item(2, { incidentId: 'b' }), item(3, { kind: 'resolved', incidentId: 'b' }), item(4, { kind: 'resolved', incidentId: 'c' })];
    assert.deepEqual(planNext(q, 2000, opts), { do: 'send', ids: [1, 4] });
  });

  test('health and test notices go alone and at once', () => {
    assert.deepEqual(planNext([item(1, { kind: 'health', receivedAtMs: 5000 }), item(2, { kind: 'health' })], 5000, opts), { do: 'send', ids: [1] });
  });
});

describe('backoff', () => {
  const p: RetryPolicy = { baseMs: 100, capMs: 1000, maxAttempts: 5, maxElapsedMs: 3000 };

  test('full jitter below an exponentially growing ceiling, capped', () => {
    assert.equal(backoffDelayMs(p, 1, 0.999), 99);
    assert.equal(backoffDelayMs(p, 2, 0.999), 199);
    assert.equal(backoffDelayMs(p, 4, 0.999), 799);
    assert.equal(backoffDelayMs(p, 9, 0.999), 999);
    assert.equal(backoffDelayMs(p, 3, 0), 0);
  });

  test("Retry-After replaces the computed delay (Slack's 429)", () => {
    assert.equal(backoffDelayMs(p, 1, 0.5, 7000), 7000);
    assert.equal(parseRetryAfter('3', 0), 3000);
    assert.equal(parseRetryAfter('Wed, 21 Oct 2015 07:28:10 GMT', Date.parse('Wed, 21 Oct 2015 07:28:00 GMT')), 10_000);
    assert.equal(parseRetryAfter('soon', 0), undefined);
    assert.equal(parseRetryAfter(null, 0), undefined);
  });

  test('the budget ends at maxAttempts or when the next attempt would start after maxElapsedMs', () => {
    assert.equal(withinBudget(p, 4, 0, 0), true);
    assert.equal(withinBudget(p, 5, 0, 0), false);
    assert.equal(withinBudget(p, 1, 2500, 500), true);
    assert.equal(withinBudget(p, 1, 2500, 501), false);
  });
});

describe('rate limit', () => {
  test('a burst, then one message per 60/perMinute seconds', () => {
    const limit = { burst: 2, perMinute: 60 };
    let b = fullBucket(limit, 0);
    for (let i = 0; i < 2; i++) {
      const t = takeToken(limit, b, 0);
      assert.ok(t.ok);
      b = t.bucket;
    }
    assert.deepEqual(takeToken(limit, b, 0), { ok: false, waitMs: 1000 });
    assert.deepEqual(takeToken(limit, b, 600), { ok: false, waitMs: 400 });
    assert.equal(takeToken(limit, b, 1000).ok, true);
  });
});
