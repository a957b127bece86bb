// Delivery drills against real services: nats-server, an SMTP server, a Slack stand-in, and each store:
// Postgres (DATABASE_URL) and embedded PGlite (the zero-setup default).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { alertMessageId } from '@hotstandby/events';
import { emailMessageId } from '../src/render/message-id.js';
import { startNotifier } from '../src/service/notifier.js';
import type { RunningNotifier } from '../src/service/notifier.js';
import { resolvedOf, splitBrain, vipDrift } from './support/alerts.js';
import { FROM, TO, quick, startRig } from './support/rig.js';
import type { Rig, RigStore } from './support/rig.js';
import { headerOf } from './support/slack-stub.js';

for (const store of ['postgres', 'pglite'] as const satisfies readonly RigStore[]) {
  describe(`delivery (real nats-server, ${store === 'postgres' ? 'Postgres' : 'embedded PGlite'}, SMTP; Slack stand-in)`, () => {
    let rig: Rig;
    let notifier: RunningNotifier | undefined;
    // One rig and one durable consumer for the suite; each test has its own incidents and domain, and
    // looks only at the send records written since it began.
    let n = 0;
    const fresh = async (over: Parameters<typeof quick>[1] = {}): Promise<void> => {
      await notifier?.stop();
      notifier = undefined;
      await rig.mark();
      rig.slack.posted.length = 0;
      rig.slack.answered.length = 0;
      rig.slack.invalid.length = 0;
      rig.smtp.received.length = 0;
      n++;
      notifier = await startNotifier(quick(rig, over));
    };
    const domain = (): string => `10.${n}.0.0/24`;

    before(async () => {
      rig = await startRig({ store });
    });
    after(async () => {
      await notifier?.stop();
      await rig.close();
    });

    test('a split brain raised then resolved: exactly two messages per channel, in order, threaded', async () => {
      await fresh();
      const a = splitBrain({ id: `split-brain.t${n}`, domain: domain() });
      await rig.publish(a);
      await rig.publish(resolvedOf(a));
      const rows = await rig.settled(4);
      assert.deepEqual(rows.map((r) => [r.channel, r.kind, r.status]), [
        ['slack', 'raised', 'sent'],
        ['email', 'raised', 'sent'],
        ['slack', 'resolved', 'sent'],
        ['email', 'resolved', 'sent'],
      ]);
      await sleep(300); // nothing else may arrive
      assert.equal(rig.slack.posted.length, 2);
      assert.deepEqual(rig.slack.invalid, []);
      assert.equal(headerOf(rig.slack.posted[0]!), `:rotating_light: Split brain: VRID 51 on ${domain()}`);
      assert.equal(headerOf(rig.slack.posted[1]!), `:white_check_mark: Resolved: Split brain: VRID 51 on ${domain()}`);
      assert.equal(rig.smtp.received.length, 2);
      const [raised, resolved] = rig.smtp.received;
      assert.equal(raised!.subject, `[hotstandby] Split brain: VRID 51 on ${domain()}`);
      assert.equal(resolved!.subject, `Resolved: [hotstandby] Split brain: VRID 51 on ${domain()}`);
      assert.equal(resolved!.inReplyTo, raised!.messageId);
      assert.deepEqual([resolved!.references].flat(), [raised!.messageId]);
      assert.equal(raised!.messageId, emailMessageId(`email:${alertMessageId(a)}`, FROM));
      assert.deepEqual(rig.smtp.envelopes[0], [TO]);
      assert.match(raised!.text ?? '', /has two masters/);
      assert.match(String(raised!.html), /timeline\?domain=/);
    });

    test('alerts of one incident arriving together are one message; another VRID is its own', async () => {
      await fresh({ groupWindowMs: 400 });
      await rig.publish(splitBrain({ id: `split-brain.t${n}`, domain: domain() }));
      await rig.publish(vipDrift({ id: `vip-drift.t${n}.a`, domain: domain() }));
      await rig.publish(vipDrift({ id: `vip-drift.t${n}.b`, domain: domain() }));
      await rig.publish(vipDrift({ id: `vip-drift.t${n}.c`, domain: domain(), vrid: 52 }));
      await rig.settled(8);
      assert.deepEqual(rig.slack.posted.map(headerOf), [
        `:rotating_light: Split brain, VIP drift: VRID 51 on ${domain()} (3 alerts)`,
        `:rotating_light: VIP drift: VRID 52 on ${domain()}`,
      ]);
      assert.deepEqual(rig.smtp.received.map((m) => m.subject), [`[hotstandby] Split brain, VIP drift: VRID 51 on ${domain()} (3 alerts)`, `[hotstandby] VIP drift: VRID 52 on ${domain()}`]);
    });

    test('the webhook fails (500) for a while then recovers: exactly one Slack message', async () => {
      await fresh();
      rig.slack.script.push(...Array.from({ length: 8 }, () => ({ status: 500 as const })));
      await rig.publish(splitBrain({ id: `split-brain.t${n}`, domain: domain() }));
      const rows = await rig.settled(2);
      assert.equal(rig.slack.posted.length, 1);
      assert.deepEqual(rig.slack.answered, [500, 500, 500, 500, 500, 500, 500, 500, 200]);
      assert.equal(rows.find((r) => r.channel === 'slack')!.attempts, 9);
      assert.equal(rig.smtp.received.length, 1);
    });

    test("Slack's 429 Retry-After is honoured before the next attempt", async () => {
      await fresh();
      rig.slack.script.push({ status: 429, retryAfterS: 1 });
      const times: number[] = [];
      const orig = rig.slack.handle.bind(rig.slack);
      rig.slack.handle = async (req, res) => {
        times.push(Date.now());
        await orig(req, res);
      };
      try {
        await rig.publish(splitBrain({ id: `split-brain.t${n}`, domain: domain() }));
        await rig.settled(2);
      } finally {
        rig.slack.handle = orig;
      }
      assert.deepEqual(rig.slack.answered, [429, 200]);
      // Backoff in this test starts at 20 ms: only Retry-After explains a second's wait.
      assert.ok(times[1]! - times[0]! >= 950, `second attempt came ${times[1]! - times[0]!} ms after the 429`);
    });

    test('the SMTP server is down, then back: exactly one e-mail', async () => {
      await fresh();
      await rig.smtp.stop();
      await rig.publish(splitBrain({ id: `split-brain.t${n}`, domain: domain() }));
      for (;;) {
        const r = (await rig.rows()).find((x) => x.channel === 'email');
        if (r && r.attempts >= 3) break;
        await sleep(50);
      }
      await rig.smtp.resume();
      const rows = await rig.settled(2);
      assert.equal(rig.smtp.received.length, 1);
      assert.match(rows.find((r) => r.channel === 'email')!.lastError ?? '', /ECONNREFUSED|ECONNECTION/);
      assert.equal(rows.find((r) => r.channel === 'email')!.possibleDuplicate, false);
    });

    test('a temporary SMTP refusal (451) is retried: one e-mail', async () => {
      await fresh();
      rig.smtp.tempFailures = 2;
      await rig.publish(splitBrain({ id: `split-brain.t${n}`, domain: domain() }));
      await rig.settled(2);
      assert.equal(rig.smtp.received.length, 1);
    });

    test('after the retry budget: a dead letter, and a health notice on the other channel', async () => {
      await fresh({ retry: { baseMs: 10, capMs: 20, maxAttempts: 4, maxElapsedMs: 30_000 } });
      rig.slack.script.push(...Array.from({ length: 50 }, () => ({ status: 500 as const })));
      const a = splitBrain({ id: `split-brain.t${n}`, domain: domain() });
      await rig.publish(a);
      const rows = await rig.settled(3);
      rig.slack.script.length = 0;
      const slackRow = rows.find((r) => r.channel === 'slack')!;
      assert.equal(slackRow.status, 'dead');
      assert.equal(slackRow.attempts, 4);
      const dl = await rig.deadLetters();
      assert.equal(dl.length, 1);
      assert.equal(dl[0]!.kind, 'undeliverable');
      assert.equal(dl[0]!.channel, 'slack');
      assert.match(dl[0]!.reason, /gave up after 4 attempts: webhook answered 500/);
      assert.equal(dl[0]!.messageIds, alertMessageId(a));
      assert.deepEqual(rig.smtp.received.map((m) => m.subject), [`[hotstandby] Split brain: VRID 51 on ${domain()}`, '[hotstandby] Notifier cannot deliver to slack']);
      assert.match(rig.smtp.received[1]!.text ?? '', new RegExp(alertMessageId(a).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
    });

    test('a permanent refusal (400) is dead-lettered at once, without retries', async () => {
      await fresh();
      rig.slack.script.push({ status: 400, body: 'invalid_token' });
      await rig.publish(splitBrain({ id: `split-brain.t${n}`, domain: domain() }));
      const rows = await rig.settled(3);
      assert.equal(rows.find((r) => r.channel === 'slack')!.attempts, 1);
      assert.match((await rig.deadLetters())[0]!.reason, /refused: webhook answered 400 invalid_token/);
    });

    test('an invalid message is parked with its reason and acked; the next alert is delivered', async () => {
      await fresh();
      await rig.publishRaw(`hs.alert.split-brain.x${n}`, '{"schema":1,"kind":"split-brain"}');
      await rig.publishRaw(`hs.alert.split-brain.y${n}`, 'not json');
      await rig.publish(splitBrain({ id: `split-brain.t${n}`, domain: domain() }));
      await rig.settled(2);
      const dl = await rig.deadLetters();
      assert.deepEqual(dl.map((d) => [d.kind, d.subject]), [
        ['invalid-message', `hs.alert.split-brain.x${n}`],
        ['invalid-message', `hs.alert.split-brain.y${n}`],
      ]);
      assert.match(dl[0]!.reason, /id/);
      assert.equal(dl[1]!.reason, 'not UTF-8 JSON');
      assert.equal(rig.slack.posted.length, 1);
    });

    test('an alert already sent is not sent again when it comes back (republished or redelivered)', async () => {
      await fresh();
      const a = splitBrain({ id: `split-brain.t${n}`, domain: domain() });
      await rig.publish(a);
      await rig.settled(2);
      // Past the stream's de-duplication (another msgID): the send record is what stops a second send.
      await rig.publish(a, `${alertMessageId(a)}.again`);
      await sleep(500);
      assert.equal((await rig.rows()).length, 2);
      assert.equal(rig.slack.posted.length, 1);
      assert.equal(rig.smtp.received.length, 1);
    });

    test('a notifier stopped while Slack is down finishes the message after its restart: one message', async () => {
      await fresh();
      rig.slack.script.push(...Array.from({ length: 1000 }, () => ({ status: 500 as const })));
      await rig.publish(splitBrain({ id: `split-brain.t${n}`, domain: domain() }));
      for (;;) {
        const r = (await rig.rows()).find((x) => x.channel === 'slack');
        if (r && r.attempts >= 2) break;
        await sleep(20);
      }
      await notifier!.stop();
      notifier = undefined;
      rig.slack.script.length = 0;
      notifier = await startNotifier(quick(rig));
      await rig.settled(2);
      assert.equal(rig.slack.posted.length, 1);
      assert.equal(rig.smtp.received.length, 1);
      // It stopped between attempts, not during one: the resend is not a possible duplicate.
      assert.doesNotMatch(JSON.stringify(rig.slack.posted[0]), /may repeat/);
    });
  });
}
