// The kill -9 drills again with no DATABASE_URL: send records in embedded PGlite (NOTIFIER_DATA_DIR).
// PGlite serves one process, so the test reads the store only between notifier processes — after a
// kill, and after a graceful stop — and waits on what the Slack stand-in and the SMTP server got.
import { after, afterEach, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { jetstreamManager } from '@nats-io/jetstream';
import { ALERTS_STREAM } from '@hotstandby/events';
import { DataDirLockedError } from '../src/db/data-dir-lock.js';
import { splitBrain } from './support/alerts.js';
import { NotifierProcess } from './support/child.js';
import { QUICK_ROUTES, startRig } from './support/rig.js';
import type { Rig } from './support/rig.js';

async function until(what: string, ok: () => boolean, timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`not seen within ${timeoutMs} ms: ${what}`);
    await sleep(25);
  }
}

describe('kill -9 of the notifier, send records in embedded PGlite', () => {
  let rig: Rig;
  let dir: string;
  const children: NotifierProcess[] = [];

  const routesFile = async (name: string, extra: object = {}): Promise<string> => {
    const file = join(dir, `${name}.json`);
    await writeFile(file, JSON.stringify({ ...JSON.parse(QUICK_ROUTES), ...extra }));
    return file;
  };
  const serve = async (args: string[], env: Record<string, string> = {}): Promise<NotifierProcess> => {
    const p = NotifierProcess.spawn(['serve', ...args], { ...rig.env, ...env });
    children.push(p);
    // The first start creates the PGlite cluster (initdb in WebAssembly): tens of seconds under load.
    await p.waitFor(/vrrp-notifier: serving/, 120_000);
    return p;
  };

  before(async () => {
    rig = await startRig({ store: 'pglite', holdStore: false });
    dir = await mkdtemp(join(tmpdir(), 'hs-notifier-crash-pglite-'));
  });
  afterEach(async () => {
    for (const c of children.splice(0)) await c.stop();
  });
  after(async () => {
    await rig.close();
    await rm(dir, { recursive: true, force: true });
  });

  test('serve without DATABASE_URL says where the send records are', async () => {
    assert.equal(rig.env['DATABASE_URL'], undefined);
    const p = await serve(['--durable', 'pglite-startup']);
    assert.match(p.stderr, new RegExp(`no DATABASE_URL: send records in embedded PGlite at ${rig.dataDir!.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
    assert.match(p.stderr, /serving; store pglite:/);
    // One process per data directory: a second one is refused rather than corrupting the store.
    await assert.rejects(rig.rows(), DataDirLockedError);
    const second = NotifierProcess.spawn(['serve', '--durable', 'pglite-startup-2'], rig.env);
    const { code } = await second.exited;
    assert.equal(code, 1);
    assert.match(second.stderr, /in use by process \d+/);
    assert.deepEqual(await p.stop(), { code: 0, signal: null });
  });

  test('killed after recording the sends, before the ack: after restart, one message per channel; the redelivery is acked without a send', async () => {
    await rig.mark();
    rig.slack.posted.length = 0;
    rig.smtp.received.length = 0;
    const routes = await routesFile('a');
    const args = ['--config', routes, '--durable', 'crash-a', '--ack-wait-ms', '1000'];
    const first = await serve(args, { HS_NOTIFIER_FAILPOINT: 'after-record' });
    await rig.publish(splitBrain({ id: 'split-brain.pglite-a', domain: '10.1.0.0/24' }));
    assert.deepEqual(await first.exited, { code: null, signal: 'SIGKILL' });
    // The records committed just before the kill are there when the store is opened again.
    assert.deepEqual((await rig.rows()).map((r) => [r.channel, r.status]), [
      ['slack', 'pending'],
      ['email', 'pending'],
    ]);
    assert.equal(rig.slack.posted.length + rig.smtp.received.length, 0);

    const second = await serve(args);
    await until('one Slack post and one e-mail', () => rig.slack.posted.length >= 1 && rig.smtp.received.length >= 1);
    await second.waitFor(/split-brain\.pglite-a\.raised \(#\d+, delivery \d+\) already recorded: acked without sending again/);
    await sleep(1500); // past another ack wait: nothing is left to redeliver
    const info = await (await jetstreamManager(rig.nc)).consumers.info(ALERTS_STREAM.name, 'crash-a');
    assert.equal(info.num_ack_pending, 0);
    assert.equal(info.num_pending, 0);
    assert.deepEqual(await second.stop(), { code: 0, signal: null });
    assert.equal(rig.slack.posted.length, 1);
    assert.equal(rig.smtp.received.length, 1);
    assert.deepEqual((await rig.rows()).map((r) => [r.channel, r.status]), [
      ['slack', 'sent'],
      ['email', 'sent'],
    ]);
  });

  test('killed after the SMTP server took the e-mail, before it was recorded as sent: resent once, same Message-ID, marked as a possible duplicate', async () => {
    await rig.mark();
    rig.smtp.received.length = 0;
    const routes = await routesFile('b', { routes: [{ domains: ['10.2.0.0/24'], channels: ['email'] }], default: [] });
    const args = ['--config', routes, '--durable', 'crash-b'];
    const first = await serve(args, { HS_NOTIFIER_FAILPOINT: 'after-send:email' });
    await rig.publish(splitBrain({ id: 'split-brain.pglite-b', domain: '10.2.0.0/24' }));
    assert.deepEqual(await first.exited, { code: null, signal: 'SIGKILL' });
    assert.equal(rig.smtp.received.length, 1);
    const [row] = await rig.rows();
    assert.deepEqual([row!.status, row!.inFlight], ['sending', true]);

    const second = await serve(args);
    await second.waitFor(/may be a duplicate/);
    await until('the resend', () => rig.smtp.received.length >= 2);
    await sleep(300);
    await second.stop();
    assert.equal(rig.smtp.received.length, 2);
    const [a, b] = rig.smtp.received;
    assert.equal(b!.messageId, a!.messageId);
    assert.equal(a!.headers.get('x-hotstandby-possible-duplicate'), undefined);
    assert.equal(b!.headers.get('x-hotstandby-possible-duplicate'), 'yes');
    assert.deepEqual((await rig.rows()).map((r) => [r.channel, r.status, r.possibleDuplicate]), [['email', 'sent', true]]);
  });
});
