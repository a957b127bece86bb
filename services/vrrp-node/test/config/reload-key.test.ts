// A reload keeps an instance whose definition did not change, wherever its lines moved to: the key
// ignores source locations at every depth (a notify line's `user` carries one), and still sees a real
// change.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfig } from '../../src/config/load.js';
import type { ScriptHost } from '../../src/config/script-users.js';
import { reloadKey } from '../../src/config/reload-key.js';
import { memfs } from './memfs.js';

const F = '/etc/keepalived/keepalived.conf';
const host: ScriptHost = { user: (n) => (n === 'nobody' ? { uid: 65534, gid: 65534 } : n === 'root' ? { uid: 0, gid: 0 } : undefined), group: () => undefined, unsafe: () => undefined };
const TEXT = [
  'global_defs {',
  '  script_user nobody',
  '}',
  'vrrp_instance VI_1 {',
  '  interface eth0',
  '  virtual_router_id 51',
  '  priority 100',
  '  notify_master "/usr/local/bin/became-master.sh" root',
  '  virtual_ipaddress {',
  '    10.10.10.129/24 dev eth0 label eth0:vip',
  '  }',
  '}',
].join('\n');

function instanceKey(text: string): string {
  const r = loadConfig(F, { ...memfs({ [F]: text }), scriptHost: host });
  assert.deepEqual(r.diagnostics.filter((d) => d.severity === 'error'), []);
  return reloadKey(r.config!.instances[0]);
}

test('lines moved by a comment above the instance: same key', () => {
  assert.equal(instanceKey(`# edited on call, 03:12\n\n${TEXT}`), instanceKey(TEXT));
});

test('a changed priority: another key', () => {
  assert.notEqual(instanceKey(TEXT.replace('priority 100', 'priority 101')), instanceKey(TEXT));
});

test('a changed notify user: another key', () => {
  assert.notEqual(instanceKey(TEXT.replace('became-master.sh" root', 'became-master.sh" nobody')), instanceKey(TEXT));
});
