import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  alertSubject,
  decodeSubjectToken,
  encodeSubjectToken,
  eventSubject,
  nodeEventSubjects,
  parseAlertSubject,
  parseEventSubject,
} from '../src/index.js';

describe('subject tokens', () => {
  test('encoded tokens never contain what NATS reserves: . * > or whitespace', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, unit: 'grapheme' }), (s) => {
        const t = encodeSubjectToken(s);
        assert.doesNotMatch(t, /[.*>\s]/);
        assert.deepEqual(decodeSubjectToken(t), { ok: true, value: s });
      }),
    );
  });
  test('common ids stay readable', () => {
    assert.equal(encodeSubjectToken('LVS_DEVEL@node1'), 'LVS_DEVEL@node1');
    assert.equal(encodeSubjectToken('10.10.10.0/24'), '10%2E10%2E10%2E0/24');
    assert.equal(encodeSubjectToken('fd00::/64'), 'fd00::/64');
  });
  test('decoding untrusted tokens gives reasons', () => {
    assert.equal(decodeSubjectToken('a.b').ok, false);
    assert.equal(decodeSubjectToken('%zz').ok, false);
    assert.equal(decodeSubjectToken('%FF').ok, false);
    assert.equal(decodeSubjectToken('').ok, false);
  });
});

describe('subjects', () => {
  test('event subjects carry the node id as one token', () => {
    const s = eventSubject('LVS_DEVEL@10.10.10.126', 'transition');
    assert.equal(s, 'hs.evt.LVS_DEVEL@10%2E10%2E10%2E126.transition');
    assert.deepEqual(parseEventSubject(s), { ok: true, value: { nodeId: 'LVS_DEVEL@10.10.10.126', kind: 'transition' } });
    assert.equal(nodeEventSubjects('LVS_DEVEL@node1'), 'hs.evt.LVS_DEVEL@node1.>');
  });
  test('alert subjects carry kind and domain', () => {
    const s = alertSubject('split-brain', '10.10.10.0/24');
    assert.equal(s, 'hs.alert.split-brain.10%2E10%2E10%2E0/24');
    assert.deepEqual(parseAlertSubject(s), { ok: true, value: { kind: 'split-brain', domain: '10.10.10.0/24' } });
  });
  test('foreign subjects are reasons', () => {
    assert.equal(parseEventSubject('hs.evt.node.bogus').ok, false);
    assert.equal(parseEventSubject('hs.evt.a.b.transition').ok, false);
    assert.equal(parseAlertSubject('hs.alert.meteor.x').ok, false);
  });
});
