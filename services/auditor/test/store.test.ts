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
import { parseTimestamp } from '../src/time/micros.js';
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

/**
 * Nodes that restart while their previous boot's last events are still on the way, as ingest batches:
 * node1 was MASTER and crashed (its last heartbeats arrive after the new boot's first event, one of
 * them in the same batch); node3 became MASTER just before it crashed, seen only late; node4's old
 * boot is opened, restarted and re-closed within one batch; node5 releases late, with its own reason.
 */
function lateBootBatches(): { batches: ReturnType<typeof message>[][]; expected: string[] } {
  const A = '0192f0a0b0c0aabbccdd';
  const B = '0192f0a0b9c0aabbccdd';
  const hb = (n: FakeNode, t: number, state: 'MASTER' | 'BACKUP') => n.heartbeat(t, [{ state }], 100_000);
  const [n1, n2, n3, n4, n5] = ['node1', 'node2', 'node3', 'node4', 'node5'].map((id) => new FakeNode(id, A)) as [FakeNode, FakeNode, FakeNode, FakeNode, FakeNode];
  const b1: HsEvent[] = [n1.transition(0, 'INIT', 'MASTER', { reason: 'startup' }), n2.transition(0.01, 'INIT', 'BACKUP', { reason: 'startup' }), hb(n1, 1, 'MASTER'), n3.transition(0.02, 'INIT', 'BACKUP', { reason: 'startup' }), n5.transition(0.03, 'INIT', 'MASTER', { reason: 'startup' })];
  const n1Tail = [hb(n1, 2, 'MASTER'), hb(n1, 3, 'MASTER')];
  const n3Tail = [n3.transition(4, 'BACKUP', 'MASTER', { reason: 'master-no-response' }), hb(n3, 5, 'MASTER')];
  const n4Old = [n4.transition(1.5, 'INIT', 'MASTER', { reason: 'startup' })];
  const n4Tail = [hb(n4, 2.5, 'MASTER')];
  const n5Tail = [n5.transition(2.25, 'MASTER', 'BACKUP', { reason: 'shutdown' })];
  for (const n of [n1, n3, n4, n5]) n.reboot(B);
  const b2: HsEvent[] = [n2.transition(6.6, 'BACKUP', 'MASTER', { reason: 'master-no-response' }), n1.transition(10, 'INIT', 'BACKUP', { reason: 'startup' }), n3.transition(10, 'INIT', 'BACKUP', { reason: 'startup' }), n5.transition(10, 'INIT', 'BACKUP', { reason: 'startup' })];
  const b3: HsEvent[] = [n1Tail[0]!, ...n4Old, n4.transition(10, 'INIT', 'BACKUP', { reason: 'startup' }), ...n4Tail, ...n5Tail];
  const b4: HsEvent[] = [hb(n1, 11, 'BACKUP'), n1Tail[1]!, ...n3Tail];
  let seq = 0;
  return {
    batches: [b1, b2, b3, b4].map((b) => b.map((e) => message(e, ++seq))),
    expected: [
      'node1 [0, 3) startup/node-restarted',
      'node5 [0.03, 2.25) startup/shutdown',
      'node4 [1.5, 2.5) startup/node-restarted',
      'node3 [4, 5) master-no-response/node-restarted',
      'node2 [6.6, open) master-no-response/-',
    ],
  };
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

  test('a previous boot\'s late events: rebuild and a restarted auditor reproduce what incremental processing stored', async () => {
    // projector.ts ordering rules: a late event of the previous boot moves only that boot's intervals,
    // ended by its own transitions or when it was last heard, never after the new boot's first event.
    const late = lateBootBatches();
    const once = await auditorTestDb();
    const restarted = await auditorTestDb();
    try {
      const p = new Projector(emptyFleet(), DEFAULT_DETECT_CONFIG);
      for (const b of late.batches) await ingestBatch(once.database.db, p, b);
      for (const b of late.batches) {
        // A fresh auditor before every batch: only what loadView reads back carries over.
        const fresh = new Projector(await loadView(restarted.database.db, DEFAULT_DETECT_CONFIG), DEFAULT_DETECT_CONFIG);
        await ingestBatch(restarted.database.db, fresh, b);
      }
      const incremental = await snapshot(once.database.db);
      const sec = (v: string | null) => (v === null ? 'open' : String((parseTimestamp(v)! - T0) / 1e6));
      const rows = incremental.mastership.map((m) => `${m.nodeId} [${sec(m.fromAt)}, ${sec(m.toAt)}) ${m.startReason}/${m.endReason ?? '-'}`);
      assert.deepEqual(rows, late.expected);
      assert.deepEqual(await snapshot(restarted.database.db), incremental);
      await rebuildProjections(once.database.db, { cfg: DEFAULT_DETECT_CONFIG });
      assert.deepEqual(await snapshot(once.database.db), incremental);
    } finally {
      await once.close();
      await restarted.close();
    }
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
