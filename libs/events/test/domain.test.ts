import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { domainFromClusterName, domainFromPrefix } from '../src/index.js';

describe('domainFromPrefix', () => {
  test('the tutorial LAN', () => {
    assert.deepEqual(domainFromPrefix('10.10.10.126', 24), { ok: true, domain: '10.10.10.0/24' });
    assert.deepEqual(domainFromPrefix('10.10.10.127', 24), { ok: true, domain: '10.10.10.0/24' });
  });
  test('odd IPv4 prefixes mask in unsigned arithmetic', () => {
    assert.deepEqual(domainFromPrefix('192.168.255.77', 17), { ok: true, domain: '192.168.128.0/17' });
    assert.deepEqual(domainFromPrefix('255.255.255.255', 1), { ok: true, domain: '128.0.0.0/1' });
    assert.deepEqual(domainFromPrefix('1.2.3.4', 0), { ok: true, domain: '0.0.0.0/0' });
    assert.deepEqual(domainFromPrefix('1.2.3.4', 32), { ok: true, domain: '1.2.3.4/32' });
  });
  test('IPv6 in RFC 5952 form', () => {
    assert.deepEqual(domainFromPrefix('fd00:0:0:1:a::126', 64), { ok: true, domain: 'fd00:0:0:1::/64' });
    assert.deepEqual(domainFromPrefix('FE80::1%eth0', 10), { ok: true, domain: 'fe80::/10' });
    assert.deepEqual(domainFromPrefix('::ffff:10.10.10.1', 120), { ok: true, domain: '::ffff:a0a:a00/120' });
  });
  test('bad input is a reason', () => {
    assert.equal(domainFromPrefix('10.10.10', 24).ok, false);
    assert.equal(domainFromPrefix('10.10.10.300', 24).ok, false);
    assert.equal(domainFromPrefix('10.10.10.1', 33).ok, false);
    assert.equal(domainFromPrefix('1::2::3', 64).ok, false);
  });
  test('an explicit cluster name', () => {
    assert.deepEqual(domainFromClusterName('dc1-lb'), { ok: true, domain: 'dc1-lb' });
    assert.equal(domainFromClusterName('dc 1').ok, false);
  });
});
