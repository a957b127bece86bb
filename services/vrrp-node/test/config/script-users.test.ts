// Who runs each script (config/script-users.ts), with keepalived 2.2.7's rules, on a fake host: a
// missing user or group is an error at its place, the default is keepalived_script when it exists,
// and enable_script_security drops a root script whose path others can write.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { formatDiagnostic, loadConfig } from '../../src/config/load.js';
import type { ScriptHost } from '../../src/config/script-users.js';
import { conf, memfs } from './memfs.js';

const F = '/etc/keepalived/keepalived.conf';
const USERS: Record<string, { uid: number; gid: number }> = { root: { uid: 0, gid: 0 }, nobody: { uid: 65534, gid: 65534 }, app: { uid: 1000, gid: 1000 } };
const GROUPS: Record<string, number> = { root: 0, nogroup: 65534, staff: 50 };

function host(over: { users?: Record<string, { uid: number; gid: number }>; unsafe?: string[] } = {}): ScriptHost {
  const users = over.users ?? USERS;
  return {
    user: (n) => users[n],
    group: (n) => GROUPS[n],
    unsafe: (p) => (over.unsafe?.includes(p) === true ? `${p} is writable by others` : undefined),
  };
}

function load(text: string, h: ScriptHost = host()): ReturnType<typeof loadConfig> {
  return loadConfig(F, { ...memfs({ [F]: text }), scriptHost: h });
}

const instance = (...extra: string[]): string[] => ['vrrp_instance VI_1 {', 'interface eth0', 'virtual_router_id 51', 'track_script {', 'chk', '}', ...extra, 'virtual_ipaddress {', '10.10.10.129', '}', '}'];
const script = (...extra: string[]): string[] => ['vrrp_script chk {', 'script "/usr/local/bin/chk.sh"', ...extra, '}'];

describe('script users', () => {
  test('script_user nobody: every script without its own user runs as 65534:65534; a notify line or a vrrp_script user wins', () => {
    const r = load(conf('global_defs {', 'script_user nobody', '}', ...script(), ...instance('notify_master "/usr/local/bin/up.sh" app staff', 'notify_backup /usr/local/bin/down.sh')));
    assert.deepEqual(r.diagnostics.map(formatDiagnostic), []);
    const c = r.config!;
    assert.deepEqual([c.scripts[0]!.user?.uid, c.scripts[0]!.user?.gid], [65534, 65534]);
    const n = c.instances[0]!.notify;
    assert.deepEqual([n.master?.user?.uid, n.master?.user?.gid], [1000, 50]);
    assert.deepEqual([n.backup?.user?.uid, n.backup?.user?.gid], [65534, 65534]);
    const own = load(conf('global_defs {', 'script_user nobody', '}', ...script('user app'), ...instance())).config!;
    assert.equal(own.scripts[0]!.user?.uid, 1000);
  });

  test('a user or group that does not exist is an error at FILE:LINE:COL', () => {
    const r = load(conf('global_defs {', '  script_user ghost', '}', ...script('  user app nogroupx'), ...instance('  notify_master "/x.sh" phantom')));
    assert.equal(r.config, undefined);
    assert.deepEqual(r.diagnostics.map(formatDiagnostic), [
      `${F}:2:15: error: script_user: script user 'ghost' does not exist`,
      `${F}:6:8: error: user: script group 'nogroupx' does not exist`,
      `${F}:14:25: error: notify_master: script user 'phantom' does not exist`,
    ]);
  });

  test('no script_user: keepalived_script when it exists, else our own user (nothing set)', () => {
    const withKs = load(conf(...script(), ...instance()), host({ users: { ...USERS, keepalived_script: { uid: 998, gid: 997 } } })).config!;
    assert.deepEqual([withKs.scripts[0]!.user?.uid, withKs.scripts[0]!.user?.gid, withKs.global.scriptUser?.user], [998, 997, 'keepalived_script']);
    const without = load(conf(...script(), ...instance())).config!;
    assert.equal(without.scripts[0]!.user, undefined);
  });

  test('enable_script_security without script_user nor keepalived_script: an error (keepalived will not run scripts as root by default)', () => {
    const r = load(conf('global_defs {', 'enable_script_security', '}', ...script(), ...instance()));
    assert.equal(r.config, undefined);
    assert.match(r.diagnostics.map(formatDiagnostic).join('\n'), new RegExp(`^${F}:2:1: error: enable_script_security: no script_user, and the default script user keepalived_script does not exist`));
  });

  test('a root script whose path others can write: a warning; with enable_script_security it is dropped', () => {
    const unsafe = host({ unsafe: ['/usr/local/bin/chk.sh', '/usr/local/bin/up.sh'] });
    const text = (security: boolean): string => conf('global_defs {', 'script_user root', ...(security ? ['enable_script_security'] : []), '}', ...script(), ...instance('notify_master /usr/local/bin/up.sh', 'notify_backup /usr/local/bin/down.sh'));
    const lax = load(text(false), unsafe);
    assert.deepEqual(lax.diagnostics.map((d) => d.message), [
      "Unsafe permissions found for script '/usr/local/bin/chk.sh' (/usr/local/bin/chk.sh is writable by others)",
      "Unsafe permissions found for script '/usr/local/bin/up.sh' (/usr/local/bin/up.sh is writable by others)",
    ]);
    assert.equal(lax.config!.scripts.length, 1);
    const strict = load(text(true), unsafe);
    assert.deepEqual(strict.diagnostics.map((d) => `${d.severity}: ${d.message}`), [
      "warning: Unsafe permissions found for script '/usr/local/bin/chk.sh' - disabling (/usr/local/bin/chk.sh is writable by others)",
      "warning: Unsafe permissions found for script '/usr/local/bin/up.sh' - disabling (/usr/local/bin/up.sh is writable by others)",
    ]);
    const c = strict.config!;
    assert.deepEqual(c.scripts, [], 'the vrrp_script is not tracked');
    assert.equal(c.instances[0]!.notify.master, undefined, 'notify_master is not run');
    assert.equal(c.instances[0]!.notify.backup?.argv[0], '/usr/local/bin/down.sh');
  });

  test('a script run as a non-root user is not path-checked (keepalived checks only what root runs)', () => {
    const r = load(conf('global_defs {', 'script_user nobody', 'enable_script_security', '}', ...script(), ...instance()), host({ unsafe: ['/usr/local/bin/chk.sh'] }));
    assert.deepEqual(r.diagnostics, []);
    assert.equal(r.config!.scripts.length, 1);
  });
});
