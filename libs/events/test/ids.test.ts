import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  formatWallClockMicros,
  makeBootId,
  makeEventId,
  makeNodeId,
  parseEventId,
  parseNodeId,
  parseWallClockMicros,
} from '../src/index.js';

describe('node ids', () => {
  test('the tutorial nodes share router_id LVS_DEVEL yet get distinct ids, shown as router_id@host', () => {
    assert.equal(makeNodeId('LVS_DEVEL', 'node1'), 'LVS_DEVEL@node1');
    assert.equal(makeNodeId('LVS_DEVEL', '10.10.10.127'), 'LVS_DEVEL@10.10.10.127');
    assert.notEqual(makeNodeId('LVS_DEVEL', 'node1'), makeNodeId('LVS_DEVEL', 'node2'));
  });
  test('keepalived default router_id (the host name) does not repeat the host', () => {
    assert.equal(makeNodeId(undefined, 'node1'), 'node1');
    assert.equal(makeNodeId('node1', 'node1'), 'node1');
  });
  test('parseNodeId splits at the last @', () => {
    assert.deepEqual(parseNodeId('a@b@node1'), { routerId: 'a@b', host: 'node1' });
    assert.deepEqual(parseNodeId('node1'), { routerId: undefined, host: 'node1' });
  });
  test('whitespace in a router_id is a programmer error', () => {
    assert.throws(() => makeNodeId('LVS DEVEL', 'node1'), RangeError);
  });
});

describe('event ids', () => {
  test('round-trip, even when the node id contains dots', () => {
    const id = makeEventId('LVS_DEVEL@10.10.10.126', '018f2a3b4c5d9e8f7a6b', 42);
    assert.equal(id, 'LVS_DEVEL@10.10.10.126.018f2a3b4c5d9e8f7a6b.42');
    assert.deepEqual(parseEventId(id), { ok: true, parts: { nodeId: 'LVS_DEVEL@10.10.10.126', bootId: '018f2a3b4c5d9e8f7a6b', seq: 42 } });
  });
  test('malformed ids are reasons', () => {
    for (const bad of ['', 'a.b', 'node.boot.-1', 'node.boot.01', 'node.bo!ot.1', '.boot.1']) {
      assert.equal(parseEventId(bad).ok, false, bad);
    }
  });
  test('boot ids sort by start time', () => {
    const a = makeBootId(1_700_000_000_000, new Uint8Array([255, 255, 255, 255]));
    const b = makeBootId(1_700_000_000_001, new Uint8Array([0, 0, 0, 0]));
    assert.ok(a < b);
    assert.match(a, /^[0-9a-f]{20}$/);
  });
});

describe('wall clock', () => {
  test('six fractional digits, round-trips', () => {
    const us = 1_715_051_520_123_456n;
    const text = formatWallClockMicros(us);
    assert.equal(text, '2024-05-07T03:12:00.123456Z');
    assert.equal(parseWallClockMicros(text), us);
  });
});
