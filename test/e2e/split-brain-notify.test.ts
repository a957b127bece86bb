// Issue 6's last proof (and issue 5's drill, carried to the end): the tutorial pair in a namespace lab
// publishes to a real nats-server; a real vrrp-auditor raises the split-brain alert; a real
// vrrp-notifier delivers it to a Slack stand-in and a real SMTP server. NATS, the auditor, the
// notifier and both sinks run in the lab's bridge namespace (the notifier must reach NATS on
// 10.10.10.1, so its sinks live on that namespace's loopback). Partition the VRRP LAN → one Slack
// payload and one e-mail; heal → one "resolved" payload and one "Resolved:" e-mail in the same thread.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createLab } from '../lab/lab.js';
import type { Lab } from '../lab/lab.js';
import { VrrpNodeProcess, tutorialConfig } from '../support/vrrp-node-process.js';
import { LabAuditor, LabNats } from '../support/lab-services.js';
import { LabNotifySinks } from '../support/notify-sinks.js';
import { createTestDatabase } from '../support/postgres.js';
import type { TestDatabase } from '../support/postgres.js';

const NOTIFIER_RUN_TS = fileURLToPath(new URL('../../services/notifier/src/cli/run.ts', import.meta.url));
const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const TO = 'oncall@lab.example';
const FROM = 'keepalived@lab.example';
const TITLE = 'Split brain: VRID 51 on 10.10.10.0/24';
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

interface ApiAlert {
  id: string;
  kind: string;
  state: string;
  vrid: number | null;
  nodes: string[];
}

describe('split brain, end to end to Slack and e-mail', () => {
  let db: TestDatabase;
  let lab: Lab;
  let nats: LabNats;
  let auditor: LabAuditor;
  let sinks: LabNotifySinks;
  let notifier: ChildProcess | undefined;
  const notifierOut = { text: '' };
  let dir: string;
  let node1: VrrpNodeProcess;
  let node2: VrrpNodeProcess;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'hs-sbn-'));
    db = await createTestDatabase('hs_sbn');
    lab = await createLab({
      name: 'sbn',
      nodes: [
        { name: 'node1', addresses: ['10.10.10.126/24'] },
        { name: 'node2', addresses: ['10.10.10.127/24'] },
      ],
    });
    nats = await LabNats.start(lab);
    auditor = await LabAuditor.start(lab, { natsUrl: nats.url, database: db });
    sinks = await LabNotifySinks.start(lab);

    // Only split-brain alerts go to Slack and e-mail here: the partition can also raise VIP drift (the
    // VIP is on both masters) or flapping, each a message of its own or grouped into this one, and
    // this drill counts the split brain's messages. Everything else goes nowhere.
    const routes = join(dir, 'routes.json');
    writeFileSync(routes, JSON.stringify({ routes: [{ kinds: ['split-brain'], channels: ['slack', 'email'] }], default: [] }));
    const user = decodeURIComponent(new URL(db.url).username) || 'root';
    const child = lab.spawn(lab.lan, [process.execPath, '--conditions=source', '--import', 'tsx', NOTIFIER_RUN_TS, 'serve', '--config', routes], {
      stdio: ['ignore', 'pipe', 'pipe'],
      cwd: REPO_ROOT,
      env: {
        PATH: process.env['PATH'] ?? '',
        HOME: process.env['HOME'] ?? '/tmp',
        // The send records in the auditor's database (schema `notifier`), through Postgres' Unix socket.
        PGHOST: '/var/run/postgresql',
        PGUSER: user,
        DATABASE_URL: `postgres:///${db.name}`,
        NATS_URL: nats.url,
        SLACK_WEBHOOK_URL: sinks.slackUrl,
        SMTP_URL: sinks.smtpUrl,
        ALERT_EMAIL_TO: TO,
        ALERT_EMAIL_FROM: FROM,
        AUDITOR_URL: `http://${auditor.listen}`,
      },
    });
    notifier = child;
    child.stdout?.on('data', (c: Buffer) => (notifierOut.text += c.toString()));
    child.stderr?.on('data', (c: Buffer) => (notifierOut.text += c.toString()));
    const until = Date.now() + 120_000;
    while (!/vrrp-notifier: serving/.test(notifierOut.text)) {
      if (child.exitCode !== null) assert.fail(`the notifier exited (${child.exitCode}):\n${notifierOut.text}`);
      if (Date.now() > until) assert.fail(`the notifier did not start:\n${notifierOut.text}`);
      await sleep(100);
    }

    node1 = new VrrpNodeProcess(lab, 'node1', tutorialConfig('master'), { args: ['--nats', nats.url] });
    node2 = new VrrpNodeProcess(lab, 'node2', tutorialConfig('backup'), { args: ['--nats', nats.url] });
  });

  after(async () => {
    await node1?.stop();
    await node2?.stop();
    if (notifier?.pid !== undefined && notifier.exitCode === null && notifier.signalCode === null) {
      const exited = new Promise<void>((resolve) => notifier!.once('exit', () => resolve()));
      process.kill(notifier.pid, 'SIGTERM');
      await exited;
    }
    await sinks?.stop();
    await auditor?.stop();
    await nats?.dispose();
    await lab?.destroy();
    await db?.drop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('partition → one Slack payload and one e-mail; heal → one resolved of each, threaded; exactly two per channel, in order', { timeout: 240_000 }, async () => {
    node1.start();
    node2.start();
    await node1.waitState('VI_1', 'MASTER', 30_000);
    await node2.waitState('VI_1', 'BACKUP', 30_000);
    const ids = [(await node1.status()).nodeId, (await node2.status()).nodeId];
    assert.equal(sinks.slack.length + sinks.email.length, 0, 'nothing is sent while all is well');

    const since2 = node2.logs.length;
    await lab.partition();
    await node2.waitState('VI_1', 'MASTER', 10_000, since2);
    await sinks.waitFor('the split brain on Slack and by e-mail', () => sinks.slack.length >= 1 && sinks.email.length >= 1, 60_000);
    const open = (await auditor.get<{ alerts: ApiAlert[] }>('/api/v1/alerts?state=open')).body.alerts.filter((a) => a.kind === 'split-brain');
    assert.equal(open.length, 1, 'exactly one split-brain alert is open');
    assert.deepEqual([...open[0]!.nodes].sort(), [...ids].sort());

    const sinceHeal = node2.logs.length;
    await lab.heal();
    await node2.waitState('VI_1', 'BACKUP', 10_000, sinceHeal);
    await sinks.waitFor('the resolved follow-ups', () => sinks.slack.length >= 2 && sinks.email.length >= 2, 60_000);
    await sleep(3_000); // and nothing more arrives

    // Slack: the raised message, then the resolved one, each with a valid Block Kit payload.
    assert.deepEqual(sinks.invalid, []);
    assert.deepEqual(
      sinks.slack.map((p) => p.header),
      [`:rotating_light: ${TITLE}`, `:white_check_mark: Resolved: ${TITLE}`],
    );
    for (const id of ids) assert.match(JSON.stringify(sinks.slack[0]!.blocks), new RegExp(id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')), `the Slack message names ${id}`);
    assert.match(JSON.stringify(sinks.slack[0]!.blocks), /timeline\?domain=/);

    // E-mail: the same two, the resolved one in the raised one's thread.
    assert.deepEqual(
      sinks.email.map((m) => m.subject),
      [`[hotstandby] ${TITLE}`, `Resolved: [hotstandby] ${TITLE}`],
    );
    const [raised, resolved] = sinks.email;
    assert.ok(raised!.messageId, 'the raised e-mail has a Message-ID');
    assert.equal(resolved!.inReplyTo, raised!.messageId);
    assert.deepEqual(resolved!.references, [raised!.messageId]);
    assert.deepEqual(raised!.envelopeTo, [TO]);
    assert.match(raised!.from, new RegExp(FROM));
    // The auditor's summary, the nodes and the evidence, as a person reads them in the mail.
    assert.match(raised!.text, /MASTER of VRID 51 on 10\.10\.10\.0\/24/);
    for (const id of ids) assert.ok(raised!.text.includes(id), `the e-mail names ${id}`);
    assert.deepEqual(sinks.email.map((m) => m.possibleDuplicate), [undefined, undefined]);

    const all = (await auditor.get<{ alerts: ApiAlert[] }>('/api/v1/alerts?state=all')).body.alerts.filter((a) => a.kind === 'split-brain');
    assert.deepEqual(
      all.map((a) => [a.id, a.state]),
      [[open[0]!.id, 'resolved']],
    );
  });
});
