// The ingest validation fast path (compiled contract schema, cached subject parsing, lazy secret-key
// paths) must accept and refuse exactly what the plain zod schema does, with the same reasons.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { eventSchema, findSecretKey, parseEventJson } from '@hotstandby/events';
import type { HsEvent } from '@hotstandby/events';
import { parseSubjectCached, validateMessage } from '../src/ingest/validate.js';
import { FakeNode, message } from './support/events.js';

function samples(): HsEvent[] {
  const n = new FakeNode('LVS_DEVEL@node1.example.com');
  return [
    n.transition(1, 'BACKUP', 'MASTER'),
    { ...n.transition(2, 'MASTER', 'BACKUP', { reason: 'priority' }), masterAddress: '10.10.10.127', failoverLatencyUs: 12.5, traceparent: `00-${'a'.repeat(32)}-${'b'.repeat(16)}-01` },
    n.heartbeat(3, [{ state: 'MASTER', installedVips: ['10.10.10.129'] }, { state: 'BACKUP', vrid: 52 }]),
    n.heartbeat(4, []),
  ];
}

/** One broken copy per field (and a few nested ones): wrong type, out of range, bad pattern, missing. */
function mutations(e: HsEvent): unknown[] {
  const out: unknown[] = [];
  for (const k of Object.keys(e)) {
    const v = (e as Record<string, unknown>)[k];
    const { [k]: _drop, ...missing } = e as Record<string, unknown>;
    out.push(missing, { ...e, [k]: null }, { ...e, [k]: typeof v === 'number' ? -1 : typeof v === 'string' ? '' : 7 }, { ...e, [k]: typeof v === 'number' ? 1e9 : 'x'.repeat(500) });
  }
  if (e.kind === 'heartbeat' && e.instances[0]) {
    const i0 = e.instances[0];
    for (const k of Object.keys(i0)) out.push({ ...e, instances: [{ ...i0, [k]: k.endsWith('Vips') ? ['not an address!'] : -5 }] });
    out.push({ ...e, instances: [{ ...i0, extra: 'stripped' }], extra: 'stripped' });
  }
  return out;
}

test('the compiled schema accepts and refuses exactly what the runtime schema does, with the same output', () => {
  let refused = 0;
  for (const e of samples()) {
    for (const candidate of [e, ...mutations(e)]) {
      const runtime = eventSchema.safeParse(candidate);
      const fast = parseEventJson(JSON.stringify(candidate));
      if (runtime.success) {
        // parseEvent adds checks beyond the schema (id agreement, …): accepted means the same value.
        if (fast.ok) assert.deepEqual(fast.value, runtime.data);
        else assert.match(fast.reason, /id|schema version|lostByKind|secret/);
      } else {
        refused++;
        assert.equal(fast.ok, false, `accepted what the schema refuses: ${JSON.stringify(candidate).slice(0, 200)}`);
      }
    }
  }
  assert.ok(refused > 100, `only ${refused} mutations refused`);
});

test('unknown keys are stripped by the fast path as by the schema', () => {
  const [, , hb] = samples();
  const decorated = { ...hb!, extra: 1, instances: (hb as Extract<HsEvent, { kind: 'heartbeat' }>).instances.map((i) => ({ ...i, more: 2 })) };
  const r = parseEventJson(JSON.stringify(decorated));
  assert.ok(r.ok);
  assert.deepEqual(r.value, hb);
});

test('secret-looking keys: reported with their full path, wherever they are', () => {
  assert.equal(findSecretKey({ a: [{ b: 1 }, { c: { auth_pass: 'x' } }] }), '$.a[1].c.auth_pass');
  assert.equal(findSecretKey([{ ok: 1 }, [{ Token: 1 }]], 'msg'), 'msg[1][0].Token');
  assert.equal(findSecretKey({ a: [1, 'two', null, { b: { c: [] } }] }), undefined);
  const [, , hb] = samples();
  const leaked = JSON.parse(JSON.stringify(hb)) as { instances: Record<string, unknown>[] };
  leaked.instances[1]!.authPass = '1234';
  assert.deepEqual(parseEventJson(JSON.stringify(leaked)), { ok: false, reason: 'secret-looking key $.instances[1].authPass' });
});

test('subjects: the cached answer is the same answer, for good and bad subjects alike', () => {
  for (const s of ['hs.evt.node1.heartbeat', 'hs.evt.node%2E1.transition', 'hs.evt.node1.nope', 'hs.evt.bad%ZZ.gap', 'nats.other']) {
    const first = parseSubjectCached(s);
    assert.deepEqual(parseSubjectCached(s), first);
  }
  assert.deepEqual(parseSubjectCached('hs.evt.node%2E1.transition'), { ok: true, value: { nodeId: 'node.1', kind: 'transition' } });
  assert.equal(parseSubjectCached('hs.evt.bad%ZZ.gap').ok, false);
});

test('validateMessage: a forged subject or kind is refused with its reason, a good message accepted', () => {
  const n = new FakeNode('node9');
  const hb = n.heartbeat(1, [{ state: 'BACKUP' }]);
  assert.equal(validateMessage(message(hb)).ok, true);
  const asOther = { ...message(hb), subject: 'hs.evt.node1.heartbeat' };
  assert.deepEqual(validateMessage(asOther), { ok: false, reason: "subject node node1 is not the event's node9" });
  const wrongKind = { ...message(hb), subject: 'hs.evt.node9.transition' };
  assert.deepEqual(validateMessage(wrongKind), { ok: false, reason: "subject kind transition is not the event's heartbeat" });
  assert.deepEqual(validateMessage({ ...message(hb), subject: 'hs.evt.node9' }), { ok: false, reason: 'subject: not hs.evt.<node>.<kind>' });
});
