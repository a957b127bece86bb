import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { nodeConfigReader } from '../../src/config/include.js';
import { loadConfig } from '../../src/config/load.js';
import { toInstanceConfig } from '../../src/config/to-instance.js';

const load = (name: string) => {
  const r = loadConfig(fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url)), { ...nodeConfigReader(), hostname: 'h' });
  assert.ok(r.config);
  return r.config;
};

describe('model → protocol InstanceConfig', () => {
  test('the tutorial backup node maps to the state machine config with keepalived defaults', () => {
    const vi1 = load('tutorial/node2.conf').instances[0];
    assert.ok(vi1);
    const r = toInstanceConfig(vi1, '10.10.10.127');
    assert.ok(r.ok);
    assert.deepEqual(r.config, {
      name: 'VI_1', version: 2, family: 'ipv4', vrid: 51, priority: 99, advertIntervalCs: 100, initialState: 'BACKUP',
      nopreempt: false, preemptDelayUs: 0, primaryAddress: '10.10.10.127', virtualAddresses: ['10.10.10.129'],
      acceptMode: true, lowerPrioNoAdvert: false, higherPrioSendAdvert: false,
      garp: { masterDelayUs: 5_000_000, masterRepeat: 5, masterRefreshUs: 0, masterRefreshRepeat: 1, intervalUs: 0, lowerPrioRepeat: 5, lowerPrioDelayUs: 5_000_000 },
    });
  });

  test('unicast_src_ip wins over the interface address; IPv6 needs an IPv6 source', () => {
    const uni = load('captures/v2-unicast-vr1.conf').instances[0];
    assert.ok(uni);
    const r = toInstanceConfig(uni, '192.0.2.1');
    assert.equal(r.ok && r.config.primaryAddress, '10.10.10.126');
    const v6 = load('captures/v3-ipv6-vr1.conf').instances[0];
    assert.ok(v6);
    assert.deepEqual(toInstanceConfig(v6, '10.10.10.126'), { ok: false, reason: '(VI_6) source address 10.10.10.126 is not IPv6' });
    const ok6 = toInstanceConfig(v6, 'FE80::0:1');
    assert.equal(ok6.ok && ok6.config.primaryAddress, 'fe80::1');
    assert.deepEqual(toInstanceConfig(v6, undefined), { ok: false, reason: '(VI_6) interface eth0 has no IPv6 link-local address to send from' });
  });
});
