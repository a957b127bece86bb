// The command line: `vrrp-notifier test --channel …` against the local Slack stand-in and SMTP
// server, keepalived.conf seeding the e-mail channel, and usage errors.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NotifierProcess } from './support/child.js';
import { SlackStub, headerOf } from './support/slack-stub.js';
import { SmtpStub } from './support/smtp-stub.js';

describe('vrrp-notifier CLI', () => {
  let slack: SlackStub;
  let smtp: SmtpStub;
  let plainSmtp: SmtpStub;
  let dir: string;

  before(async () => {
    [slack, smtp, plainSmtp] = await Promise.all([SlackStub.start(), SmtpStub.start(), SmtpStub.start({ requireAuth: false })]);
    dir = await mkdtemp(join(tmpdir(), 'hs-notifier-cli-'));
  });
  after(async () => {
    await Promise.all([slack.close(), smtp.stop(), plainSmtp.stop()]);
    await rm(dir, { recursive: true, force: true });
  });

  test('test --channel slack posts a valid Block Kit message', async () => {
    const r = await NotifierProcess.run(['test', '--channel', 'slack'], { SLACK_WEBHOOK_URL: slack.url });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(slack.posted.length, 1);
    assert.deepEqual(slack.invalid, []);
    assert.equal(headerOf(slack.posted[0]!), 'hotstandby notifier test message');
  });

  test('test --channel email sends through SMTP with credentials from SMTP_URL', async () => {
    const r = await NotifierProcess.run(['test', '--channel', 'email'], { SMTP_URL: smtp.url, ALERT_EMAIL_TO: 'a@lab.example,b@lab.example', ALERT_EMAIL_FROM: 'hs@lab.example' });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(smtp.received.length, 1);
    assert.equal(smtp.received[0]!.subject, '[hotstandby] hotstandby notifier test message');
    assert.deepEqual(smtp.envelopes[0], ['a@lab.example', 'b@lab.example']);
  });

  test("keepalived.conf's notification_email / _from / smtp_server are enough for e-mail", async () => {
    const conf = join(dir, 'keepalived.conf');
    await writeFile(conf, `global_defs {\n  notification_email {\n    ops@lab.example\n  }\n  notification_email_from keepalived@lab.example\n  smtp_server 127.0.0.1 ${plainSmtp.port}\n  router_id LVS_DEVEL\n}\n`);
    const r = await NotifierProcess.run(['test', '--channel', 'email', '--keepalived-conf', conf], {});
    assert.equal(r.code, 0, r.stderr);
    assert.equal(plainSmtp.received.length, 1);
    assert.deepEqual(plainSmtp.envelopes[0], ['ops@lab.example']);
    assert.equal(plainSmtp.received[0]!.from?.value[0]?.address, 'keepalived@lab.example');
  });

  test('test --channel console prints the message on stdout', async () => {
    const r = await NotifierProcess.run(['test', '--channel', 'console'], {});
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^----- \[hotstandby\] hotstandby notifier test message\n/);
  });

  test('a failing channel is exit 1 with the reason; a missing setting is a usage error (exit 2)', async () => {
    slack.script.push({ status: 400, body: 'no_service' });
    const failed = await NotifierProcess.run(['test', '--channel', 'slack'], { SLACK_WEBHOOK_URL: slack.url });
    assert.equal(failed.code, 1);
    assert.match(failed.stderr, /webhook answered 400 no_service/);
    const missing = await NotifierProcess.run(['test', '--channel', 'slack'], {});
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /slack is not configured \(SLACK_WEBHOOK_URL\)/);
    const badOption = await NotifierProcess.run(['serve', '--no-such-option'], {});
    assert.equal(badOption.code, 2);
    assert.match(badOption.stderr, /no-such-option.*\(vrrp-notifier --help\)/);
  });
});
