// Real configs must load like keepalived loads them: the tutorial's two nodes verbatim, the mutual hot
// standby variant, keepalived's own doc/samples, and the configs of the captured keepalived runs.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { nodeConfigReader } from '../../src/config/include.js';
import { formatDiagnostic, loadConfig } from '../../src/config/load.js';
import type { KeepalivedConfig, VrrpInstance } from '../../src/config/model.js';

const fixture = (name: string): string => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
const load = (name: string, hostname = 'lab-node') => loadConfig(fixture(name), { ...nodeConfigReader(), hostname });

function loaded(name: string): { config: KeepalivedConfig; warnings: string[] } {
  const r = load(name);
  assert.ok(r.config, `${name} should load:\n${r.diagnostics.map(formatDiagnostic).join('\n')}`);
  return { config: r.config, warnings: r.diagnostics.map(formatDiagnostic) };
}

const instance = (c: KeepalivedConfig, name: string): VrrpInstance => {
  const i = c.instances.find((x) => x.name === name);
  assert.ok(i, `instance ${name}`);
  return i;
};

describe('the tutorial two-node hot standby (DESIGN.md), verbatim', () => {
  test('node 1: MASTER, priority 100, VRRPv2 PASS 1234, VIP 10.10.10.129 on eth0, no warnings', () => {
    const { config, warnings } = loaded('tutorial/node1.conf');
    assert.deepEqual(warnings, []);
    assert.equal(config.global.routerId, 'LVS_DEVEL');
    assert.deepEqual(config.global.notificationEmail, ['root@localhost']);
    assert.equal(config.global.notificationEmailFrom, 'root@localhost');
    assert.deepEqual(config.global.smtpServer, { host: 'localhost', port: 25 });
    assert.equal(config.global.smtpConnectTimeoutUs, 30_000_000);
    const vi1 = instance(config, 'VI_1');
    assert.deepEqual(
      {
        state: vi1.initialState, iface: vi1.interface, vrid: vi1.vrid, prio: vi1.priority, v: vi1.version,
        fam: vi1.family, adv: vi1.advertIntervalCs, auth: vi1.authentication, preempt: vi1.preempt,
        vips: vi1.virtualIpAddresses.map((a) => `${a.address}/${a.prefixLength}`),
      },
      {
        state: 'MASTER', iface: 'eth0', vrid: 51, prio: 100, v: 2, fam: 'ipv4', adv: 100,
        auth: { type: 'PASS', password: '1234' }, preempt: true, vips: ['10.10.10.129/32'],
      },
    );
    // keepalived defaults the fixtures README measured: 5 GARPs at once, 5 more 5 s later.
    assert.deepEqual(vi1.garp, { masterDelayUs: 5_000_000, masterRepeat: 5, masterRefreshUs: 0, masterRefreshRepeat: 1 });
  });

  test('node 2: BACKUP, priority 99, otherwise identical', () => {
    const { config, warnings } = loaded('tutorial/node2.conf');
    assert.deepEqual(warnings, []);
    const vi1 = instance(config, 'VI_1');
    assert.equal(vi1.initialState, 'BACKUP');
    assert.equal(vi1.priority, 99);
    assert.equal(vi1.vrid, 51);
  });

  test('mutual hot standby: each node is MASTER of one VIP and BACKUP of the other', () => {
    for (const [node, master] of [['1', 'VI_1'], ['2', 'VI_2']] as const) {
      const { config, warnings } = loaded(`tutorial/mutual-node${node}.conf`);
      assert.deepEqual(warnings, []);
      const byName = Object.fromEntries(config.instances.map((i) => [i.name, i]));
      assert.deepEqual(Object.keys(byName), ['VI_1', 'VI_2']);
      assert.equal(byName.VI_1?.vrid, 51);
      assert.equal(byName.VI_2?.vrid, 52);
      assert.equal(byName.VI_2?.virtualIpAddresses[0]?.address, '10.10.10.130');
      for (const i of config.instances) {
        assert.equal(i.initialState, i.name === master ? 'MASTER' : 'BACKUP');
        assert.equal(i.priority, i.name === master ? 100 : 99);
      }
    }
  });
});

describe('configs of the captured keepalived runs (fixtures/captures)', () => {
  test('v2 priority-0 pair loads with the tutorial values', () => {
    assert.equal(instance(loaded('captures/v2-prio0-vr1.conf').config, 'VI_1').priority, 100);
    assert.equal(instance(loaded('captures/v2-prio0-vr2.conf').config, 'VI_1').priority, 99);
  });

  test('unicast pair: source and peer', () => {
    const vi1 = instance(loaded('captures/v2-unicast-vr1.conf').config, 'VI_1');
    assert.equal(vi1.unicastSrcIp, '10.10.10.126');
    assert.deepEqual(vi1.unicastPeers, ['10.10.10.127']);
    const vr2 = instance(loaded('captures/v2-unicast-vr2.conf').config, 'VI_1');
    assert.deepEqual([vr2.unicastSrcIp, vr2.unicastPeers], ['10.10.10.127', ['10.10.10.126']]);
  });

  test('VRRPv3/IPv4 with v3_checksum_as_v2 (global vrrp_version 3)', () => {
    for (const n of ['vr1', 'vr2']) {
      const { config, warnings } = loaded(`captures/v3-ipv4-rfc9568-checksum-${n}.conf`);
      assert.deepEqual(warnings, []);
      const vi1 = instance(config, 'VI_1');
      assert.deepEqual([vi1.version, vi1.v3ChecksumAsV2, vi1.advertIntervalCs, vi1.authentication], [3, true, 100, undefined]);
    }
  });

  test('IPv6 VIPs make the instance VRRPv3/IPv6 without saying so; first VIP is link local', () => {
    const { config, warnings } = loaded('captures/v3-ipv6-vr1.conf');
    assert.deepEqual(warnings, []);
    const vi6 = instance(config, 'VI_6');
    assert.deepEqual([vi6.version, vi6.family], [3, 'ipv6']);
    assert.deepEqual(vi6.virtualIpAddresses.map((a) => `${a.address}/${a.prefixLength}`), ['fe80::129/64', '2001:db8:10::129/64']);
    assert.equal(instance(loaded('captures/v3-ipv6-vr2.conf').config, 'VI_6').priority, 99);
  });
});

describe("keepalived's doc/samples", () => {
  test('keepalived.conf.vrrp: four instances on two interfaces, garp_master_delay, smtp_alert, no state means BACKUP', () => {
    const { config, warnings } = loaded('samples/keepalived.conf.vrrp');
    assert.deepEqual(warnings, []);
    assert.deepEqual(config.instances.map((i) => [i.name, i.interface, i.vrid, i.initialState, i.priority]), [
      ['VI_1', 'eth0', 51, 'MASTER', 100],
      ['VI_2', 'eth0', 50, 'BACKUP', 50],
      ['VI_3', 'eth1', 52, 'MASTER', 100],
      ['VI_4', 'eth1', 53, 'BACKUP', 50],
    ]);
    assert.equal(instance(config, 'VI_1').garp.masterDelayUs, 10_000_000);
    assert.equal(instance(config, 'VI_2').garp.masterDelayUs, 5_000_000);
    assert.ok(config.instances.every((i) => i.smtpAlert));
    assert.equal(instance(config, 'VI_3').virtualIpAddresses.length, 3);
  });

  test('keepalived.conf.vrrp.scripts: quoted notify scripts split into argv; sync group of two', () => {
    const { config, warnings } = loaded('samples/keepalived.conf.vrrp.scripts');
    assert.deepEqual(warnings, []);
    assert.deepEqual(instance(config, 'VI_1').notify.master, {
      command: '/usr/local/bin/vrrp.sh  MASTER  VI_1', argv: ['/usr/local/bin/vrrp.sh', 'MASTER', 'VI_1'],
    });
    assert.deepEqual(config.syncGroups.map((g) => [g.name, g.instances, g.notify.fault?.argv]), [
      ['G1', ['VI_2', 'VI_3'], ['/usr/local/bin/vrrp.fault', 'arg1', 'arg2']],
    ]);
    assert.equal(instance(config, 'VI_2').syncGroup, 'G1');
    assert.equal(instance(config, 'VI_2').virtualIpAddresses[0]?.prefixLength, 27);
  });

  test('keepalived.conf.vrrp.sync: two sync groups, nine instances', () => {
    const { config, warnings } = loaded('samples/keepalived.conf.vrrp.sync');
    assert.deepEqual(warnings, []);
    assert.deepEqual(config.syncGroups.map((g) => [g.name, g.instances.length]), [['G1', 7], ['G2', 2]]);
    assert.equal(config.instances.length, 9);
  });

  test('keepalived.conf.vrrp.localcheck: vrrp_script, track_script and track_interface weights', () => {
    const { config, warnings } = loaded('samples/keepalived.conf.vrrp.localcheck');
    assert.deepEqual(warnings, []);
    const sshd = config.scripts.find((s) => s.name === 'chk_sshd');
    assert.deepEqual(sshd && [sshd.script.argv, sshd.intervalUs, sshd.weight, sshd.rise, sshd.fall], [
      ['killall', '-0', 'sshd'], 2_000_000, -4, 1, 1,
    ]);
    assert.deepEqual(config.scripts.find((s) => s.name === 'chk_http_port')?.script.argv, ['</dev/tcp/127.0.0.1/80']);
    const vi1 = instance(config, 'VI_1');
    assert.deepEqual(vi1.trackInterfaces, [
      { name: 'eth1', weight: 2, weightReverse: false },
      { name: 'eth2', weight: -2, weightReverse: false },
      { name: 'eth3', weight: 0, weightReverse: false },
    ]);
    assert.deepEqual(vi1.trackScripts.slice(0, 2), [
      { name: 'chk_sshd', weightReverse: false },
      { name: 'chk_haproxy', weight: 2, weightReverse: false },
    ]);
  });

  test('keepalived.conf.sample: nopreempt; the virtual_server block is not supported and warned, the file loads', () => {
    const { config, warnings } = loaded('samples/keepalived.conf.sample');
    assert.equal(instance(config, 'VI_1').preempt, false);
    assert.equal(warnings.length, 1);
    assert.match(warnings[0] ?? '', /keepalived\.conf\.sample:26:1: warning: keyword virtual_server is not supported by hotstandby; ignored$/);
  });
});
