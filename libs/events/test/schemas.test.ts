import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { alertMessageId, parseAlert, parseEvent, parseEventJson } from '../src/index.js';
import { alert, anomaly, gap, heartbeat, transition } from './examples.js';

describe('parseEvent', () => {
  for (const [name, ev] of Object.entries({ transition, anomaly, heartbeat, gap })) {
    test(`accepts the ${name} example and returns it unchanged`, () => {
      const r = parseEvent(JSON.parse(JSON.stringify(ev)));
      assert.deepEqual(r, { ok: true, value: ev });
    });
  }

  test('never throws on arbitrary input; says why', () => {
    for (const bad of [null, 42, 'x', [], {}, { schema: 1 }, { schema: 2, kind: 'transition' }, { ...transition, kind: 'nope' }]) {
      const r = parseEvent(bad);
      assert.equal(r.ok, false);
      if (!r.ok) assert.ok(r.reason.length > 0);
    }
  });

  test('rejects an unknown schema version', () => {
    const r = parseEvent({ ...transition, schema: 2 });
    assert.deepEqual(r, { ok: false, reason: 'unsupported schema version 2' });
  });

  test('rejects an id that disagrees with nodeId.bootId.seq', () => {
    const r = parseEvent({ ...transition, seq: 8 });
    assert.equal(r.ok, false);
    assert.match(!r.ok ? r.reason : '', /id does not match/);
  });

  test('refuses a message carrying auth_pass anywhere, even nested', () => {
    const r = parseEvent({ ...heartbeat, instances: [{ ...heartbeat.instances[0], auth_pass: '1234' }] });
    assert.deepEqual(r, { ok: false, reason: 'secret-looking key $.instances[0].auth_pass' });
  });

  test('rejects wall clocks without microseconds', () => {
    const r = parseEvent({ ...transition, at: '2024-05-07T03:12:00.123Z' });
    assert.equal(r.ok, false);
  });

  test('rejects an anomaly class outside the closed list', () => {
    assert.equal(parseEvent({ ...anomaly, class: 'cosmic-ray' }).ok, false);
  });

  test('a gap event whose per-kind counts do not add up is rejected', () => {
    const r = parseEvent({ ...gap, lost: 4 });
    assert.deepEqual(r, { ok: false, reason: 'lostByKind does not sum to lost' });
  });

  test('strips unknown keys (a newer producer may add some) instead of refusing', () => {
    const r = parseEvent({ ...transition, extra: 'x' });
    assert.ok(r.ok);
    assert.equal('extra' in (r.ok ? r.value : {}), false);
  });

  test('parseEventJson: bytes that are not JSON are a reason, not a throw', () => {
    assert.deepEqual(parseEventJson(new Uint8Array([0xff, 0x00])), { ok: false, reason: 'not JSON' });
    assert.ok(parseEventJson(JSON.stringify(transition)).ok);
  });
});

describe('parseAlert', () => {
  test('accepts the example', () => {
    assert.deepEqual(parseAlert(JSON.parse(JSON.stringify(alert))), { ok: true, value: alert });
  });
  test('rejects an unknown state', () => {
    assert.equal(parseAlert({ ...alert, state: 'acknowledged' }).ok, false);
  });
  test('raised and resolved of one incident have distinct message ids', () => {
    assert.notEqual(alertMessageId(alert), alertMessageId({ ...alert, state: 'resolved' }));
  });
});
