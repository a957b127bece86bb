// VrrpSocket between two network namespaces: what the receive side reports is what the validation
// ladder relies on (RFC 9568 §7.1: TTL/hop limit 255, source, destination, ifindex).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { VrrpSocket } from '@hotstandby/netio';
import type { NetioError } from '@hotstandby/netio';
import { IFNAME, Lab } from './lab.js';
import type { ChildMessage } from './lab.js';

// VRRP payloads from the keepalived captures (fixtures v3-ipv6.pcap and keepalived-v3.pcap): VRID 51,
// priority 100. Their checksums were computed for keepalived's addresses, not ours — which also shows
// that the socket leaves the checksum alone (the codec computes it; see vrrp_socket.cc).
const V3_IPV6 = '313364020064c2cbfe8000000000000000000000000001292001' + '0db8001000000000000000000129';
const V3_IPV4 = '31336401000a611f0a0a0a81';

let lab: Lab;
before(() => {
  lab = new Lab();
});
after(() => lab.dispose());

/** Starts a receiver in B, runs one sender in A, returns the packet B saw. */
async function roundTrip(family: '4' | '6', destination: string, hex: string, hopLimit = '', source = ''): Promise<ChildMessage> {
  const receiver = lab.child(lab.b, 'recv-vrrp', family, IFNAME, '1');
  const ready = await receiver.expect('ready');
  const sender = lab.child(lab.a, 'send-vrrp', family, IFNAME, destination, hex, hopLimit, source);
  await sender.expect('sent');
  const packet = await receiver.expect('packet');
  return { ...packet, receiverIfindex: ready.ifindex };
}

describe('IPv6 VRRP socket', () => {
  test('a multicast advert arrives with hop limit 255, link-local source, ff02::12 and the ingress ifindex', async () => {
    const p = await roundTrip('6', 'ff02::12', V3_IPV6);
    assert.equal(p.data, V3_IPV6, 'payload unchanged, checksum included');
    assert.equal(p.hopLimit, 255);
    assert.equal(p.source, lab.a.ll);
    assert.equal(p.destination, 'ff02::12');
    assert.equal(p.ifindex, p.receiverIfindex);
    assert.equal(p.tos, 0xc0, 'traffic class as keepalived sends it');
  });

  test('a packet sent with hop limit 64 is seen with 64, so the §7.1 check can reject it', async () => {
    const p = await roundTrip('6', 'ff02::12', V3_IPV6, '64');
    assert.equal(p.hopLimit, 64);
  });

  test('a unicast advert to the peer link-local keeps hop limit 255 and shows the unicast destination', async () => {
    const p = await roundTrip('6', lab.b.ll, V3_IPV6);
    assert.equal(p.destination, lab.b.ll);
    assert.equal(p.hopLimit, 255);
  });
});

describe('IPv4 VRRP socket', () => {
  test('a multicast advert arrives with TTL 255, TOS 0xc0, source, 224.0.0.18 and the ifindex', async () => {
    const p = await roundTrip('4', '224.0.0.18', V3_IPV4);
    assert.equal(p.data, V3_IPV4, 'IP header removed, payload unchanged');
    assert.equal(p.hopLimit, 255);
    assert.equal(p.tos, 0xc0);
    assert.equal(p.source, lab.a.v4);
    assert.equal(p.destination, '224.0.0.18');
    assert.equal(p.ifindex, p.receiverIfindex);
  });

  test('a unicast advert to the peer also has TTL 255 (keepalived unicast_peer does the same)', async () => {
    const p = await roundTrip('4', lab.b.v4, V3_IPV4);
    assert.equal(p.destination, lab.b.v4);
    assert.equal(p.hopLimit, 255);
  });

  test('a packet sent with TTL 64 is seen with 64', async () => {
    const p = await roundTrip('4', '224.0.0.18', V3_IPV4, '64');
    assert.equal(p.hopLimit, 64);
  });

  test('the chosen source address is the one on the wire (the v3 checksum pseudo-header needs it)', async () => {
    lab.exec(lab.a, 'ip', 'addr', 'add', '10.10.10.11/24', 'dev', IFNAME);
    const p = await roundTrip('4', '224.0.0.18', V3_IPV4, '', '10.10.10.11');
    assert.equal(p.source, '10.10.10.11');
  });
});

describe('VrrpSocket errors', () => {
  test('an unknown interface is an Error naming the syscall, with errno code', () => {
    assert.throws(
      () => new VrrpSocket({ family: 6, interface: 'hsnio-none0', onPacket: () => {} }),
      (e: NetioError) => e.code === 'ENODEV' && e.syscall.startsWith('ioctl(SIOCGIFINDEX)') && e.errno < 0,
    );
  });

  test('an out-of-range hop limit is refused before any socket is opened', () => {
    assert.throws(() => new VrrpSocket({ family: 4, interface: 'lo', hopLimit: 0, onPacket: () => {} }), RangeError);
  });
});
