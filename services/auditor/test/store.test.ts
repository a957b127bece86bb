// Storage against the real Postgres: migrations, exactly-once ingest, poisoned messages, rebuild.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { asc, sql } from 'drizzle-orm';
import type { HsEvent } from '@hotstandby/events';
import { DEFAULT_DETECT_CONFIG } from '../src/detect/config.js';
import { emptyFleet } from '../src/detect/fleet.js';
import { ingestBatch } from '../src/ingest/batch.js';
import { Projector } from '../src/project/projector.js';
import { rebuildProjections } from '../src/project/rebuild.js';
import { loadView } from '../src/project/store.js';
import { masterAt } from '../src/query/master-at.js';
import { alerts, deadLetters, events, mastership, nodeLiveness } from '../src/schema/index.js';
import type { Db } from '../src/db/database.js';
import { migrateDatabase } from '../src/db/migrate.js';
import { FakeNode, T0, message } from './support/events.js';
import type { AuditorTestDb } from './support/db.js';
import { auditorTestDb } from './support/db.js';

/** Two failovers and a split-brain episode, with heartbeats. */
function scenario(): HsEvent[] {
  const a = new FakeNode('node1');
  const b = new FakeNode('node2');
  const hb = (n: FakeNode, t: number, state: 'MASTER' | 'BACKUP') =>
    n.heartbeat(t, [{ state, installedVips: state === 'MASTER' ? ['10.10.10.129'] : [] }], 10_000);
  return [
    a.transition(0, 'INIT', 'MASTER', { reason: 'startup' }),
    b.transition(0.01, 'INIT', 'BACKUP', { reason: 'startup' }),
    hb(a, 1, 'MASTER'), hb(b, 1, 'BACKUP'),
    // failover 1: node1 goes away gracefully at 10.123456
    a.transition(10.123456, 'MASTER', 'BACKUP', { reason: 'shutdown' }),
    b.transition(10.124001, 'BACKUP', 'MASTER', { reason: 'priority-zero-received' }),
    hb(a, 11, 'BACKUP'), hb(b, 11, 'MASTER'),
    // failover 2: node1 preempts back
    a.transition(20.5, 'BACKUP', 'MASTER', { reason: 'preempted' }),
    b.transition(20.501, 'MASTER', 'BACKUP', { reason: 'priority' }),
    hb(a, 21, 'MASTER'), hb(b, 21, 'BACKUP'),
    // split brain 30 → 33
    b.transition(30, 'BACKUP', 'MASTER', { reason: 'master-no-response' }),
    hb(a, 31, 'MASTER'), hb(b, 31, 'MASTER'), hb(a, 32, 'MASTER'), hb(b, 32, 'MASTER'),
    b.transition(33, 'MASTER', 'BACKUP', { reason: 'priority' }),
    hb(a, 34, 'MASTER'), hb(b, 34, 'BACKUP'),
  ];
}

async function snapshot(db: Db) {
  return {
    mastership: (await db.select().from(mastership).orderBy(asc(mastership.fromAt), asc(mastership.nodeId))).map(({ id: _id, ...r }) => r),
    alerts: (await db.select().from(alerts).orderBy(asc(alerts.id))).map(({ raisedAt: _r, resolvedAt: _s, ...r }) => r),
    liveness: await db.select().from(nodeLiveness).orderBy(asc(nodeLiveness.nodeId)),
  };
}

describe('auditor storage on Postgres', () => {
  let t: AuditorTestDb;
  let db: Db;
  before(async () => {
    t = await auditorTestDb();
    db = t.database.db;
  });
  after(async () => t.close());

  test('migrations apply, and applying them again changes nothing', async () => {
    await migrateDatabase(t.database);
    const tables = await db.execute<{ table_name: string }>(sql`select table_name from information_schema.tables where table_schema = 'public' order by 1`);
    const names = [...(tables as { table_name: string }[])].map((r) => r.table_name);
    assert.deepEqual(names, ['alerts', 'dead_letters', 'events', 'mastership', 'node_liveness']);
  });

  test('each event is stored once however often it is delivered; projections move once', async () => {
    const evs = scenario();
    const msgs = evs.map((e, i) => message(e, i + 1));
    const p = new Projector(emptyFleet(), DEFAULT_DETECT_CONFIG);
    const first = await ingestBatch(db, p, msgs.slice(0, 12));
    assert.equal(first.inserted, 12);
    // Redelivery of an overlapping window (as after a crash before the ack), in one batch with new ones.
    const second = await ingestBatch(db, p, [...msgs.slice(5, 12), ...msgs.slice(12), msgs[3]!]);
    assert.deepEqual([second.inserted, second.duplicates], [evs.length - 12, 8]);
    const third = await ingestBatch(db, p, msgs);
    assert.deepEqual([third.inserted, third.duplicates, third.decisions.length], [0, evs.length, 0]);
    const [{ n } = { n: -1 }] = await db.select({ n: sql<number>`count(*)::int` }).from(events);
    assert.equal(n, evs.length);
    const intervals = await db.select().from(mastership).orderBy(asc(mastership.fromAt));
    assert.deepEqual(intervals.map((i) => [i.nodeId, i.startReason, i.endReason]), [
      ['node1', 'startup', 'shutdown'],
      ['node2', 'priority-zero-received', 'priority'],
      ['node1', 'preempted', null],
      ['node2', 'master-no-response', 'priority'],
    ]);
    const al = await db.select().from(alerts).orderBy(asc(alerts.kind));
    assert.deepEqual(al.map((a) => [a.kind, a.state, a.nodes]), [
      ['flapping', 'raised', ['node2']], // 5 transitions in 33 s
      ['split-brain', 'resolved', ['node1', 'node2']],
    ]);
  });

  test('who was master: to the microsecond of the transitions, both during the split brain', async () => {
    const who = async (s: number) => (await masterAt(db, { vrid: 51, at: T0 + Math.round(s * 1e6) })).map((r) => r.node);
    assert.deepEqual(await who(5), ['node1']);
    assert.deepEqual(await who(10.123455), ['node1']);
    assert.deepEqual(await who(10.123456), []); // node1 released, node2 not yet MASTER
    assert.deepEqual(await who(10.124001), ['node2']);
    assert.deepEqual(await who(20.499999), ['node2']);
    assert.deepEqual(await who(20.5005), ['node2', 'node1']); // the 1 ms hand-over overlap, listed by start
    assert.deepEqual(await who(25), ['node1']);
    assert.deepEqual(await who(31), ['node1', 'node2']);
    assert.deepEqual(await who(40), ['node1']);
    assert.deepEqual(await who(-1), []);
  });

  test('a poisoned message is parked with its reason and does not stop the batch', async () => {
    const n = new FakeNode('node9');
    const good = n.heartbeat(50, [{ state: 'BACKUP' }]);
    const bad1 = { subject: 'hs.evt.node9.heartbeat', data: new TextEncoder().encode('{"schema":1,"kind":"heartbeat"'), streamSeq: 9001, receivedAt: T0 };
    const forged = message({ ...n.heartbeat(51, [{ state: 'MASTER' }]) }, 9002);
    forged.subject = 'hs.evt.node1.heartbeat'; // node9 publishing as node1
    const p = new Projector(await loadView(db, DEFAULT_DETECT_CONFIG), DEFAULT_DETECT_CONFIG);
    const r = await ingestBatch(db, p, [bad1, message(good, 9003), forged]);
    assert.deepEqual([r.inserted, r.parked], [1, 2]);
    await ingestBatch(db, p, [bad1]); // redelivered: parked once
    const parked = await db.select().from(deadLetters).orderBy(asc(deadLetters.streamSeq));
    assert.deepEqual(parked.map((d) => [d.streamSeq, d.reason]), [
      [9001, 'not JSON'],
      [9002, 'subject node node1 is not the event\'s node9'],
    ]);
  });

  test('rebuild reproduces exactly what incremental processing stored', async () => {
    const incremental = await snapshot(db);
    await rebuildProjections(db, { cfg: DEFAULT_DETECT_CONFIG });
    assert.deepEqual(await snapshot(db), incremental);
    assert.ok(incremental.mastership.length === 4 && incremental.alerts.length === 2);
  });

  test('a restarted auditor continues from the stored view (same result as one uninterrupted run)', async () => {
    const again = await auditorTestDb();
    try {
      const evs = scenario().map((e, i) => message(e, i + 1));
      let p = new Projector(emptyFleet(), DEFAULT_DETECT_CONFIG);
      await ingestBatch(again.database.db, p, evs.slice(0, 14));
      p = new Projector(await loadView(again.database.db, DEFAULT_DETECT_CONFIG), DEFAULT_DETECT_CONFIG);
      await ingestBatch(again.database.db, p, evs.slice(14));
      const restarted = await snapshot(again.database.db);
      await rebuildProjections(again.database.db, { cfg: DEFAULT_DETECT_CONFIG });
      assert.deepEqual(await snapshot(again.database.db), restarted);
    } finally {
      await again.close();
    }
  });
});
