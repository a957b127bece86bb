import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { GapEvent } from '@hotstandby/events';
import { NatsServer } from '../../../../test/support/nats-server.js';
import { Outbox } from '../../src/outbox/outbox.js';
import { Publisher } from '../../src/publish/publisher.js';
import type { PublisherLogEntry } from '../../src/publish/publisher.js';
import { heartbeatDraft, transitionDraft } from '../outbox/drafts.js';
import { assertExactlyOnceInOrder, readEvents, waitFor } from './stream-reader.js';

const NODE = 'LVS_DEVEL@node1';

describe('Publisher against a real nats-server', () => {
  let server: NatsServer;
  let dir: string;
  before(async () => {
    server = await NatsServer.start();
    dir = await mkdtemp(join(tmpdir(), 'hs-pub-'));
  });
  after(async () => {
    await server?.dispose();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  test('events reach the stream exactly once, in order, with msgID = event id; provisioning is idempotent', async () => {
    const outbox = await Outbox.open({ dir: join(dir, 'a'), nodeId: NODE });
    const pub = new Publisher({ outbox, connection: { servers: [server.url] }, provision: {} });
    pub.start();
    for (let i = 0; i < 100; i++) outbox.append(transitionDraft(i));
    await waitFor('100 published', () => pub.status().published === 100);
    await pub.close();
    // A second publisher provisions again (no error) and republishing the same ids is absorbed.
    const pub2 = new Publisher({ outbox, connection: { servers: [server.url] }, provision: {} });
    pub2.start();
    outbox.append(transitionDraft(100));
    await waitFor('1 more', () => pub2.status().published === 1);
    await pub2.close();
    await outbox.close();
    const events = (await readEvents({ servers: server.url })).filter((e) => e.bootId === outbox.bootId);
    assert.equal(events.length, 101);
    assertExactlyOnceInOrder(events);
    assert.equal(outbox.status().depth, 0);
  });

  test('nats-server stopped, events appended meanwhile, server back: all arrive exactly once, in order', async () => {
    const outbox = await Outbox.open({ dir: join(dir, 'b'), nodeId: 'LVS_DEVEL@node2' });
    const logs: PublisherLogEntry[] = [];
    const pub = new Publisher({ outbox, connection: { servers: [server.url] }, provision: {}, publishTimeoutMs: 1000, backoffMaxMs: 500, log: (e) => logs.push(e) });
    pub.start();
    for (let i = 0; i < 10; i++) outbox.append(transitionDraft(i));
    await waitFor('first 10', () => pub.status().published === 10);
    await server.stop();
    await waitFor('bus down noticed', () => pub.status().bus !== 'connected');
    for (let i = 10; i < 40; i++) {
      outbox.append(transitionDraft(i));
      await new Promise((r) => setTimeout(r, 5));
    }
    assert.ok(outbox.status().depth >= 30, 'events wait in the outbox while the bus is down');
    await server.resume();
    await waitFor('all 40 acked', () => outbox.status().depth === 0, 30_000);
    await pub.close();
    await outbox.close();
    const events = (await readEvents({ servers: server.url })).filter((e) => e.nodeId === 'LVS_DEVEL@node2');
    assert.equal(events.length, 40);
    assertExactlyOnceInOrder(events);
    assert.ok(logs.some((l) => l.level === 'warn' && /disconnected/.test(l.message)));
  });

  test('over the size cap while the bus is away: the stream gets a gap event with exact counts', async () => {
    const outbox = await Outbox.open({ dir: join(dir, 'c'), nodeId: 'LVS_DEVEL@node3', maxBytes: 8_000 });
    for (let i = 0; i < 100; i++) outbox.append(i % 2 ? heartbeatDraft() : transitionDraft(i));
    const appended = 100;
    const pub = new Publisher({ outbox, connection: { servers: [server.url] }, provision: {} });
    pub.start();
    await waitFor('drained', () => outbox.status().depth === 0);
    await pub.close();
    await outbox.close();
    const events = (await readEvents({ servers: server.url })).filter((e) => e.nodeId === 'LVS_DEVEL@node3');
    const gaps = events.filter((e): e is GapEvent => e.kind === 'gap');
    assert.ok(gaps.length > 0);
    const lostNonGap = gaps.reduce((n, g) => n + g.lost - g.lostByKind.gap, 0);
    assert.equal(events.length - gaps.length + lostNonGap, appended);
    // The seqs in the stream plus the reported ranges cover every seq exactly once.
    const covered = new Set(events.map((e) => e.seq));
    for (const g of gaps) for (const r of g.ranges) for (let s = r.fromSeq; s <= r.toSeq; s++) {
      assert.ok(!covered.has(s), `seq ${s} both delivered and reported lost`);
      covered.add(s);
    }
    assert.equal(covered.size, outbox.status().nextSeq);
  });
});

test('with no server at all: append never waits, status says so, close returns promptly', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'hs-pub-down-'));
  try {
    const outbox = await Outbox.open({ dir, nodeId: 'LVS_DEVEL@lonely' });
    // Port 9 (discard) on loopback: nothing listens there, connects are refused at once.
    const pub = new Publisher({ outbox, connection: { servers: ['nats://127.0.0.1:9'] }, backoffMaxMs: 200 });
    pub.start();
    for (let i = 0; i < 50; i++) outbox.append(transitionDraft(i));
    await waitFor('a connect failure reported', () => pub.status().lastError !== undefined);
    const status = pub.status();
    assert.equal(status.bus, 'connecting');
    assert.equal(status.outbox.depth, 50);
    assert.match(status.lastError ?? '', /cannot connect to nats:\/\/127\.0\.0\.1:9/);
    await pub.close();
    assert.equal(pub.status().bus, 'closed');
    await outbox.close();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
