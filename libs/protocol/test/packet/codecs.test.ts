// Every codec through the same round-trip helper, plus adversarial one-liners: untrusted bytes give a
// reason, never a throw.
import { describe, test } from 'node:test';
import { Buffer } from 'node:buffer';
import assert from 'node:assert/strict';
import type { Advertisement } from '../../src/types.js';
import * as address from '../../src/packet/address.js';
import * as vrrp from '../../src/packet/vrrp.js';
import * as ipv4 from '../../src/packet/ipv4.js';
import * as ipv6 from '../../src/packet/ipv6.js';
import * as ethernet from '../../src/packet/ethernet.js';
import * as arp from '../../src/packet/arp.js';
import * as ndisc from '../../src/packet/ndisc.js';
import { internetChecksum } from '../../src/packet/checksum.js';
import { hex, roundtrip, toHex } from '../support/roundtrip.js';

const v2: Advertisement = {
  version: 2, family: 'ipv4', type: 1, vrid: 51, priority: 100, intervalCs: 100, addresses: ['10.10.10.129'],
  authType: 1, authData: vrrp.passwordAuthData('1234'), checksum: 0x00d9,
};
const v3v4: Advertisement = { version: 3, family: 'ipv4', type: 1, vrid: 51, priority: 100, intervalCs: 10, addresses: ['10.10.10.129', '10.10.10.130'], authType: 0, authData: new Uint8Array(0), checksum: 0x1234 };
const v3v6: Advertisement = { version: 3, family: 'ipv6', type: 1, vrid: 7, priority: 254, intervalCs: 4095, addresses: ['fe80::129', '2001:db8:10::129'], authType: 0, authData: new Uint8Array(0), checksum: 0xc2cb };
const v2v6: Advertisement = { version: 2, family: 'ipv6', type: 1, vrid: 9, priority: 1, intervalCs: 25500, addresses: ['fe80::1'], authType: 0, authData: new Uint8Array(0), checksum: 0 };

// The keepalived-v2 capture's VRRP message (frame 7), as tshark printed it.
const V2_WIRE = '21336401010100d90a0a0a813132333400000000';

describe('address', () => {
  test('IPv4 and IPv6 round-trip through the trio', () => {
    for (const a of ['0.0.0.0', '10.10.10.129', '255.255.255.255', '224.0.0.18']) roundtrip(address.ipv4Address, a, a);
    for (const a of ['::', '::1', 'fe80::129', '2001:db8:10::129', 'ff02::12', '1:2:3:4:5:6:7:8', '::ffff:10.1.2.3', '2001:db8::1:0:0:1']) roundtrip(address.ipv6Address, a, a);
  });

  test('IPv6 text is RFC 5952 canonical', () => {
    const canon = (t: string): string | undefined => address.canonicalIp(t, 'ipv6');
    assert.equal(canon('FE80:0000:0000:0000:0000:0000:0000:0129'), 'fe80::129'); // §4.3 lower case, §4.1 no leading zeros
    assert.equal(canon('2001:db8:0:0:1:0:0:1'), '2001:db8::1:0:0:1'); // §4.2.3 first of equal runs
    assert.equal(canon('2001:db8:0:1:1:1:1:1'), '2001:db8:0:1:1:1:1:1'); // §4.2.2 one zero group is not '::'
    assert.equal(canon('2001:0:0:1:0:0:0:1'), '2001:0:0:1::1'); // §4.2.3 longest run
    assert.equal(canon('::ffff:0a01:0203'), '::ffff:10.1.2.3'); // §5 IPv4-mapped
    assert.equal(canon('0:0:0:0:0:0:0:0'), '::');
  });

  test('bad text is rejected, not guessed', () => {
    for (const t of ['', '1.2.3', '1.2.3.4.5', '256.1.1.1', '01.2.3.4', '1.2.3.-1', 'a.b.c.d', ' 1.2.3.4']) assert.equal(address.parseIpv4(t), undefined, t);
    for (const t of ['', ':', ':::', '1::2::3', '1:2:3:4:5:6:7:8:9', '1:2:3:4:5:6:7::8', 'g::1', '12345::', 'fe80::1%eth0', '1:2:3:4:5:6:7']) assert.equal(address.parseIpv6(t), undefined, t);
    assert.throws(() => address.ipv4Address.encode('10.0.0'), TypeError);
  });

  test('short buffers are a length reason', () => {
    assert.equal(address.ipv4Address.decode(new Uint8Array(3)).ok, false);
    const r = address.ipv6Address.decode(new Uint8Array(20), 5);
    assert.ok(!r.ok && r.reason === 'length');
  });

  test('multicast', () => {
    assert.ok(address.isMulticast('224.0.0.18') && address.isMulticast('ff02::12'));
    assert.ok(!address.isMulticast('10.10.10.127') && !address.isMulticast('fe80::1'));
  });
});

describe('checksum', () => {
  test('RFC 1071 §3 example sums to 0xddf2', () => {
    const b = hex('0001 f203 f4f5 f6f7');
    assert.equal(~internetChecksum(b) & 0xffff, 0xddf2);
  });
  test('over bytes carrying their own checksum, the checksum is 0', () => {
    assert.equal(internetChecksum(hex(V2_WIRE)), 0);
  });
  test('odd length pads with a zero byte', () => {
    assert.equal(internetChecksum(hex('01')), ~0x0100 & 0xffff);
  });
});

describe('vrrp', () => {
  test('round-trips v2, v3/IPv4, v3/IPv6 and keepalived v2/IPv6', () => {
    roundtrip(vrrp.vrrpCodec('ipv4'), v2, 'v2');
    roundtrip(vrrp.vrrpCodec('ipv4'), v3v4, 'v3/IPv4');
    roundtrip(vrrp.vrrpCodec('ipv6'), v3v6, 'v3/IPv6');
    roundtrip(vrrp.vrrpCodec('ipv6'), v2v6, 'v2/IPv6');
    roundtrip(vrrp.vrrpCodec('ipv4'), { ...v3v4, addresses: [] }, 'no addresses');
  });

  test('the tutorial advert encodes to the bytes keepalived sent', () => {
    assert.equal(toHex(vrrp.encode(v2)), V2_WIRE);
    const { checksum: _c, ...fields } = v2;
    assert.equal(vrrp.withChecksum(fields, { source: '10.10.10.126', destination: '224.0.0.18' }).checksum, 0x00d9);
  });

  test('v3 Max Adver Int keeps 12 bits; the reserved bits are ignored on receive (keepalived masks 0x0FFF)', () => {
    const b = vrrp.encode(v3v4);
    b[4] = (b[4] ?? 0) | 0xf0;
    const d = vrrp.decode(b, 0, 'ipv4');
    assert.ok(d.ok);
    assert.equal(d.value.intervalCs, 10);
  });

  test('encoding what the wire cannot carry is a programmer error', () => {
    assert.throws(() => vrrp.encode({ ...v2, intervalCs: 150 }), RangeError); // v2 is whole seconds
    assert.throws(() => vrrp.encode({ ...v3v4, intervalCs: 4096 }), RangeError);
    assert.throws(() => vrrp.encode({ ...v3v4, authType: 1 }), RangeError);
    assert.throws(() => vrrp.encode({ ...v2, authData: new Uint8Array(7) }), RangeError);
    assert.throws(() => vrrp.encode({ ...v2, vrid: 256 }), RangeError);
    assert.throws(() => vrrp.encode({ ...v2, addresses: ['fe80::1'] }), TypeError);
    assert.throws(() => vrrp.vrrpCodec('ipv6').encode(v2), TypeError);
  });

  test('PASS authentication data is the password NUL-padded (truncated) to 8 bytes', () => {
    assert.equal(toHex(vrrp.passwordAuthData('1234')), '3132333400000000');
    assert.equal(toHex(vrrp.passwordAuthData('0123456789')), '3031323334353637');
  });

  // Adversarial one-liners: a reason, never a throw.
  const bad = (b: Uint8Array, family: 'ipv4' | 'ipv6' = 'ipv4'): string => {
    const r = vrrp.decode(b, 0, family);
    return r.ok ? 'ok' : r.reason;
  };
  const wire = hex(V2_WIRE);
  test('zero-length', () => assert.equal(bad(new Uint8Array(0)), 'length'));
  test('truncated header', () => assert.equal(bad(wire.subarray(0, 7)), 'length'));
  test('truncated auth data', () => assert.equal(bad(wire.subarray(0, 19)), 'length'));
  test('trailing byte', () => assert.equal(bad(Uint8Array.of(...wire, 0)), 'length'));
  test('count says 2, one address present', () => assert.equal(bad(Uint8Array.of(0x21, 0x33, 0x64, 2, ...wire.subarray(4))), 'length'));
  test('huge count (255) on a short packet', () => assert.equal(bad(Uint8Array.of(0x21, 0x33, 0x64, 255, ...wire.subarray(4))), 'length'));
  test('count 0 with an address left over', () => assert.equal(bad(Uint8Array.of(0x21, 0x33, 0x64, 0, ...wire.subarray(4))), 'length'));
  test('wrong version (1) with a consistent length', () => assert.equal(bad(Uint8Array.of(0x11, ...wire.subarray(1, 12))), 'version'));
  test('wrong version (15)', () => assert.equal(bad(Uint8Array.of(0xf1, ...wire.subarray(1, 12))), 'version'));
  test('v2 IPv4 bytes read as IPv6 do not fit', () => assert.equal(bad(wire, 'ipv6'), 'length'));
  test('type 2 decodes; judging it is the ladder\'s job', () => assert.equal(bad(Uint8Array.of(0x22, ...wire.subarray(1))), 'ok'));
  test('offset past the end', () => assert.equal(vrrp.decode(wire, 100).ok, false));
});

describe('ipv4', () => {
  const h = ipv4.build({ source: '10.10.10.126', destination: '224.0.0.18', payloadLength: 20, identification: 2 });
  test('round-trips, with and without options', () => {
    roundtrip<ipv4.Ipv4Header>(ipv4, h, 'plain');
    roundtrip<ipv4.Ipv4Header>(ipv4, { ...h, options: hex('94040000'), flags: 2, fragmentOffset: 5 }, 'router alert option, DF');
  });
  test('keepalived\'s header (tutorial frame 7) is what build makes', () => {
    assert.equal(toHex(ipv4.encode(h)), '45c0002800020000ff70c6090a0a0a7ee0000012');
  });
  test('facts come from the header', () => {
    assert.deepEqual(ipv4.ipFacts(h, 3), { family: 'ipv4', source: '10.10.10.126', destination: '224.0.0.18', ttl: 255, ifindex: 3 });
  });
  const wire = ipv4.encode(h);
  const datagram = Uint8Array.of(...wire, ...hex(V2_WIRE));
  const reason = (r: { ok: boolean; reason?: string }): string => (r.ok ? 'ok' : (r.reason ?? ''));
  test('exact datagram splits', () => {
    const d = ipv4.splitDatagram(datagram);
    assert.ok(d.ok);
    assert.equal(toHex(d.value.payload), V2_WIRE);
  });
  test('truncated header', () => assert.equal(reason(ipv4.decode(wire.subarray(0, 19))), 'length'));
  test('IHL below 5', () => assert.equal(reason(ipv4.decode(Uint8Array.of(0x44, ...wire.subarray(1)))), 'length'));
  test('IHL beyond the bytes', () => assert.equal(reason(ipv4.decode(Uint8Array.of(0x4f, ...wire.subarray(1)))), 'length'));
  test('IP version 6 on the IPv4 codec', () => assert.equal(reason(ipv4.decode(Uint8Array.of(0x65, ...wire.subarray(1)))), 'version'));
  test('total length longer than received', () => assert.equal(reason(ipv4.splitDatagram(datagram.subarray(0, 39))), 'length'));
  test('trailing bytes on a raw-socket datagram (keepalived: ip_tot_len mismatch)', () => assert.equal(reason(ipv4.splitDatagram(Uint8Array.of(...datagram, 0))), 'length'));
  test('trailing bytes in an Ethernet frame are padding', () => assert.equal(reason(ipv4.splitDatagram(Uint8Array.of(...datagram, 0, 0), 0, 'padded')), 'ok'));
  test('total length shorter than the header', () => assert.equal(reason(ipv4.splitDatagram(Uint8Array.of(...wire.subarray(0, 2), 0, 10, ...wire.subarray(4)))), 'length'));
});

describe('ipv6', () => {
  const h: ipv6.Ipv6Header = { trafficClass: 0xc0, flowLabel: 0x3774d, payloadLength: 40, nextHeader: 112, hopLimit: 255, source: 'fe80::e829:c7ff:feef:cbb6', destination: 'ff02::12' };
  test('round-trips', () => {
    roundtrip(ipv6, h);
  });
  test('the v3-ipv6 capture\'s first bytes', () => assert.equal(toHex(ipv6.encode(h)).slice(0, 16), '6c03774d002870ff'));
  test('truncated, wrong version, payload past the end', () => {
    assert.equal(ipv6.decode(new Uint8Array(39)).ok, false);
    const b = ipv6.encode(h);
    const v4 = ipv6.decode(Uint8Array.of(0x45, ...b.subarray(1)));
    assert.ok(!v4.ok && v4.reason === 'version');
    const p = ipv6.splitPacket(b);
    assert.ok(!p.ok && p.reason === 'length');
  });
});

describe('ethernet', () => {
  test('round-trips, untagged and 802.1Q-tagged', () => {
    roundtrip<ethernet.EthernetHeader>(ethernet, { destination: '01:00:5e:00:00:12', source: 'ae:79:be:b5:9c:6d', ethertype: 0x0800 }, 'untagged');
    roundtrip<ethernet.EthernetHeader>(ethernet, { destination: 'ff:ff:ff:ff:ff:ff', source: 'ae:79:be:b5:9c:6d', vlan: { pcp: 6, dei: true, id: 100 }, ethertype: 0x0806 }, 'tagged');
  });
  test('multicast MACs (RFC 1112 §6.4, RFC 2464 §7)', () => {
    assert.equal(ethernet.multicastMac(address.parseIpv4('224.0.0.18')!), '01:00:5e:00:00:12');
    assert.equal(ethernet.multicastMac(address.parseIpv6('ff02::12')!), '33:33:00:00:00:12');
  });
  test('short frames and short tags are a length reason', () => {
    assert.equal(ethernet.decode(new Uint8Array(13)).ok, false);
    const tagged = ethernet.encode({ destination: 'ff:ff:ff:ff:ff:ff', source: '00:00:00:00:00:01', vlan: { pcp: 0, dei: false, id: 1 }, ethertype: 0x0800 });
    assert.equal(ethernet.decode(tagged.subarray(0, 16)).ok, false);
  });
  test('bad MAC text throws (programmer error)', () => assert.throws(() => ethernet.macBytes('00:11:22:33:44'), TypeError));
});

describe('arp', () => {
  test('round-trips', () => {
    roundtrip(arp, { opcode: 2, senderMac: 'ae:79:be:b5:9c:6d', senderIp: '10.10.10.126', targetMac: 'ea:29:c7:ef:cb:b6', targetIp: '10.10.10.127' });
  });
  test('the gratuitous ARP frame is keepalived\'s (tutorial frame 2)', () => {
    assert.equal(toHex(arp.gratuitousArpFrame('10.10.10.129', 'ae:79:be:b5:9c:6d')), 'ffffffffffffae79beb59c6d08060001080006040001ae79beb59c6d0a0a0a81ffffffffffff0a0a0a81');
  });
  test('truncated, or not Ethernet/IPv4', () => {
    const a = arp.encode({ opcode: 1, senderMac: '00:00:00:00:00:01', senderIp: '1.2.3.4', targetMac: '00:00:00:00:00:00', targetIp: '1.2.3.5' });
    assert.equal(arp.decode(a.subarray(0, 27)).ok, false);
    const t = arp.decode(Uint8Array.of(0, 6, ...a.subarray(2)));
    assert.ok(!t.ok && t.reason === 'type');
  });
});

describe('ndisc', () => {
  const na = ndisc.withChecksum({ router: false, solicited: false, override: true, target: 'fe80::129', targetLinkLayer: 'ea:29:c7:ef:cb:b6' }, 'fe80::129', 'ff02::1');
  test('round-trips, with and without the target link-layer option', () => {
    roundtrip<ndisc.NeighborAdvertisement>(ndisc, na, 'with TLLA');
    const { targetLinkLayer: _t, ...bare } = na;
    roundtrip<ndisc.NeighborAdvertisement>(ndisc, { ...bare, router: true, solicited: true }, 'bare');
  });
  test('checksum as keepalived sent it (v3-ipv6 frame 2: 0xd97b)', () => assert.equal(na.checksum, 0xd97b));
  test('not an NA, zero-length option, option past the end', () => {
    const b = ndisc.encode(na);
    const t = ndisc.decode(Uint8Array.of(135, ...b.subarray(1)));
    assert.ok(!t.ok && t.reason === 'type');
    const z = Uint8Array.from(b);
    z[25] = 0;
    assert.equal(ndisc.decode(z).ok, false);
    const long = Uint8Array.from(b);
    long[25] = 2;
    assert.equal(ndisc.decode(long).ok, false);
  });
});

test('PASS passwords are the UTF-8 bytes of the config text', () => {
  assert.equal(toHex(vrrp.passwordAuthData('pä€😀')), toHex(Uint8Array.from(Buffer.from('pä€😀', 'utf8').subarray(0, 8))));
});
