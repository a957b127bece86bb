// End to end with a real nats-server and Postgres: `vrrp-auditor serve` as a child process consumes the
// stream; it is killed with SIGKILL mid-stream and restarted; every event ends up stored exactly once;
// the split brain in the stream is published as one raised and one resolved alert; the HTTP API answers.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { sql } from 'drizzle-orm';
import { connect } from '@nats-io/transport-node';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';
import { ALERTS_STREAM, eventSubject, parseAlert } from '@hotstandby/events';
import type { HsEvent } from '@hotstandby/events';
import { NatsServer } from '../../../test/support/nats-server.js';
import { ensureStreams } from '../src/ingest/streams.js';
import { events } from '../src/schema/index.js';
import { FakeNode, at as atFrom } from './support/events.js';
import type { AuditorTestDb } from './support/db.js';
import { auditorTestDb } from './support/db.js';
import { freePort } from '../../../test/support/free-port.js';
import { RUN, eventually, serve } from './support/serve-process.js';

// Events are stamped near the real clock: serve's detectors tick on wall-clock time.
const BASE = Math.floor(Date.now() / 1000) * 1e6 - 60e6;
const at = (s: number) => atFrom(s, BASE);

describe('vrrp-auditor serve (real nats-server, real Postgres)', () => {
  let nats: NatsServer;
  let t: AuditorTestDb;
  let nc: NatsConnection;
  let port: number;
  let current: ReturnType<typeof serve> | undefined;
  const all: HsEvent[] = [];

  before(async () => {
    nats = await NatsServer.start();
    t = await auditorTestDb();
    nc = await connect({ servers: nats.url });
    await ensureStreams(await jetstreamManager(nc));
    port = await freePort();
  });
  after(async () => {
    if (current?.child.exitCode === null) {
      current.child.kill('SIGKILL');
    }
    await nc.close();
    await nats.dispose();
    await t.close();
  });

  const count = async () => (await t.database.db.select({ n: sql<number>`count(distinct ${events.id})::int`, rows: sql<number>`count(*)::int` }).from(events))[0]!;

  test('killed mid-stream (SIGKILL) and restarted: every event stored exactly once', async () => {
    const js = jetstream(nc);
    const nodes = Array.from({ length: 4 }, (_, i) => new FakeNode(`node${i + 1}`, undefined, BASE));
    // 8000 heartbeats (one period 100 s, so nobody is "lost" in this synthetic burst).
    for (let i = 0; i < 2000; i++) for (const n of nodes) all.push(n.heartbeat(i * 0.01, [{ state: 'BACKUP' }], 100_000));
    // A split brain between node1 and node2, 2 s long, then node2 yields.
    all.push(nodes[0]!.transition(21, 'BACKUP', 'MASTER'), nodes[1]!.transition(22, 'BACKUP', 'MASTER'), nodes[1]!.transition(24, 'MASTER', 'BACKUP', { reason: 'priority' }));
    all.push(nodes[2]!.heartbeat(25, [{ state: 'BACKUP' }], 100_000));
    current = serve(nats.url, t.pg.url, port);
    await current.ready;
    // Publish in the background: on a quiet machine the auditor keeps up with the publisher, so waiting
    // for the publishing to finish would let it ingest everything before the kill.
    const publishing = (async () => {
      for (let i = 0; i < all.length; i += 200) {
        await Promise.all(all.slice(i, i + 200).map((e) => js.publish(eventSubject(e.nodeId, e.kind), JSON.stringify(e), { msgID: e.id })));
      }
    })();
    // Let it get part-way, then kill it without warning.
    await eventually('some events ingested', async () => (await count()).n > 500);
    current.child.kill('SIGKILL');
    await new Promise((r) => current!.child.once('exit', r));
    await publishing;
    const partial = (await count()).n;
    assert.ok(partial < all.length, `killed after ${partial} of ${all.length}: the kill came too late to prove anything`);
    // A poisoned message and a duplicate publish while it is down.
    await js.publish('hs.evt.node1.heartbeat', '{"not":"an event"}');
    await js.publish(eventSubject(all[0]!.nodeId, 'heartbeat'), JSON.stringify(all[0]), { msgID: `${all[0]!.id}-replayed-without-dedup` });
    current = serve(nats.url, t.pg.url, port);
    await current.ready;
    await eventually(() => `all events ingested (${partial} before the kill), auditor log:\n${current!.log()}`, async () => (await count()).n === all.length, 60_000);
    await new Promise((r) => setTimeout(r, 500));
    assert.deepEqual(await count(), { n: all.length, rows: all.length });
  });

  test('the split brain was published once raised and once resolved', async () => {
    const jsm = await jetstreamManager(nc);
    await eventually('two alert messages', async () => (await jsm.streams.info(ALERTS_STREAM.name)).state.messages >= 2);
    const consumer = await jetstream(nc).consumers.get(ALERTS_STREAM.name);
    const got: string[] = [];
    const it = await consumer.fetch({ max_messages: 10, expires: 2000 });
    for await (const m of it) {
      const a = parseAlert(m.json());
      assert.ok(a.ok, a.ok ? '' : a.reason);
      if (a.value.kind === 'split-brain') got.push(`${a.value.state} ${a.value.nodes.join(',')} ${a.value.firstSeen}`);
    }
    assert.deepEqual(got, [`raised node1,node2 ${at(22)}`, `resolved node1,node2 ${at(22)}`]);
  });

  test('HTTP API: master at T (both during the split brain), history, events paging, alerts, 400s', async () => {
    const base = `http://127.0.0.1:${port}`;
    const get = async (path: string) => {
      const r = await fetch(base + path);
      return { status: r.status, body: (await r.json()) as Record<string, unknown> };
    };
    assert.equal((await get('/healthz')).status, 200);
    const iso = (s: number) => encodeURIComponent(at(s));
    const masters = async (s: number) => ((await get(`/api/v1/master?vrid=51&at=${iso(s)}`)).body.masters as { node: string }[]).map((m) => m.node);
    assert.deepEqual(await masters(21.5), ['node1']);
    assert.deepEqual(await masters(23), ['node1', 'node2']);
    assert.deepEqual(await masters(24), ['node1']);
    const h = await get(`/api/v1/history?vrid=51&from=${iso(0)}&to=${iso(100)}`);
    assert.deepEqual((h.body.intervals as { node: string; from: string; to: string | null }[]).map((i) => [i.node, i.from, i.to]), [
      ['node1', at(21), null],
      ['node2', at(22), at(24)],
    ]);
    // Cursor paging walks every transition exactly once.
    const seen: string[] = [];
    let cursor = '';
    for (let page = 0; page < 10; page++) {
      const r = await get(`/api/v1/events?kind=transition&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...(r.body.events as { id: string }[]).map((e) => e.id));
      if (!r.body.next) break;
      cursor = r.body.next as string;
    }
    assert.deepEqual(seen, all.filter((e) => e.kind === 'transition').map((e) => e.id));
    const open = await get('/api/v1/alerts?state=open');
    assert.equal((open.body.alerts as { kind: string }[]).some((a) => a.kind === 'split-brain'), false);
    for (const [path, message] of [
      ['/api/v1/master?at=2026-11-20T03:00:00Z', /vrid is required/],
      ['/api/v1/master?vrid=300&at=2026-11-20T03:00:00Z', /vrid must be an integer 1-255/],
      ['/api/v1/master?vrid=51&at=yesterday', /at is not an ISO-8601 time/],
      ['/api/v1/history?vrid=51&from=2026-11-21T00:00:00Z&to=2026-11-20T00:00:00Z', /from must be before to/],
      ['/api/v1/events?cursor=garbage', /cursor/],
      ['/api/v1/events?kind=bogus', /kind must be one of/],
      ['/api/v1/alerts?state=maybe', /state must be/],
    ] as const) {
      const r = await get(path);
      assert.equal(r.status, 400, path);
      assert.match(String(r.body.error), message, path);
    }
  });

  test('CLI who/history answer to the millisecond, as tables and as JSON', async () => {
    const cli = (args: string[]) =>
      new Promise<{ code: number | null; out: string }>((resolve) => {
        const c = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', RUN, ...args], { env: { ...process.env, DATABASE_URL: t.pg.url } });
        let out = '';
        c.stdout.on('data', (b: Buffer) => (out += b.toString()));
        c.once('exit', (code) => resolve({ code, out }));
      });
    const during = await cli(['who', '--vrid', '51', '--at', at(23.999).replace('T', ' ').replace('Z', '')]);
    assert.equal(during.code, 0);
    assert.match(during.out, /SPLIT BRAIN: 2 masters of VRID 51/);
    assert.match(during.out, new RegExp(`node2 +VI_51 +51 +10\\.10\\.10\\.0/24 +${at(22).replaceAll('.', '\\.')} +${at(24).replaceAll('.', '\\.')}`));
    const afterIt = await cli(['who', '--vrid', '51', '--at', at(24.001), '--json']);
    assert.deepEqual((JSON.parse(afterIt.out) as { node: string }[]).map((r) => r.node), ['node1']);
    const hist = await cli(['history', '--vrid', '51', '--from', at(0), '--to', at(30)]);
    assert.match(hist.out, /NODE +INSTANCE/);
    assert.equal(hist.out.trim().split('\n').length, 4);
    assert.equal((await cli(['who', '--vrid', '999', '--at', 'now'])).code, 2);
  });
});
