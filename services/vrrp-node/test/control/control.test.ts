import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ControlServer } from '../../src/control/control-server.js';
import { askNode } from '../../src/control/control-client.js';
import { defaultRunDir } from '../../src/control/run-dir.js';

test('status travels over the control socket', async () => {
  const sock = join(mkdtempSync(join(tmpdir(), 'hs-ctl-')), 'control.sock');
  const server = new ControlServer(sock, (req) => {
    if (req.cmd === 'status') return { instances: [{ name: 'VI_1', state: 'MASTER' }] };
    throw new Error(`unknown command ${req.cmd}`);
  });
  await server.listen();
  try {
    assert.deepEqual(await askNode(sock, 'status'), { instances: [{ name: 'VI_1', state: 'MASTER' }] });
    await assert.rejects(askNode(sock, 'bogus'), /unknown command bogus/);
  } finally {
    await server.close();
  }
});

test('a node that is not running is a clear error', async () => {
  await assert.rejects(askNode('/nonexistent/control.sock', 'status'), /cannot reach .*ENOENT.*is vrrp-node running/);
});

test('two configs with the same router_id get different run dirs', () => {
  assert.notEqual(defaultRunDir('/etc/a/keepalived.conf', 'LVS_DEVEL'), defaultRunDir('/etc/b/keepalived.conf', 'LVS_DEVEL'));
  assert.match(defaultRunDir('/etc/a/keepalived.conf', 'LVS_DEVEL'), /^\/run\/hotstandby\/LVS_DEVEL-[0-9a-f]{10}$/);
});
