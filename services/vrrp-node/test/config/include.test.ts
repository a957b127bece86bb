// `include` as keepalived does it: glob patterns relative to the including file, sorted matches,
// spliced in place (even inside a block), plus @id conditional lines and $NAME definitions.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { formatDiagnostic, loadConfig } from '../../src/config/load.js';
import { conf, memfs } from './memfs.js';

const vi = (name: string, vrid: number, vip: string): string =>
  conf(`vrrp_instance ${name} {`, '  interface eth0', `  virtual_router_id ${vrid}`, `  virtual_ipaddress { ${vip} }`, '}');

describe('include', () => {
  test('a relative glob is relative to the including file; matches are read in sorted order', () => {
    const fs = memfs({
      '/etc/keepalived/keepalived.conf': conf('include conf.d/*.conf'),
      '/etc/keepalived/conf.d/20-b.conf': vi('VI_B', 52, '10.0.0.2'),
      '/etc/keepalived/conf.d/10-a.conf': vi('VI_A', 51, '10.0.0.1'),
      '/etc/keepalived/conf.d/notes.txt': 'garbage {',
    });
    const r = loadConfig('/etc/keepalived/keepalived.conf', fs);
    assert.deepEqual(r.diagnostics, []);
    assert.deepEqual(r.config?.instances.map((i) => i.name), ['VI_A', 'VI_B']);
    assert.deepEqual(r.config?.files, ['/etc/keepalived/keepalived.conf', '/etc/keepalived/conf.d/10-a.conf', '/etc/keepalived/conf.d/20-b.conf']);
  });

  test('nested includes resolve against each file\'s own directory; braces and ? work', () => {
    const fs = memfs({
      '/k/main.conf': conf('include sub/{one,two}.conf'),
      '/k/sub/one.conf': conf('include deeper/vi?.conf'),
      '/k/sub/deeper/vi1.conf': vi('VI_1', 1, '10.0.0.1'),
      '/k/sub/two.conf': vi('VI_2', 2, '10.0.0.2'),
    });
    const r = loadConfig('/k/main.conf', fs);
    assert.deepEqual(r.diagnostics, []);
    assert.deepEqual(r.config?.instances.map((i) => i.name), ['VI_1', 'VI_2']);
  });

  test('an include inside a block is spliced in place; diagnostics point into the included file', () => {
    const fs = memfs({
      '/k/main.conf': conf('vrrp_instance VI_1 {', '  include /k/body.conf', '  virtual_router_id 7', '}'),
      '/k/body.conf': conf('interface eth0', 'virtual_ipaddress {', '  10.0.0.1', '}', 'priority 256'),
    });
    const r = loadConfig('/k/main.conf', fs);
    assert.deepEqual(r.diagnostics.map(formatDiagnostic), ["/k/body.conf:5:10: error: priority must be 1..255 (got '256')"]);
  });

  test('no match is only a warning, as keepalived only logs it', () => {
    const r = loadConfig('/k/main.conf', memfs({ '/k/main.conf': conf('include /k/none/*.conf') + vi('VI_1', 1, '10.0.0.1') }));
    assert.deepEqual(r.diagnostics.map(formatDiagnostic), ["/k/main.conf:1:9: warning: no config files matched '/k/none/*.conf'"]);
    assert.equal(r.config?.instances.length, 1);
  });

  test('an include loop is an error at the include that closes it, and reading terminates', () => {
    const fs = memfs({
      '/k/a.conf': conf('! a', 'include b.conf'),
      '/k/b.conf': conf('include a.conf'),
    });
    const r = loadConfig('/k/a.conf', fs);
    assert.deepEqual(r.diagnostics.map(formatDiagnostic), ['/k/b.conf:1:9: error: include loop: /k/a.conf -> /k/b.conf -> /k/a.conf; not included again']);
    assert.deepEqual(fs.reads, ['/k/a.conf', '/k/b.conf']);
  });

  test('a file including itself through a glob is a loop too', () => {
    const r = loadConfig('/k/a.conf', memfs({ '/k/a.conf': conf('include *.conf') }));
    assert.deepEqual(r.diagnostics.map(formatDiagnostic), ['/k/a.conf:1:9: error: include loop: /k/a.conf -> /k/a.conf; not included again']);
  });
});

describe('conditional lines and definitions', () => {
  const text = conf(
    '$VIP=10.0.0.9',
    'vrrp_instance VI_1 {',
    '  interface eth0',
    '  virtual_router_id 1',
    '@node-a  priority 150',
    '@^node-a priority 50',
    '  virtual_ipaddress { ${VIP}/24 }',
    '}',
  );
  test('@ID lines apply only with config id ID, @^ID only without it; $NAME is substituted', () => {
    const a = loadConfig('/k.conf', { ...memfs({ '/k.conf': text }), configId: 'node-a' });
    assert.deepEqual(a.diagnostics, []);
    assert.deepEqual([a.config?.instances[0]?.priority, a.config?.instances[0]?.virtualIpAddresses[0]?.address], [150, '10.0.0.9']);
    const b = loadConfig('/k.conf', memfs({ '/k.conf': text }));
    assert.equal(b.config?.instances[0]?.priority, 50);
  });
  test('a kept @ID line keeps its real columns', () => {
    const bad = text.replace('priority 150', 'priority 999');
    const a = loadConfig('/k.conf', { ...memfs({ '/k.conf': bad }), configId: 'node-a' });
    assert.deepEqual(a.diagnostics.map(formatDiagnostic), ["/k.conf:5:19: error: priority must be 1..255 (got '999')"]);
  });
});
