// The events table holds exactly the validated events, on both drivers: every column as ingest's binary
// COPY wrote it (times to the microsecond, NULLs, non-ASCII and escape-worthy text, the payload as
// JSON), unstorable messages are parked instead of failing their batch, and a COPY the server rejects
// fails its transaction instead of hanging it (patches/postgres+3.4.9.patch). Events already stored are
// looked up and left out of the COPY; a writer that stores one of them meanwhile fails the batch, whose
// redelivery then stores the rest — each event once either way.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { asc, sql } from 'drizzle-orm';
import { eventSubject } from '@hotstandby/events';
import type { AnomalyEvent, HsEvent } from '@hotstandby/events';
import { BinaryCopyWriter } from '../src/db/copy-binary.js';
import { copyIn } from '../src/db/copy-in.js';
import type { Database } from '../src/db/database.js';
import { openDatabase } from '../src/db/database.js';
import { migrateDatabase } from '../src/db/migrate.js';
import { DEFAULT_DETECT_CONFIG } from '../src/detect/config.js';
import { emptyFleet } from '../src/detect/fleet.js';
import { commitBatch, ingestBatch, prepareBatch } from '../src/ingest/batch.js';
import { Projector } from '../src/project/projector.js';
import { resultRows } from '../src/project/recordset.js';
import { deadLetters, events } from '../src/schema/index.js';
import { eventMicros, parseTimestamp } from '../src/time/micros.js';
import { FakeNode, T0, at, message } from './support/events.js';
import type { AuditorTestDb } from './support/db.js';
import { auditorTestDb } from './support/db.js';

function anomaly(node: FakeNode, t: number, over: Partial<AnomalyEvent> = {}): AnomalyEvent {
  const base = node.heartbeat(t, []); // for the envelope (id, seq, at, mono)
  return {
    id: base.id,
    schema: 1,
    nodeId: base.nodeId,
    bootId: base.bootId,
    seq: base.seq,
    at: base.at,
    mono: base.mono,
    kind: 'anomaly',
    instance: null,
    vrid: null,
    family: 'ipv4',
    interface: 'eth0',
    domain: '10.10.10.0/24',
    class: 'vrid-unknown',
    count: 3,
    firstSeen: at(t - 1),
    lastSeen: at(t),
    source: '10.10.10.7',
    sample: '2101',
    ...over,
  };
}

/** Text that a text COPY would have to escape, and that is not ASCII. */
const AWKWARD = 'VI_ü "q" \\ tab\tnl\n ☃';

function sample(): HsEvent[] {
  const a = new FakeNode('node1');
  const b = new FakeNode('node-ß');
  const t = a.transition(1.000001, 'BACKUP', 'MASTER', { vrid: 255 });
  return [
    { ...t, instance: AWKWARD, failoverLatencyUs: 1234.5 },
    b.heartbeat(2.5, [{ state: 'MASTER', vrid: 1, installedVips: ['10.10.10.129'] }], 1000),
    anomaly(a, 3),
    anomaly(b, 4, { instance: AWKWARD, vrid: 7 }),
  ];
}

async function checkStored(database: Database): Promise<void> {
  const evs = sample();
  const msgs = evs.map((e, i) => ({ ...message(e, 1000 + i), receivedAt: T0 + 123_456_789 + i }));
  const p = new Projector(emptyFleet(), DEFAULT_DETECT_CONFIG);
  assert.equal((await ingestBatch(database.db, p, msgs)).inserted, evs.length);
  const rows = await database.db.select().from(events).orderBy(asc(events.pos));
  assert.equal(rows.length, evs.length);
  for (const [i, e] of evs.entries()) {
    const r = rows[i]!;
    const scoped = e.kind === 'transition' || e.kind === 'anomaly';
    assert.deepEqual(
      { id: r.id, nodeId: r.nodeId, bootId: r.bootId, seq: r.seq, kind: r.kind, domain: r.domain, vrid: r.vrid, instance: r.instance, streamSeq: r.streamSeq },
      { id: e.id, nodeId: e.nodeId, bootId: e.bootId, seq: e.seq, kind: e.kind, domain: scoped ? e.domain : null, vrid: scoped ? e.vrid : null, instance: scoped ? e.instance : null, streamSeq: 1000 + i },
    );
    assert.equal(parseTimestamp(r.at), eventMicros(e.at), `at of ${e.id}`);
    assert.equal(parseTimestamp(r.receivedAt), T0 + 123_456_789 + i, `received_at of ${e.id}`);
    assert.deepEqual(r.payload, e);
  }
  // The payload is queryable inside, as the query path does it.
  const [latency] = await database.db.select({ v: sql<number | string>`(${events.payload}->>'failoverLatencyUs')::double precision` }).from(events).where(sql`${events.id} = ${evs[0]!.id}`);
  assert.equal(Number(latency?.v), 1234.5);
}

async function checkUnstorableParked(database: Database): Promise<void> {
  const n = new FakeNode('nul');
  const good = n.heartbeat(1, []);
  const nulInName = { ...n.transition(2, 'BACKUP', 'MASTER'), instance: 'VI\u0000x' };
  const escapedOnly = { ...n.transition(3, 'MASTER', 'BACKUP'), instance: 'VI\\u0000 is six characters' };
  const nulByte = { subject: eventSubject('nul', 'heartbeat'), data: new Uint8Array([0x7b, 0x00, 0x7d]), streamSeq: 9003, receivedAt: T0 };
  const msgs = [message(good, 9000), message(nulInName, 9001), message(escapedOnly, 9002), nulByte];
  const r = await ingestBatch(database.db, new Projector(emptyFleet(), DEFAULT_DETECT_CONFIG), msgs);
  assert.deepEqual([r.inserted, r.parked], [2, 2]);
  const stored = await database.db.select({ id: events.id }).from(events).where(sql`${events.nodeId} = 'nul'`).orderBy(asc(events.pos));
  assert.deepEqual(stored.map((s) => s.id), [good.id, escapedOnly.id]);
  const parked = await database.db.select().from(deadLetters).orderBy(asc(deadLetters.streamSeq));
  assert.deepEqual(parked.map((d) => [d.streamSeq, d.reason]), [[9001, 'contains U+0000, which Postgres text cannot store'], [9003, 'not JSON']]);
  assert.equal(parked[1]!.raw, '{\uFFFD}');
}

async function checkRejectedCopyFails(database: Database): Promise<void> {
  const w = new BinaryCopyWriter();
  w.row(1).text('a\u0000b'); // a NUL byte in text: the server rejects the row after the data was sent
  const data = w.finish();
  await assert.rejects(
    database.db.transaction(async (tx) => {
      await tx.execute(sql`create temp table copy_reject (a text) on commit drop`);
      await copyIn(tx, 'copy_reject (a)', data);
    }),
    /invalid byte sequence|0x00/,
  );
  // The connection is usable afterwards (the transaction was rolled back, not left open).
  assert.deepEqual(await database.db.select({ one: sql<number>`1` }).from(sql`(select 1) x`), [{ one: 1 }]);
}

/** A batch some of whose events (every third, and the last) are stored already: only the others are
 *  copied, each once, `pos` in stream order, and only they move the projections. */
async function checkPartlyRedelivered(database: Database): Promise<void> {
  const n = new FakeNode('again');
  const evs = Array.from({ length: 30 }, (_, i) => (i === 10 ? n.transition(i, 'BACKUP', 'MASTER') : n.heartbeat(i, [{ state: i > 10 ? 'MASTER' : 'BACKUP' }])));
  const msgs = evs.map((e, i) => message(e, 20_000 + i));
  const early = msgs.filter((_, i) => i % 3 === 0 || i === msgs.length - 1);
  const p = new Projector(emptyFleet(), DEFAULT_DETECT_CONFIG);
  assert.equal((await ingestBatch(database.db, p, early)).inserted, early.length);
  const r = await ingestBatch(database.db, p, msgs);
  assert.deepEqual([r.inserted, r.duplicates], [msgs.length - early.length, early.length]);
  const stored = await database.db.select({ id: events.id }).from(events).where(sql`${events.nodeId} = 'again'`).orderBy(asc(events.pos));
  const ids = evs.map((e) => e.id);
  const earlyIds = new Set(early.map((m) => (JSON.parse(new TextDecoder().decode(m.data)) as HsEvent).id));
  assert.deepEqual(stored.map((s) => s.id), [...ids.filter((id) => earlyIds.has(id)), ...ids.filter((id) => !earlyIds.has(id))]);
  assert.equal((await ingestBatch(database.db, p, msgs)).inserted, 0);
}

describe('events as stored, on Postgres', () => {
  let pg: AuditorTestDb;
  before(async () => {
    pg = await auditorTestDb();
  });
  after(async () => pg.close());
  test('every column equals the validated event (µs times, NULLs, awkward text, JSON payload)', () => checkStored(pg.database));
  test('an event holding U+0000 and a message with a NUL byte are parked; the rest commits', () => checkUnstorableParked(pg.database));
  test('a COPY the server rejects fails its transaction (no hang) and the connection goes on', { timeout: 30_000 }, () => checkRejectedCopyFails(pg.database));
  test('a partly redelivered batch stores only what is new, in stream order', () => checkPartlyRedelivered(pg.database));

  test('another writer storing one of the ids after the lookup fails the batch; its redelivery stores the rest once', { timeout: 30_000 }, async () => {
    const n = new FakeNode('race');
    const evs = Array.from({ length: 5 }, (_, i) => n.heartbeat(i, [{ state: 'BACKUP' }]));
    const msgs = evs.map((e, i) => message(e, 30_000 + i));
    const prepared = prepareBatch(msgs);
    const other = await openDatabase({ url: pg.pg.url, max: 1 });
    try {
      // The other writer has stored evs[2] but not committed yet: invisible to the lookup, so the COPY
      // meets it in the unique index and waits for that transaction.
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      let otherPid = 0;
      let stored!: () => void;
      const inserted = new Promise<void>((resolve) => (stored = resolve));
      const writer = other.db.transaction(async (tx) => {
        otherPid = resultRows<{ pid: number }>(await tx.execute(sql`select pg_backend_pid() as pid`))[0]!.pid;
        const e = evs[2]!;
        await tx.execute(sql`insert into events (id, node_id, boot_id, seq, kind, at, payload) values (${e.id}, ${e.nodeId}, ${e.bootId}, ${e.seq}, ${e.kind}, ${e.at}, ${JSON.stringify(e)})`);
        stored();
        await held;
      });
      await inserted;
      const p = new Projector(emptyFleet(), DEFAULT_DETECT_CONFIG);
      const attempt = commitBatch(pg.database.db, p, prepared).then(
        () => undefined,
        (err: unknown) => err as Error,
      );
      // Wait until this batch's COPY is blocked on the other transaction, then let that one commit.
      for (;;) {
        const waiting = sql`select count(*)::int as n from pg_locks where not granted and locktype = 'transactionid' and pid <> ${otherPid}
          and pid in (select pid from pg_stat_activity where datname = current_database())`;
        if (resultRows<{ n: number }>(await pg.database.db.execute(waiting))[0]!.n > 0) break;
        await new Promise((r) => setTimeout(r, 10));
      }
      release();
      await writer;
      const failed = await attempt;
      assert.equal((failed?.cause as { code?: string } | undefined)?.code, '23505', 'the COPY meets the committed row: unique violation');
      // As the consumer does after a failed batch: a fresh projector view, the batch again.
      const again = await commitBatch(pg.database.db, new Projector(emptyFleet(), DEFAULT_DETECT_CONFIG), prepared);
      assert.deepEqual([again.inserted, again.duplicates], [4, 1]);
      const rows = await pg.database.db.select({ id: events.id }).from(events).where(sql`${events.nodeId} = 'race'`).orderBy(asc(events.pos));
      assert.deepEqual(rows.map((r) => r.id), [evs[2]!.id, ...evs.filter((_, i) => i !== 2).map((e) => e.id)]);
    } finally {
      await other.close();
    }
  });
});

describe('events as stored, on PGlite', () => {
  let dir: string;
  let database: Database;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'hs-auditor-pglite-'));
    database = await openDatabase({ dataDir: dir });
    await migrateDatabase(database);
  });
  after(async () => {
    await database.close();
    rmSync(dir, { recursive: true, force: true });
  });
  test('every column equals the validated event (µs times, NULLs, awkward text, JSON payload)', () => checkStored(database));
  test('an event holding U+0000 and a message with a NUL byte are parked; the rest commits', () => checkUnstorableParked(database));
  test('a COPY the server rejects fails its transaction and the database goes on', () => checkRejectedCopyFails(database));
  test('a partly redelivered batch stores only what is new, in stream order', () => checkPartlyRedelivered(database));
});
