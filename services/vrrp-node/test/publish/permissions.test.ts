import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { nodeEventSubjects } from '@hotstandby/events';
import { NatsServer } from '../../../../test/support/nats-server.js';
import { Outbox } from '../../src/outbox/outbox.js';
import { Publisher } from '../../src/publish/publisher.js';
import type { PublisherLogEntry } from '../../src/publish/publisher.js';
import { ensureStreams } from '../../src/publish/streams.js';
import { transitionDraft } from '../outbox/drafts.js';
import { readEvents, waitFor } from './stream-reader.js';

// The documented setup: one NATS user per node, allowed to publish only its own event subjects
// (plus the JetStream API for PubAcks and stream info) and to receive replies on its inbox.
const NODE1 = 'LVS_DEVEL@node1';
const PASSWORD = 's3cret-node1-pw';
const config = `
authorization {
  users = [
    { user: node1, password: "${PASSWORD}", permissions: {
        publish: { allow: ["${nodeEventSubjects(NODE1)}", "$JS.API.>"] }
        subscribe: { allow: ["_INBOX.>"] } } }
    { user: admin, password: "admin-pw" }
  ]
}`;

let server: NatsServer;
let dir: string;
const admin = (): { servers: string; user: string; pass: string } => ({ servers: server.url, user: 'admin', pass: 'admin-pw' });

before(async () => {
  server = await NatsServer.start({ extraConfig: config });
  dir = await mkdtemp(join(tmpdir(), 'hs-perm-'));
  const nc = await connect(admin());
  await ensureStreams(await jetstreamManager(nc));
  await nc.close();
});
after(async () => {
  await server?.dispose();
  if (dir) await rm(dir, { recursive: true, force: true });
});

test('a node may publish its own events', async () => {
  const outbox = await Outbox.open({ dir: join(dir, 'own'), nodeId: NODE1 });
  const pub = new Publisher({ outbox, connection: { servers: [server.url], user: 'node1', password: PASSWORD } });
  pub.start();
  outbox.append(transitionDraft(0));
  await waitFor('published', () => pub.status().published === 1);
  await pub.close();
  await outbox.close();
  assert.equal((await readEvents(admin())).filter((e) => e.nodeId === NODE1).length, 1);
});

test('a node publishing as another node is refused by the server, and that is reported (no secret in the report)', async () => {
  const outbox = await Outbox.open({ dir: join(dir, 'impostor'), nodeId: 'LVS_DEVEL@node2' });
  const logs: PublisherLogEntry[] = [];
  const pub = new Publisher({
    outbox,
    connection: { servers: [server.url], user: 'node1', password: PASSWORD },
    publishTimeoutMs: 2000,
    log: (e) => logs.push(e),
  });
  pub.start();
  outbox.append(transitionDraft(0));
  await waitFor('refusal reported', () => pub.status().bus === 'refused');
  const status = pub.status();
  assert.ok(status.refusals >= 1);
  assert.equal(status.published, 0);
  assert.match(status.lastError ?? '', /refused.*LVS_DEVEL@node2/);
  assert.equal(status.outbox.depth, 1, 'the event stays in the outbox, not lost');
  const errors = logs.filter((l) => l.level === 'error');
  assert.ok(errors.some((l) => /hs\.evt\.LVS_DEVEL@node2\.transition/.test(l.message)));
  const everything = JSON.stringify({ status, logs: logs.map((l) => ({ m: l.message, e: l.error?.message, c: String(l.error?.cause) })) });
  assert.ok(!everything.includes(PASSWORD), 'the password appears in no log line or status');
  await pub.close();
  await outbox.close();
  assert.equal((await readEvents(admin())).filter((e) => e.nodeId === 'LVS_DEVEL@node2').length, 0);
});
