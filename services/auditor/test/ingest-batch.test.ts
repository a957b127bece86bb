// Set-based batch writes (one INSERT for the events, a few statements for the projections) must store
// exactly what message-by-message processing stores, whatever the batch boundaries.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { asc, sql } from 'drizzle-orm';
import type { HsEvent } from '@hotstandby/events';
import { DEFAULT_DETECT_CONFIG } from '../src/detect/config.js';
import { emptyFleet } from '../src/detect/fleet.js';
import { commitBatch, ingestBatch, prepareBatchInSlices } from '../src/ingest/batch.js';
import { CommitChain } from '../src/ingest/commit-chain.js';
import type { IncomingMessage } from '../src/ingest/batch.js';
import { Projector } from '../src/project/projector.js';
import { alerts, events, mastership, nodeLiveness } from '../src/schema/index.js';
import type { Db } from '../src/db/database.js';
import { FakeNode, message } from './support/events.js';
import type { AuditorTestDb } from './support/db.js';
import { auditorTestDb } from './support/db.js';

/** Hand-overs, a split brain raised and resolved, a node restart that ends its mastership, a second VRID. */
function scenario(): HsEvent[] {
  const a = new FakeNode('node1');
  const b = new FakeNode('node2');
  const hb = (n: FakeNode, t: number, s51: 'MASTER' | 'BACKUP', s52: 'MASTER' | 'BACKUP') =>
    n.heartbeat(t, [{ state: s51, installedVips: s51 === 'MASTER' ? ['10.10.10.129'] : [] }, { vrid: 52, state: s52, intendedVips: ['10.10.10.130'], installedVips: s52 === 'MASTER' ? ['10.10.10.130'] : [] }], 10_000);
  const out: HsEvent[] = [
    a.transition(0, 'INIT', 'MASTER', { reason: 'startup' }),
    b.transition(0.01, 'INIT', 'BACKUP', { reason: 'startup' }),
    b.transition(0.02, 'INIT', 'MASTER', { vrid: 52, reason: 'startup' }),
    hb(a, 1, 'MASTER', 'BACKUP'),
    hb(b, 1, 'BACKUP', 'MASTER'),
  ];
  // Ten hand-overs of VRID 51, 1 ms overlap each.
  for (let k = 0; k < 10; k++) {
    const t = 2 + k;
    const [from, to] = k % 2 === 0 ? [a, b] : [b, a];
    out.push(to.transition(t, 'BACKUP', 'MASTER', { reason: 'preempted' }), from.transition(t + 0.001, 'MASTER', 'BACKUP', { reason: 'priority' }));
  }
  // node1 is MASTER of 51 now; node2 also claims it for 3 s (split brain), then yields.
  out.push(b.transition(20, 'BACKUP', 'MASTER'), hb(a, 21, 'MASTER', 'BACKUP'), hb(b, 21, 'MASTER', 'MASTER'), hb(a, 22, 'MASTER', 'BACKUP'), b.transition(23, 'MASTER', 'BACKUP', { reason: 'priority' }));
  // node2 restarts (a crash: no transition) — its VRID 52 interval ends when it was last heard.
  b.reboot('0192f0a0b0c0ffffffff');
  out.push(b.transition(30, 'INIT', 'BACKUP', { reason: 'startup' }), a.transition(30.5, 'BACKUP', 'MASTER', { vrid: 52 }), hb(a, 31, 'MASTER', 'MASTER'), hb(b, 31, 'BACKUP', 'BACKUP'));
  return out;
}

async function snapshot(db: Db) {
  return {
    mastership: (await db.select().from(mastership).orderBy(asc(mastership.fromAt), asc(mastership.nodeId))).map(({ id: _id, ...r }) => r),
    alerts: await db.select().from(alerts).orderBy(asc(alerts.id)),
    liveness: await db.select().from(nodeLiveness).orderBy(asc(nodeLiveness.nodeId)),
    events: (await db.select({ id: events.id, pos: events.pos }).from(events).orderBy(asc(events.pos))).map((r) => r.id),
  };
}

async function ingestAll(db: Db, msgs: readonly IncomingMessage[], batch: number) {
  const p = new Projector(emptyFleet(), DEFAULT_DETECT_CONFIG);
  let inserted = 0;
  for (let i = 0; i < msgs.length; i += batch) inserted += (await ingestBatch(db, p, msgs.slice(i, i + batch))).inserted;
  return inserted;
}

/** As the consumer runs it: each batch prepared while the previous one commits. */
async function ingestPipelined(db: Db, msgs: readonly IncomingMessage[], batch: number) {
  const p = new Projector(emptyFleet(), DEFAULT_DETECT_CONFIG);
  const chain = new CommitChain();
  let inserted = 0;
  for (let i = 0; i < msgs.length; i += batch) {
    const prepared = await prepareBatchInSlices(msgs.slice(i, i + batch));
    await chain.enqueue(async () => {
      inserted += (await commitBatch(db, p, prepared)).inserted;
    });
  }
  await chain.drain();
  return inserted;
}

describe('set-based batch writes', () => {
  let one: AuditorTestDb;
  let all: AuditorTestDb;
  let sevens: AuditorTestDb;
  let piped: AuditorTestDb;
  before(async () => {
    [one, all, sevens, piped] = await Promise.all([auditorTestDb(), auditorTestDb(), auditorTestDb(), auditorTestDb()]);
  });
  after(async () => Promise.all([one.close(), all.close(), sevens.close(), piped.close()]));

  test('one batch of everything, batches of 7, pipelined batches of 3, and message by message store the same rows', async () => {
    const msgs = scenario().map((e, i) => message(e, i + 1));
    assert.equal(await ingestAll(one.database.db, msgs, 1), msgs.length);
    assert.equal(await ingestAll(all.database.db, msgs, msgs.length), msgs.length);
    assert.equal(await ingestAll(sevens.database.db, msgs, 7), msgs.length);
    assert.equal(await ingestPipelined(piped.database.db, msgs, 3), msgs.length);
    const expected = await snapshot(one.database.db);
    assert.deepEqual(await snapshot(all.database.db), expected);
    assert.deepEqual(await snapshot(sevens.database.db), expected);
    assert.deepEqual(await snapshot(piped.database.db), expected);
    // The scenario really exercises the folds: many intervals of one node in one batch, closes of
    // intervals opened in an earlier batch, an alert raised and resolved within one batch.
    assert.equal(expected.mastership.length, 14); // 2 startups, 10 hand-overs, the split brain, node1 taking 52
    assert.deepEqual(expected.mastership.filter((m) => m.endReason === 'node-restarted').map((m) => [m.nodeId, m.vrid]), [['node2', 52]]);
    assert.deepEqual(expected.alerts.map((a) => [a.kind, a.state]), [['flapping', 'raised'], ['flapping', 'raised'], ['split-brain', 'resolved']]);
    // `pos` follows the stream order.
    assert.deepEqual(expected.events, msgs.map((m) => (JSON.parse(new TextDecoder().decode(m.data)) as HsEvent).id));
  });

  test('a batch larger than one statement used to allow (5000 events), duplicates inside, stored once', async () => {
    const n = new FakeNode('bulk');
    const evs = Array.from({ length: 5000 }, (_, i) => n.heartbeat(i, [{ state: 'BACKUP' }]));
    const msgs = evs.map((e, i) => message(e, 100_000 + i));
    const p = new Projector(emptyFleet(), DEFAULT_DETECT_CONFIG);
    const r = await ingestBatch(all.database.db, p, [...msgs, ...msgs.slice(0, 10)]);
    assert.deepEqual([r.inserted, r.duplicates], [5000, 0]);
    const again = await ingestBatch(all.database.db, p, msgs);
    assert.deepEqual([again.inserted, again.duplicates], [0, 5000]);
    const [{ count } = { count: -1 }] = await all.database.db.select({ count: sql<number>`count(*)::int` }).from(events).where(sql`${events.nodeId} = 'bulk'`);
    assert.equal(count, 5000);
  });
});

describe('CommitChain', () => {
  test('commits run one at a time in hand-in order; enqueue returns once its commit has started', async () => {
    const chain = new CommitChain();
    const log: string[] = [];
    const gates: (() => void)[] = [];
    const commit = (name: string) => async () => {
      log.push(`start ${name}`);
      await new Promise<void>((resolve) => gates.push(resolve));
      log.push(`end ${name}`);
    };
    await chain.enqueue(commit('a'));
    log.push('prepared b');
    const b = chain.enqueue(commit('b')); // waits for a
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(log, ['start a', 'prepared b']);
    gates[0]!();
    await b;
    assert.deepEqual(log, ['start a', 'prepared b', 'end a', 'start b']);
    gates[1]!();
    await chain.drain();
    assert.deepEqual(log.at(-1), 'end b');
  });

  test('a failed commit stops the chain: later commits do not run, enqueue and drain reject', async () => {
    const chain = new CommitChain();
    let ran = false;
    await chain.enqueue(() => Promise.reject(new Error('boom')));
    await assert.rejects(
      chain.enqueue(() => {
        ran = true;
        return Promise.resolve();
      }),
      /boom/,
    );
    await assert.rejects(chain.drain(), /boom/);
    assert.equal(ran, false);
  });
});
