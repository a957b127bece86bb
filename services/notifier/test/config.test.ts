// Configuration: routes file, keepalived.conf's e-mail settings, the environment.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { channelSettings, redactUrl } from '../src/config/env.js';
import { readKeepalivedEmail } from '../src/config/keepalived.js';
import { parseRoutesFile, routeAlert } from '../src/config/routes.js';
import { splitBrain } from './support/alerts.js';

const fixture = (name: string): string => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

describe('routes file', () => {
  const file = parseRoutesFile(
    JSON.stringify({
      routes: [
        { kinds: ['flapping'], channels: ['email'] },
        { domains: ['lab'], channels: [] },
        { severities: ['critical'], channels: ['slack', 'email'] },
      ],
      default: ['slack'],
    }),
  );
  assert.ok(file.ok);
  const both = ['slack', 'email'] as const;

  test('the first matching route decides; no match takes the default', () => {
    assert.deepEqual(routeAlert(file.value, both, splitBrain({ kind: 'flapping' })), ['email']);
    assert.deepEqual(routeAlert(file.value, both, splitBrain()), ['slack', 'email']);
    assert.deepEqual(routeAlert(file.value, both, splitBrain({ kind: 'node-lost', vrid: null })), ['slack']);
  });

  test('a route with no channels silences what it matches', () => {
    assert.deepEqual(routeAlert(file.value, both, splitBrain({ domain: 'lab' })), []);
  });

  test('channels that are not configured are dropped; without a file, every enabled channel', () => {
    assert.deepEqual(routeAlert(file.value, ['email'], splitBrain()), ['email']);
    assert.deepEqual(routeAlert(undefined, ['console'], splitBrain()), ['console']);
  });

  test('a bad file is a reason with the JSON path, not a throw', () => {
    const r = parseRoutesFile('{"routes":[{"kinds":["split"],"channels":["slack"]}]}');
    assert.equal(r.ok, false);
    assert.match(!r.ok ? r.reason : '', /^routes\.0\.kinds\.0: /);
    assert.equal(parseRoutesFile('{').ok, false);
    const extra = parseRoutesFile('{"routes":[],"webhook":"https://hooks.slack.com/x"}');
    assert.match(!extra.ok ? extra.reason : '', /webhook/);
  });
});

describe("keepalived.conf's global_defs e-mail settings", () => {
  test('notification_email, notification_email_from and smtp_server with a port', () => {
    const r = readKeepalivedEmail(fixture('keepalived-email.conf'));
    assert.deepEqual(r, {
      ok: true,
      value: { to: ['acassen@firewall.loc', 'failover@firewall.loc', 'sysadmin@firewall.loc'], from: 'Alexandre.Cassen@firewall.loc', smtp: { host: '192.168.200.1', port: 2525 }, ignored: ['line 1: include'] },
    });
  });

  test('smtp_server without a port means 25; one-line blocks and comments are understood', () => {
    const r = readKeepalivedEmail('global_defs { notification_email { a@x } # c\n smtp_server mail.example.org ! port 25\n}\n');
    assert.ok(r.ok);
    assert.deepEqual(r.value.smtp, { host: 'mail.example.org', port: 25 });
    assert.deepEqual(r.value.to, ['a@x']);
  });

  test('the same keywords outside global_defs are not read', () => {
    const r = readKeepalivedEmail('vrrp_instance VI_1 {\n smtp_server 1.2.3.4\n}\n');
    assert.deepEqual(r, { ok: true, value: { to: [], ignored: [] } });
  });

  test('mistakes are a reason with a line number', () => {
    assert.deepEqual(readKeepalivedEmail('global_defs {\n smtp_server 1.2.3.4 99999\n}'), { ok: false, reason: 'smtp_server port 99999 is not 1-65535', line: 2 });
    assert.deepEqual(readKeepalivedEmail('global_defs {\n notification_email a@x\n}'), { ok: false, reason: 'notification_email needs a { … } block', line: 2 });
  });
});

describe('environment', () => {
  test('nothing configured → the console channel', () => {
    const r = channelSettings({});
    assert.ok(r.ok);
    assert.deepEqual(r.value.enabled, ['console']);
  });

  test('NOTIFIER_CONSOLE=1 keeps the console on beside Slack', () => {
    const r = channelSettings({ SLACK_WEBHOOK_URL: 'https://hooks.slack.com/services/T/B/secret', NOTIFIER_CONSOLE: '1' });
    assert.ok(r.ok);
    assert.deepEqual(r.value.enabled, ['slack', 'console']);
    assert.match(r.value.sources.join('; '), /console: stdout \(NOTIFIER_CONSOLE=1\)/);
  });

  test('SLACK_WEBHOOK_URL and SMTP_URL enable their channels; the console is then off', () => {
    const r = channelSettings({ SLACK_WEBHOOK_URL: 'https://hooks.slack.com/services/T/B/secret', SMTP_URL: 'smtp://u:p@mail:587', ALERT_EMAIL_TO: 'a@x, b@y', ALERT_EMAIL_FROM: 'hs@x' });
    assert.ok(r.ok);
    assert.deepEqual(r.value.enabled, ['slack', 'email']);
    assert.deepEqual(r.value.email?.to, ['a@x', 'b@y']);
    assert.doesNotMatch(r.value.sources.join('\n'), /secret|:p@/);
  });

  test('keepalived seeds e-mail; the environment wins where both say something', () => {
    const k = readKeepalivedEmail(fixture('keepalived-email.conf'));
    assert.ok(k.ok);
    const seeded = channelSettings({}, k.value);
    assert.ok(seeded.ok);
    assert.deepEqual(seeded.value.email, { smtpUrl: 'smtp://192.168.200.1:2525', to: ['acassen@firewall.loc', 'failover@firewall.loc', 'sysadmin@firewall.loc'], from: 'Alexandre.Cassen@firewall.loc' });
    const env = channelSettings({ ALERT_EMAIL_TO: 'oncall@x' }, k.value);
    assert.ok(env.ok);
    assert.deepEqual(env.value.email?.to, ['oncall@x']);
  });

  test('incomplete e-mail settings are a reason', () => {
    assert.deepEqual(channelSettings({ SMTP_URL: 'smtp://mail:25' }), { ok: false, reason: 'e-mail needs recipients: ALERT_EMAIL_TO or keepalived notification_email' });
    assert.deepEqual(channelSettings({ SMTP_URL: 'http://mail', ALERT_EMAIL_TO: 'a@x', ALERT_EMAIL_FROM: 'b@x' }), { ok: false, reason: 'SMTP_URL must be smtp:// or smtps://' });
    assert.equal(redactUrl('smtp://u:hunter2@h:25'), 'smtp://u:***@h:25');
  });
});
