// kill -9 drills: the notifier is a child process that SIGKILLs itself at a chosen point
// (HS_NOTIFIER_FAILPOINT), then a new one takes over the same store and durable consumer.
import { after, afterEach, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { jetstreamManager } from '@nats-io/jetstream';
import { ALERTS_STREAM } from '@hotstandby/events';
import { splitBrain } from './support/alerts.js';
import { NotifierProcess } from './support/child.js';
import { QUICK_ROUTES, startRig } from './support/rig.js';
import type { Rig } from './support/rig.js';

describe('kill -9 of the notifier', () => {
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
    await p.waitFor(/vrrp-notifier: serving/);
    return p;
  };

  before(async () => {
    rig = await startRig();
    dir = await mkdtemp(join(tmpdir(), 'hs-notifier-crash-'));
  });
  // Every notifier consumes the whole stream: none may outlive its test.
  afterEach(async () => {
    for (const c of children.splice(0)) await c.stop();
  });
  after(async () => {
    await rig.close();
    await rm(dir, { recursive: true, force: true });
  });

  test('killed after recording the sends, before the ack: after restart, one message per channel; the redelivery is acked without a send', async () => {
    await rig.mark();
    const routes = await routesFile('a');
    const args = ['--config', routes, '--durable', 'crash-a', '--ack-wait-ms', '1000'];
    const first = await serve(args, { HS_NOTIFIER_FAILPOINT: 'after-record' });
    await rig.publish(splitBrain({ id: 'split-brain.crash-a', domain: '10.1.0.0/24' }));
    assert.deepEqual(await first.exited, { code: null, signal: 'SIGKILL' });
    assert.deepEqual((await rig.rows()).map((r) => [r.channel, r.status]), [
      ['slack', 'pending'],
      ['email', 'pending'],
    ]);
    assert.equal(rig.slack.posted.length + rig.smtp.received.length, 0);

    const second = await serve(args);
    await rig.settled(2);
    await second.waitFor(/split-brain\.crash-a\.raised \(#1, delivery \d+\) already recorded: acked without sending again/);
    await sleep(1500); // past another ack wait: nothing is left to redeliver
    assert.equal(rig.slack.posted.length, 1);
    assert.equal(rig.smtp.received.length, 1);
    const info = await (await jetstreamManager(rig.nc)).consumers.info(ALERTS_STREAM.name, 'crash-a');
    assert.equal(info.num_ack_pending, 0);
    assert.equal(info.num_pending, 0);
    assert.deepEqual(await second.stop(), { code: 0, signal: null });
  });

  test('killed after the SMTP server took the e-mail, before it was recorded as sent: resent once, same Message-ID, marked as a possible duplicate', async () => {
    await rig.mark();
    rig.smtp.received.length = 0;
    const routes = await routesFile('b', { routes: [{ domains: ['10.2.0.0/24'], channels: ['email'] }], default: [] });
    const args = ['--config', routes, '--durable', 'crash-b'];
    const first = await serve(args, { HS_NOTIFIER_FAILPOINT: 'after-send:email' });
    await rig.publish(splitBrain({ id: 'split-brain.crash-b', domain: '10.2.0.0/24' }));
    assert.deepEqual(await first.exited, { code: null, signal: 'SIGKILL' });
    assert.equal(rig.smtp.received.length, 1);
    const [row] = await rig.rows();
    assert.deepEqual([row!.status, row!.inFlight], ['sending', true]);

    const second = await serve(args);
    await rig.settled(1);
    await second.waitFor(/may be a duplicate/);
    assert.equal(rig.smtp.received.length, 2);
    const [a, b] = rig.smtp.received;
    assert.equal(b!.messageId, a!.messageId);
    assert.equal(b!.subject, a!.subject);
    assert.equal(a!.headers.get('x-hotstandby-possible-duplicate'), undefined);
    assert.equal(b!.headers.get('x-hotstandby-possible-duplicate'), 'yes');
    await sleep(300);
    assert.equal(rig.smtp.received.length, 2);
    await second.stop();
  });

  test('killed after Slack took the post, before it was recorded as sent: reposted once, marked as a possible duplicate', async () => {
    await rig.mark();
    rig.slack.posted.length = 0;
    const routes = await routesFile('c', { routes: [{ domains: ['10.3.0.0/24'], channels: ['slack'] }], default: [] });
    const args = ['--config', routes, '--durable', 'crash-c'];
    const first = await serve(args, { HS_NOTIFIER_FAILPOINT: 'after-send:slack' });
    await rig.publish(splitBrain({ id: 'split-brain.crash-c', domain: '10.3.0.0/24' }));
    assert.deepEqual(await first.exited, { code: null, signal: 'SIGKILL' });
    assert.equal(rig.slack.posted.length, 1);

    const second = await serve(args);
    await rig.settled(1);
    assert.equal(rig.slack.posted.length, 2);
    assert.doesNotMatch(JSON.stringify(rig.slack.posted[0]), /may repeat/);
    assert.match(JSON.stringify(rig.slack.posted[1]), /may repeat a message already delivered/);
    await sleep(300);
    assert.equal(rig.slack.posted.length, 2);
    await second.stop();
  });
});
