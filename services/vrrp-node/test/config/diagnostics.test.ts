// One test per class of problem, each asserting the exact FILE:LINE:COL a user sees from `vrrp-node -t`.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { checkConfig, formatDiagnostic, loadConfig } from '../../src/config/load.js';
import { conf, memfs } from './memfs.js';

const instance = (...body: string[]): string =>
  conf('vrrp_instance VI_1 {', ...body.map((l) => `    ${l}`), '}');
const BASE = ['state MASTER', 'interface eth0', 'virtual_router_id 51', 'priority 100', 'advert_int 1',
  'virtual_ipaddress {', '    10.10.10.129', '}'];
const swap = (key: string, line: string | undefined): string[] =>
  line === undefined ? BASE.filter((l) => !l.startsWith(key)) : BASE.map((l) => (l.startsWith(key) ? line : l));

function diags(text: string): string[] {
  return loadConfig('/etc/keepalived/keepalived.conf', memfs({ '/etc/keepalived/keepalived.conf': text })).diagnostics.map(formatDiagnostic);
}
const F = '/etc/keepalived/keepalived.conf';

describe('values out of range are errors naming the range', () => {
  test('virtual_router_id 300', () => {
    assert.deepEqual(diags(instance(...swap('virtual_router_id', 'virtual_router_id 300'))), [
      `${F}:4:23: error: virtual_router_id must be 1..255 (got '300')`,
    ]);
  });
  test('priority 0 and a non-number', () => {
    assert.deepEqual(diags(instance(...swap('priority', 'priority 0'))), [`${F}:5:14: error: priority must be 1..255 (got '0')`]);
    assert.deepEqual(diags(instance(...swap('priority', 'priority high'))), [`${F}:5:14: error: priority must be 1..255 (got 'high')`]);
  });
  test('advert_int 0 and 300', () => {
    assert.deepEqual(diags(instance(...swap('advert_int', 'advert_int 0'))), [`${F}:6:16: error: advert_int must be 0.01..255 seconds (got '0')`]);
    assert.deepEqual(diags(instance(...swap('advert_int', 'advert_int 300'))), [`${F}:6:16: error: advert_int must be 0.01..255 seconds (got '300')`]);
  });
  test('global vrrp_version 4', () => {
    assert.deepEqual(diags(conf('global_defs {', '  vrrp_version 4', '}') + instance(...BASE)), [
      `${F}:2:16: error: vrrp_version must be 2..3 (got '4')`,
    ]);
  });
  test('a bad address in virtual_ipaddress and a bad prefix', () => {
    assert.deepEqual(diags(instance(...swap('    10.10.10.129', '    10.10.10.300'))), [
      `${F}:8:9: error: '10.10.10.300' is not an IPv4 or IPv6 address`,
    ]);
    assert.deepEqual(diags(instance(...swap('    10.10.10.129', '    10.10.10.129/33'))), [
      `${F}:8:9: error: prefix length must be 0..32 (got '/33')`,
    ]);
  });
  test('a keyword without its value', () => {
    assert.deepEqual(diags(instance(...swap('state', 'state'))), [`${F}:2:5: error: state needs a value`]);
  });
});

describe('keepalived completion rules', () => {
  test('missing interface is an error at the instance name', () => {
    assert.deepEqual(diags(instance(...swap('interface', undefined))), [`${F}:1:15: error: (VI_1) no interface specified`]);
  });
  test('missing virtual_router_id is an error', () => {
    assert.deepEqual(diags(instance(...swap('virtual_router_id', undefined))), [
      `${F}:1:15: error: (VI_1) the virtual router id must be set (virtual_router_id 1..255)`,
    ]);
  });
  test('duplicate VRID on the same interface and family is an error at the second one; other interface is fine', () => {
    const two = instance(...BASE) + conf('vrrp_instance VI_2 {', '    interface eth0', '    virtual_router_id 51',
      '    virtual_ipaddress {', '        10.10.10.130', '    }', '}');
    assert.deepEqual(diags(two), [`${F}:13:23: error: (VI_2) VRID 51 is already used by VI_1 on interface eth0 (IPv4)`]);
    assert.deepEqual(diags(two.replace('    interface eth0\n    virtual_router_id 51\n    virtual_ipaddress {\n        10.10.10.130', '    interface eth1\n    virtual_router_id 51\n    virtual_ipaddress {\n        10.10.10.130')), []);
  });
  test('PASS authentication with VRRPv3 is ignored with keepalived\'s warning', () => {
    const text = conf('global_defs {', '  vrrp_version 3', '}') + instance(...BASE, 'authentication {', '    auth_type PASS', '    auth_pass secret12', '}');
    const r = loadConfig(F, memfs({ [F]: text }));
    assert.deepEqual(r.diagnostics.map(formatDiagnostic), [`${F}:14:9: warning: (VI_1) VRRP version 3 does not support authentication; ignored`]);
    assert.equal(r.config?.instances[0]?.authentication, undefined);
  });
  test('auth_pass longer than 8 characters is truncated with a warning that does not print it', () => {
    const text = instance(...BASE, 'authentication {', '    auth_type PASS', '    auth_pass verysecretpw', '}');
    const r = loadConfig(F, memfs({ [F]: text }));
    assert.deepEqual(r.diagnostics.map(formatDiagnostic), [`${F}:12:19: warning: auth_pass is longer than 8 characters; truncated to 8 (as keepalived does)`]);
    assert.deepEqual(r.config?.instances[0]?.authentication, { type: 'PASS', password: 'verysecr' });
  });
  test('VRRPv2 with a sub-second advert_int is rounded with a warning; VRRPv3 keeps it', () => {
    const v2 = loadConfig(F, memfs({ [F]: instance(...swap('advert_int', 'advert_int 0.3')) }));
    assert.deepEqual(v2.diagnostics.map(formatDiagnostic), [
      `${F}:6:16: warning: (VI_1) VRRPv2 advert_int 0.3 s must be whole seconds (sub-second intervals need vrrp_version 3); rounded to 1 s`,
    ]);
    assert.equal(v2.config?.instances[0]?.advertIntervalCs, 100);
    const v3 = loadConfig(F, memfs({ [F]: conf('global_defs {', '  vrrp_version 3', '}') + instance(...swap('advert_int', 'advert_int 0.1')) }));
    assert.deepEqual(v3.diagnostics, []);
    assert.equal(v3.config?.instances[0]?.advertIntervalCs, 10);
  });
  test('IPv6 VIPs with an explicit version 2 are an error', () => {
    assert.deepEqual(diags(instance(...swap('    10.10.10.129', '    fe80::129/64'), 'version 2')), [
      `${F}:1:15: error: (VI_1) IPv6 virtual addresses need VRRP version 3 (RFC 3768 VRRPv2 is IPv4 only)`,
    ]);
  });
  test('priority 255 with state BACKUP: a warning, the owner takes over at once', () => {
    assert.deepEqual(diags(instance(...swap('state', 'state BACKUP').map((l) => (l === 'priority 100' ? 'priority 255' : l)))), [
      `${F}:5:14: warning: (VI_1) priority 255 makes this router the address owner: it takes over as MASTER at once despite state BACKUP`,
    ]);
  });
  test('no priority: state MASTER means 255 (keepalived derives it), otherwise 100', () => {
    const m = loadConfig(F, memfs({ [F]: instance(...swap('priority', undefined)) }));
    assert.equal(m.config?.instances[0]?.priority, 255);
    const b = loadConfig(F, memfs({ [F]: instance(...swap('priority', undefined).filter((l) => !l.startsWith('state'))) }));
    assert.deepEqual([b.config?.instances[0]?.priority, b.config?.instances[0]?.initialState], [100, 'BACKUP']);
  });
  test('nopreempt with state MASTER is cleared with a warning', () => {
    assert.deepEqual(diags(instance(...BASE, 'nopreempt')), [`${F}:10:5: warning: (VI_1) nopreempt does not work with initial state MASTER; cleared`]);
  });
  test('VIPs of both families in one instance: the other family is ignored', () => {
    assert.deepEqual(diags(instance(...BASE.slice(0, 7), '    2001:db8::1', '}')), [
      `${F}:9:9: warning: 2001:db8::1 is IPv6 but VI_1 is IPv4; ignored`,
    ]);
  });
  test('track_script naming an unknown vrrp_script is ignored with a warning', () => {
    assert.deepEqual(diags(instance(...BASE, 'track_script {', '    chk_nothing', '}')), [
      `${F}:11:9: warning: (VI_1) track script chk_nothing not found; ignored`,
    ]);
  });
});

describe('unsupported, unknown and malformed input', () => {
  test('a known keepalived section hotstandby does not implement: warning, file loads', () => {
    const r = loadConfig(F, memfs({ [F]: conf('static_ipaddress {', '  192.168.1.1/24 dev eth0', '}') + instance(...BASE) }));
    assert.deepEqual(r.diagnostics.map(formatDiagnostic), [`${F}:1:1: warning: keyword static_ipaddress is not supported by hotstandby; ignored`]);
    assert.equal(r.config?.instances.length, 1);
  });
  test('a known instance keyword not implemented (use_vmac) and a truly unknown one', () => {
    assert.deepEqual(diags(instance(...BASE, 'use_vmac', 'prority 100')), [
      `${F}:10:5: warning: keyword use_vmac is not supported by hotstandby; ignored`,
      `${F}:11:5: warning: unknown keyword 'prority' in vrrp_instance; ignored`,
    ]);
  });
  test("an extra '}' and a missing '}' are errors", () => {
    assert.deepEqual(diags(instance(...BASE) + '}\n'), [`${F}:11:1: error: extra '}' with no block to close`]);
    assert.deepEqual(diags(instance(...BASE).replace(/}\n$/, '')), [`${F}:1:20: error: missing '}' for the block opened here`]);
  });
  test('an unterminated quote is an error at the quote', () => {
    assert.deepEqual(diags(instance(...BASE, 'notify_master "/bin/x')), [
      `${F}:10:5: error: notify_master: missing terminating "`,
      `${F}:10:19: error: unterminated double quote; the rest of the line is ignored`,
    ]);
  });
  test('an invalid boolean names the accepted words', () => {
    assert.deepEqual(diags(instance(...BASE, 'smtp_alert maybe')), [`${F}:10:16: error: smtp_alert takes on|off|true|false|yes|no (got 'maybe')`]);
  });
});

describe('vrrp-node -t (checkConfig)', () => {
  test('exit 0 with warnings printed, exit 1 on errors, compiler-style lines and a summary', () => {
    const ok = checkConfig(F, memfs({ [F]: instance(...BASE, 'use_vmac') }));
    assert.equal(ok.exitCode, 0);
    assert.deepEqual(ok.lines, [
      `${F}:10:5: warning: keyword use_vmac is not supported by hotstandby; ignored`,
      `${F}: configuration OK (1 instance, 1 warning)`,
    ]);
    const bad = checkConfig(F, memfs({ [F]: instance(...swap('virtual_router_id', 'virtual_router_id 0')) }));
    assert.equal(bad.exitCode, 1);
    assert.equal(bad.lines.at(-1), `${F}: configuration has 1 error and 0 warnings`);
    assert.equal(bad.result.config, undefined);
  });
  test('an auth_pass never appears in any printed line', () => {
    const secret = 'Tr0ub4dor&3xyz';
    const text = conf('global_defs {', `  router_id ${secret}`, '}') + instance(...BASE, 'authentication {', '    auth_type PASS', `    auth_pass ${secret}`, `    auth_pass ${secret} again`, '}', `unknown_thing ${secret}`);
    const out = checkConfig(F, memfs({ [F]: text })).lines.join('\n');
    assert.ok(!out.includes(secret), out);
    assert.ok(!out.includes(secret.slice(0, 8)), out);
  });
  test('router_id defaults to the injected host name, and the e-mail sender to keepalived@host', () => {
    const r = loadConfig(F, memfs({ [F]: instance(...BASE) }, 'kiwi'));
    assert.deepEqual([r.config?.global.routerId, r.config?.global.notificationEmailFrom], ['kiwi', 'keepalived@kiwi']);
  });
  test('a missing main file is an error', () => {
    const r = loadConfig('/nope.conf', memfs({}));
    assert.deepEqual(r.diagnostics.map(formatDiagnostic), ['/nope.conf:0:0: error: cannot read /nope.conf: ENOENT: no such file']);
  });
});
