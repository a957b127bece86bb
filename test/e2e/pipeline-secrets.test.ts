// Issue 4 proof, secrets: the tutorial pair with a distinctive auth_pass (PASS authentication) publishes
// to a nats-server that requires a user and password (the password given only through NATS_PASSWORD, as
// the CLI demands). After a failover and back, nothing the drill produced — the stream, the nodes' log
// lines, `vrrp-node status` (JSON and text), the files in each node's run dir — contains either secret.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { VrrpNodeProcess } from '../support/vrrp-node-process.js';
import { tutorialConfig, waitDrained } from '../support/vrrp-node-process.js';
import { PublishingPair } from '../support/publishing-pair.js';
import type { LabNats } from '../support/lab-services.js';
import { eventsOf } from '../support/lab-services.js';

// auth_pass is at most 8 characters (RFC 3768 §5.3.11), and keepalived.conf treats '#' and '!' as the
// start of a comment, so the distinctive password avoids them.
const AUTH_PASS = 'Zq7xpW2k';
const NATS_USER = 'hsnode';
const NATS_PASSWORD = 's3cr3t-NATS';
const SECRETS = [AUTH_PASS, NATS_PASSWORD];

function withPass(config: string): string {
  assert.match(config, /auth_pass 1234\n/);
  return config.replace('auth_pass 1234', `auth_pass ${AUTH_PASS}`);
}

/** Every regular file under `dir` (sockets and other special files skipped). */
function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    const st = statSync(p);
    if (st.isDirectory()) out.push(...filesUnder(p));
    else if (st.isFile()) out.push(p);
  }
  return out;
}


describe('pipeline: no secret leaks into events, logs, status or the outbox', () => {
  let pair: PublishingPair;
  let nats: LabNats;
  let node1: VrrpNodeProcess;
  let node2: VrrpNodeProcess;
  /** Everything the drill produced, by where it came from. */
  const produced = new Map<string, string>();

  before(async () => {
    pair = await PublishingPair.open('psec', {
      // The nodes' user needs its password; the test's stream reader connects without credentials and is
      // mapped to a second user (no_auth_user), whose password is not one of the secrets.
      nats: {
        extraConfig: `authorization { users: [ { user: ${NATS_USER}, password: "${NATS_PASSWORD}" }, { user: reader, password: "reader-pw" } ] }\nno_auth_user: reader`,
      },
      config: (role) => withPass(tutorialConfig(role)),
      nodeOptions: (url) => ({ args: ['--nats', url, '--nats-user', NATS_USER], env: { ...process.env, NATS_PASSWORD } }),
    });
    ({ nats, node1, node2 } = pair);
  });
  after(() => pair?.dispose());

  test('a failover and back with PASS auth and an authenticated NATS', { timeout: 120_000 }, async () => {
    await pair.startSettled(); // both drained: connected with user + password, the server accepted them
    let since2 = node2.logs.length;
    await node1.crash();
    await node2.waitState('VI_1', 'MASTER', 10_000, since2);
    since2 = node2.logs.length;
    const since1 = node1.logs.length;
    node1.start();
    await node1.waitState('VI_1', 'MASTER', 20_000, since1);
    await node2.waitState('VI_1', 'BACKUP', 10_000, since2);
    for (const node of [node1, node2]) {
      produced.set(`${node.node} status --json`, JSON.stringify(await node.status()));
      produced.set(`${node.node} status`, await node.statusText());
      for (const f of filesUnder(node.runDir)) produced.set(`${node.node} ${f}`, readFileSync(f, 'latin1'));
    }
    await waitDrained(node1);
    await waitDrained(node2);
    for (const node of [node1, node2]) {
      for (const f of filesUnder(node.runDir)) produced.set(`${node.node} ${f} (drained)`, readFileSync(f, 'latin1'));
      produced.set(`${node.node} logs`, node.logs.map((l) => JSON.stringify(l)).join('\n'));
    }
    const messages = await nats.readStream('HOTSTANDBY_EVENTS');
    produced.set('stream HOTSTANDBY_EVENTS', messages.map((m) => JSON.stringify(m)).join('\n'));
    const events = eventsOf(messages);
    assert.ok(events.some((e) => e.event.kind === 'transition' && e.event['to'] === 'MASTER' && e.event.nodeId.endsWith('10.10.10.127')), 'the failover is in the stream');
    assert.ok(events.some((e) => e.event.kind === 'heartbeat'));
  });

  for (const secret of SECRETS) {
    test(`nothing produced contains ${secret === AUTH_PASS ? 'auth_pass' : 'the NATS password'}`, () => {
      assert.ok(produced.size > 6, `the drill produced output to search (${produced.size} sources)`);
      const total = [...produced.values()].reduce((n, t) => n + t.length, 0);
      console.log(`# searched ${produced.size} sources, ${total} bytes, for ${JSON.stringify(secret)}`);
      // Also the hex of the secret: anomaly samples and packet dumps are hex.
      const hex = Buffer.from(secret).toString('hex');
      const leaks = [...produced].filter(([, text]) => text.includes(secret) || text.toLowerCase().includes(hex)).map(([where]) => where);
      assert.deepEqual(leaks, [], `the secret appears in: ${leaks.join(', ')}`);
    });
  }
});
