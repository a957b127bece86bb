// `vrrp-auditor serve` started while Postgres is down (a host booting, Postgres restarting): it waits for
// the database, saying so in one line, instead of exiting; once Postgres is up it migrates, starts, and
// stores what was published meanwhile. A private Postgres cluster (never the shared one on 5432) and a
// private nats-server.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from '@nats-io/transport-node';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';
import { eventSubject } from '@hotstandby/events';
import postgres from 'postgres';
import { NatsServer } from '../../../test/support/nats-server.js';
import { PrivatePostgres } from '../../../test/support/private-postgres.js';
import { freePort } from '../../../test/support/free-port.js';
import { terminateChild } from '../../../test/support/terminate-child.js';
import { teardownInOrder } from '../../../test/support/teardown.js';
import { ensureStreams } from '../src/ingest/streams.js';
import { FakeNode } from './support/events.js';
import type { ServeProcess } from './support/serve-process.js';
import { eventually, serve } from './support/serve-process.js';

const BASE = Math.floor(Date.now() / 1000) * 1e6 - 10e6;

describe('vrrp-auditor serve started with Postgres down (private cluster, real nats-server)', () => {
  let pg: PrivatePostgres | undefined;
  let nats: NatsServer | undefined;
  let nc: NatsConnection | undefined;
  let auditor: ServeProcess | undefined;

  before(async () => {
    pg = await PrivatePostgres.start();
    await pg.stop('fast');
    nats = await NatsServer.start();
    nc = await connect({ servers: nats.url });
    await ensureStreams(await jetstreamManager(nc));
  });
  after(() =>
    teardownInOrder(
      () => auditor && terminateChild(auditor.child),
      () => nc?.close(),
      () => nats?.dispose(),
      () => pg?.dispose(),
    ),
  );

  test('waits for the database, then starts and stores the events published meanwhile', async () => {
    const port = await freePort();
    auditor = serve(nats!.url, pg!.url, port);
    let exited: string | undefined;
    auditor.child.once('exit', (code, signal) => (exited = `exit ${code ?? signal}`));
    await eventually(() => `the "database unavailable" line (log so far:\n${auditor!.log()})`, () => Promise.resolve(auditor!.log().includes('database unavailable at start')));

    const node = new FakeNode('node1', undefined, BASE);
    const events = [node.heartbeat(0, [{ state: 'BACKUP' }], 100_000), node.heartbeat(1, [{ state: 'BACKUP' }], 100_000)];
    const js = jetstream(nc!);
    for (const e of events) await js.publish(eventSubject(e.nodeId, e.kind), JSON.stringify(e), { msgID: e.id });
    await new Promise((r) => setTimeout(r, 1000)); // still waiting, still running
    assert.equal(exited, undefined, `the auditor ended while Postgres was down:\n${auditor.log()}`);

    await pg!.start();
    await auditor.ready;
    assert.match(auditor.log(), /database available, starting/);
    const reader = postgres(pg!.url, { max: 1, onnotice: () => {} });
    try {
      await eventually('both events stored', async () => (await reader<{ n: number }[]>`select count(*)::int as n from events`)[0]!.n === events.length);
      const health = await fetch(`http://127.0.0.1:${port}/healthz`);
      assert.equal(health.status, 200);
    } finally {
      await reader.end({ timeout: 1 });
    }
  });
});
