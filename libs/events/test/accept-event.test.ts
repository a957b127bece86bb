// The hand-written fast path (src/accept-event.ts) may only ever be stricter than the schema: whatever
// it accepts, eventSchema accepts too, unchanged (nothing stripped), with no secret-looking key. And
// parseEventMessage (fast path first) answers exactly what the plain path — secret scan, runtime zod
// schema, id checks — answers, reasons included; its `json` is the event. Checked on generated valid
// events of every kind and on mutants of them (a field set to another JSON value or an edge value, a
// key removed or added, at any depth).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  acceptEvent,
  ANOMALY_CLASSES,
  eventSchema,
  FAMILIES,
  findSecretKey,
  formatWallClockMicros,
  GAP_CAUSES,
  parseEventId,
  parseEventMessage,
  SCHEMA_VERSION,
  TRANSITION_REASONS,
  VRRP_STATES,
} from '../src/index.js';
import type { HsEvent } from '../src/index.js';

// ---- valid events -------------------------------------------------------------------------------

const nodeId = fc.oneof(fc.constantFrom('node1', 'LVS_DEVEL@node1.example.com', 'node-ß', 'nœud☃', '10.0.0.1', 'n😀'), fc.stringMatching(/^[a-z0-9.@_-]{1,30}$/));
const bootId = fc.stringMatching(/^[0-9A-Za-z_-]{1,64}$/);
const seq = fc.oneof(fc.nat(1000), fc.maxSafeNat());
const wallClock = fc.bigInt(0n, 253_402_300_799_999_999n).map((us) => formatWallClockMicros(us));
const mono = fc.bigInt(0n, 10n ** 26n - 1n).map(String);
const traceparent = fc.tuple(fc.uint8Array({ minLength: 16, maxLength: 16 }), fc.uint8Array({ minLength: 8, maxLength: 8 }), fc.nat(255)).map(
  ([t, s, f]) => `00-${Buffer.from(t).toString('hex')}-${Buffer.from(s).toString('hex')}-${f.toString(16).padStart(2, '0')}`,
);
const name = fc.oneof(fc.string({ minLength: 1, maxLength: 40 }), fc.string({ minLength: 1, maxLength: 200, unit: 'grapheme' }), fc.constantFrom('VI_1', 'x'.repeat(200), 'tab\tnl\n"q"\\'));
const address = fc.oneof(fc.constantFrom('10.10.10.129', 'fd00::1', 'fe80::1%eth0'), fc.stringMatching(/^[0-9A-Fa-f.:%\w-]{2,64}$/));
const vrid = fc.integer({ min: 1, max: 255 });
const priority = fc.integer({ min: 0, max: 255 });
const count = fc.oneof(fc.nat(10), fc.maxSafeNat());

const schema: typeof SCHEMA_VERSION = SCHEMA_VERSION;

/** The envelope with a matching id; `traceparent` sometimes. */
const envelope = fc.record(
  { nodeId, bootId, seq, at: wallClock, mono, traceparent },
  { requiredKeys: ['nodeId', 'bootId', 'seq', 'at', 'mono'] },
).map((e) => ({ id: `${e.nodeId}.${e.bootId}.${e.seq}`, schema, ...e }));

const scope = { instance: name, vrid, family: fc.constantFrom(...FAMILIES), interface: name, domain: name };

const transition = fc
  .tuple(
    envelope,
    fc.record(
      {
        ...scope,
        kind: fc.constant('transition' as const),
        from: fc.constantFrom(...VRRP_STATES),
        to: fc.constantFrom(...VRRP_STATES),
        reason: fc.constantFrom(...TRANSITION_REASONS),
        basePriority: priority,
        effectivePriority: priority,
        masterAddress: fc.option(address, { nil: null }),
        intervalCs: fc.integer({ min: 1, max: 409_500 }),
        failoverLatencyUs: fc.double({ min: 0, max: 1e12, noNaN: true }),
      },
      { requiredKeys: ['instance', 'vrid', 'family', 'interface', 'domain', 'kind', 'from', 'to', 'reason', 'basePriority', 'effectivePriority', 'masterAddress', 'intervalCs'] },
    ),
  )
  .map(([e, b]) => ({ ...e, ...b }));

const anomaly = fc
  .tuple(
    envelope,
    fc.record({
      ...scope,
      instance: fc.option(name, { nil: null }),
      vrid: fc.option(vrid, { nil: null }),
      kind: fc.constant('anomaly' as const),
      class: fc.constantFrom(...ANOMALY_CLASSES),
      count: count.map((c) => Math.max(1, c)),
      firstSeen: wallClock,
      lastSeen: wallClock,
      source: address,
      sample: fc.uint8Array({ maxLength: 80 }).map((b) => Buffer.from(b).toString('hex')),
    }),
  )
  .map(([e, b]) => ({ ...e, ...b }));

const instance = fc.record({
  ...scope,
  state: fc.constantFrom(...VRRP_STATES),
  basePriority: priority,
  effectivePriority: priority,
  installedVips: fc.array(address, { maxLength: 3 }),
  intendedVips: fc.array(address, { maxLength: 3 }),
  advertsSent: count,
  advertsReceived: count,
  becameMaster: count,
  releasedMaster: count,
});

const heartbeat = fc
  .tuple(envelope, fc.record({ kind: fc.constant('heartbeat' as const), periodMs: count.map((c) => Math.max(1, c)), instances: fc.array(instance, { maxLength: 4 }) }))
  .map(([e, b]) => ({ ...e, ...b }));

const gap = fc
  .tuple(
    envelope,
    fc.record(
      {
        kind: fc.constant('gap' as const),
        cause: fc.constantFrom(...GAP_CAUSES),
        lostByKind: fc.record({ transition: fc.nat(5), anomaly: fc.nat(5), heartbeat: fc.nat(5), gap: fc.nat(5), unknown: fc.nat(5) }),
        ranges: fc.array(fc.record({ bootId, fromSeq: seq, toSeq: seq }), { maxLength: 3 }),
        detail: fc.string({ maxLength: 500 }),
      },
      { requiredKeys: ['kind', 'cause', 'lostByKind', 'ranges'] },
    ),
  )
  .map(([e, b]) => {
    // A valid gap lost at least one event, and lostByKind sums to `lost` (parse.ts): all-zero kinds
    // become one `unknown` (else a seed drawing five zeros made an invalid "valid" event).
    const k = b.lostByKind.transition + b.lostByKind.anomaly + b.lostByKind.heartbeat + b.lostByKind.gap === 0 && b.lostByKind.unknown === 0 ? { ...b.lostByKind, unknown: 1 } : b.lostByKind;
    return { ...e, ...b, lostByKind: k, lost: k.transition + k.anomaly + k.heartbeat + k.gap + k.unknown };
  });

const validEvent: fc.Arbitrary<HsEvent> = fc.oneof(transition, anomaly, heartbeat, gap);

// ---- mutants ------------------------------------------------------------------------------------

const edgeValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.jsonValue(),
  fc.constantFrom(-0, 0, 1, -1, 0.5, 255, 256, 4095 * 100 + 1, 2 ** 53 - 1, 2 ** 53, 1e21, NaN, Infinity, -Infinity),
  fc.constantFrom('', 'x', 'x'.repeat(5), 'x'.repeat(201), 'x'.repeat(401), '😀', '😀😀', 'a😀', '\ud800', 'ab\ud800', '10.0.0.1', 'MASTER', 'ipv4', 'heartbeat', 'transition', '1'),
  fc.constantFrom(null, true, false, [], {}, [1], ['10.0.0.1'], { a: 1 }),
);
const newKey = fc.oneof(fc.constantFrom('extra', 'authPass', 'auth_pass', 'token', 'password', '__proto__', 'constructor', 'toString', 'kind', 'schema', 'id'), fc.string({ maxLength: 12 }));

/** Every place in `v`: [container, key] pairs, depth first. */
type Place = [Record<string, unknown> | unknown[], string | number];
function places(v: unknown, out: Place[] = []): Place[] {
  if (Array.isArray(v)) {
    v.forEach((x, i) => {
      out.push([v, i]);
      places(x, out);
    });
  } else if (v !== null && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) {
      out.push([v as Record<string, unknown>, k]);
      places(x, out);
    }
  }
  return out;
}

type Mutation = { at: number; op: 'set' | 'delete' | 'add'; value: unknown; key: string };
const mutation: fc.Arbitrary<Mutation> = fc.record({ at: fc.nat(), op: fc.constantFrom('set' as const, 'delete' as const, 'add' as const), value: edgeValue, key: newKey });

/** A deep copy of `e` with the mutations applied (the place picked modulo the places there are). */
function mutate(e: HsEvent, ms: readonly Mutation[]): unknown {
  const root = { v: JSON.parse(JSON.stringify(e)) as unknown };
  for (const m of ms) {
    const all = places(root);
    if (all.length === 0) break;
    const [container, key] = all[m.at % all.length]!;
    const target = container[key as never] as unknown;
    const value = structuredClone(m.value); // constantFrom hands out the same object every time
    if (m.op === 'set') (container as Record<string | number, unknown>)[key] = value;
    else if (m.op === 'delete') {
      if (Array.isArray(container)) container.splice(key as number, 1);
      else delete container[key as string];
    } else if (target !== null && typeof target === 'object' && !Array.isArray(target)) {
      Object.defineProperty(target, m.key, { value, enumerable: true, configurable: true, writable: true });
    } else if (Array.isArray(target)) target.push(value);
  }
  return root.v;
}

// ---- the plain path, as parse.ts had it before the fast path --------------------------------------

function describeIssues(issues: readonly { path: readonly PropertyKey[]; message: string }[]): string {
  return issues
    .slice(0, 3)
    .map((i) => `${i.path.map(String).join('.') || '(root)'}: ${i.message}`)
    .join('; ');
}

function plainParse(text: string): { ok: true; value: HsEvent } | { ok: false; reason: string } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, reason: 'not JSON' };
  }
  if (value === null || typeof value !== 'object') return { ok: false, reason: 'not an object' };
  const version = (value as { schema?: unknown }).schema;
  if (version !== SCHEMA_VERSION) return { ok: false, reason: `unsupported schema version ${JSON.stringify(version)}` };
  const secret = findSecretKey(value);
  if (secret !== undefined) return { ok: false, reason: `secret-looking key ${secret}` };
  const r = eventSchema.safeParse(value);
  if (!r.success) return { ok: false, reason: describeIssues(r.error.issues) };
  const id = parseEventId(r.data.id);
  if (!id.ok) return { ok: false, reason: `id: ${id.reason}` };
  if (id.parts.nodeId !== r.data.nodeId || id.parts.bootId !== r.data.bootId || id.parts.seq !== r.data.seq) return { ok: false, reason: 'id does not match nodeId.bootId.seq' };
  if (r.data.kind === 'gap') {
    const k = r.data.lostByKind;
    if (k.transition + k.anomaly + k.heartbeat + k.gap + k.unknown !== r.data.lost) return { ok: false, reason: 'lostByKind does not sum to lost' };
  }
  return { ok: true, value: r.data };
}

/** acceptEvent never accepts what the schema refuses or would change, nor a secret-looking key. */
function checkAccept(v: unknown): boolean {
  const fast = acceptEvent(v);
  if (fast === undefined) return false;
  assert.equal(fast, v, 'the fast path answers its input itself');
  const z = eventSchema.safeParse(v);
  assert.ok(z.success, `accepted what the schema refuses: ${JSON.stringify(v).slice(0, 300)}`);
  assert.deepStrictEqual(z.data, v, 'accepted something the schema changes (a key it strips)');
  assert.equal(findSecretKey(v), undefined);
  return true;
}

/** parseEventMessage answers what the plain path answers; its `json` is the event. */
function checkMessage(v: unknown): void {
  const text = JSON.stringify(v);
  if (text === undefined) return;
  const got = parseEventMessage(text);
  const want = plainParse(text);
  if (!want.ok || !got.ok) {
    assert.deepStrictEqual(got, want);
    return;
  }
  assert.deepStrictEqual(got.value, want.value);
  if (got.json !== undefined) assert.deepStrictEqual(JSON.parse(got.json), want.value);
}

describe('acceptEvent (the fast path) against the schema', () => {
  test('every generated valid event is taken by the fast path, unchanged, and parses as before with its own text as json', () => {
    fc.assert(
      fc.property(validEvent, (e) => {
        assert.ok(checkAccept(JSON.parse(JSON.stringify(e))), `fast path declined a valid event: ${JSON.stringify(e).slice(0, 300)}`);
        checkMessage(e);
        const r = parseEventMessage(JSON.stringify(e));
        assert.ok(r.ok && r.json === JSON.stringify(e));
      }),
      { numRuns: 2000 },
    );
  });

  test('mutants: accepted only if the schema accepts them unchanged; parse answers (and reasons) equal the plain path', () => {
    let accepted = 0;
    let refused = 0;
    fc.assert(
      fc.property(validEvent, fc.array(mutation, { minLength: 1, maxLength: 3 }), (e, ms) => {
        const m = mutate(e, ms);
        if (checkAccept(m)) accepted++;
        else refused++;
        checkMessage(m);
      }),
      { numRuns: 5000 },
    );
    // Both sides are really exercised (a mutation can leave an event valid: a count set to 1, say).
    assert.ok(accepted > 50 && refused > 2000, `accepted ${accepted}, refused ${refused}`);
  });

  test('every place of generated events set to every edge value, or removed, or given an extra key', () => {
    const strings = ['', 'x', 'xx', 'x'.repeat(5), '😀', '😀😀', 'x'.repeat(64), 'x'.repeat(65), 'x'.repeat(200), 'x'.repeat(201), 'x'.repeat(400), 'x'.repeat(401)];
    const more = ['x'.repeat(500), 'x'.repeat(501), '😀'.repeat(200), '😀'.repeat(201), '\ud800', '10.0.0.1', 'MASTER', 'ipv4', '0', '01', '00', 'zz', 'A', 'size-cap'];
    const numbers = [-1, 0, 1, 0.5, -0, 254, 255, 256, 409_500, 409_501, 2 ** 53 - 1, 2 ** 53, 1e21, NaN, Infinity, -Infinity];
    const others: unknown[] = [null, true, [], {}, ['10.0.0.1'], [1]];
    let checked = 0;
    for (const e of fc.sample(validEvent, { numRuns: 120, seed: 5 })) {
      const count = places({ v: e }).length;
      for (let at = 1; at < count; at++) {
        const target = places({ v: e })[at]!;
        const here = target[0][target[1] as never] as unknown;
        const near = typeof here === 'number' ? [here - 1, here + 1, here + 0.5, -here] : typeof here === 'string' ? [`${here}x`, here.slice(1), here.toUpperCase()] : [];
        for (const value of [...strings, ...more, ...numbers, ...others, ...near]) {
          const m = mutate(e, [{ at, op: 'set', value, key: '' }]);
          checkAccept(m);
          checked++;
        }
        for (const op of ['delete', 'add'] as const) {
          for (const key of ['extra', 'token']) {
            checkAccept(mutate(e, [{ at, op, value: 1, key }]));
            checked++;
          }
        }
      }
    }
    assert.ok(checked > 50_000, `${checked}`);
  });

  test('keys the schema strips, prototype tricks and non-plain objects go to the schema', () => {
    fc.assert(
      fc.property(heartbeat, (e) => {
        const plain = JSON.parse(JSON.stringify(e)) as Record<string, unknown>;
        assert.equal(acceptEvent({ ...plain, extra: 1 }), undefined);
        assert.equal(acceptEvent(JSON.parse(JSON.stringify({ ...plain }).replace('{', '{"__proto__":{"x":1},'))), undefined);
        assert.equal(acceptEvent(Object.assign(Object.create({ periodMs: 5 }) as object, plain)), undefined);
        const { periodMs: _p, ...rest } = plain;
        assert.equal(acceptEvent(Object.assign(Object.create({ periodMs: 5 }) as object, rest)), undefined);
      }),
      { numRuns: 200 },
    );
  });
});
