// Golden packets: real keepalived captures (test/fixtures/keepalived, see its README.md). Every frame is
// read with our pcap reader, compared with tshark's decode of the same frame, and re-encoded byte for
// byte; our senders (withChecksum, ipv4.build, gratuitousArpFrame, unsolicitedNaFrame) must produce the
// very bytes keepalived sent.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { readPcap } from '../../src/capture/pcap.js';
import type { CapturedFrame } from '../../src/capture/frame.js';
import { decodeFrame } from '../../src/capture/frame.js';
import * as vrrp from '../../src/packet/vrrp.js';
import * as ipv4 from '../../src/packet/ipv4.js';
import * as ipv6 from '../../src/packet/ipv6.js';
import * as ethernet from '../../src/packet/ethernet.js';
import * as arp from '../../src/packet/arp.js';
import * as ndisc from '../../src/packet/ndisc.js';
import type { ChecksumForm } from '../../src/packet/checksum.js';
import { matchVrrpChecksum, vrrpChecksum } from '../../src/packet/checksum.js';
import type { TsharkFrame } from './tshark.js';
import { all, one, readTshark, section } from './tshark.js';
import { toHex } from '../support/roundtrip.js';

const dir = fileURLToPath(new URL('../fixtures/keepalived/', import.meta.url));

interface Capture {
  readonly pcap: string;
  readonly decodes: readonly string[];
  /** keepalived's send form for VRRPv3/IPv4 in this capture's config. */
  readonly v3Ipv4Form: ChecksumForm;
}

const captures: readonly Capture[] = [
  { pcap: 'keepalived-v2.pcap', decodes: ['keepalived-v2-advert.txt', 'keepalived-v2-garp.txt'], v3Ipv4Form: 'pseudo-header' },
  { pcap: 'keepalived-v3.pcap', decodes: ['keepalived-v3-advert.txt'], v3Ipv4Form: 'pseudo-header' },
  { pcap: 'v2-prio0.pcap', decodes: ['v2-prio0.txt'], v3Ipv4Form: 'pseudo-header' },
  { pcap: 'v2-unicast.pcap', decodes: ['v2-unicast.txt'], v3Ipv4Form: 'pseudo-header' },
  { pcap: 'v3-ipv4-rfc9568-checksum.pcap', decodes: ['v3-ipv4-rfc9568-checksum.txt'], v3Ipv4Form: 'message-only' },
  { pcap: 'v3-ipv6.pcap', decodes: ['v3-ipv6.txt'], v3Ipv4Form: 'pseudo-header' },
];

function load(c: Capture): { frames: CapturedFrame[]; raw: Uint8Array[]; times: number[]; tshark: Map<number, TsharkFrame> } {
  const file = readPcap(new Uint8Array(readFileSync(dir + c.pcap)));
  assert.ok(file.ok, `${c.pcap} reads`);
  assert.equal(file.value.linktype, 1);
  assert.equal(file.value.truncated, undefined);
  const tshark = new Map<number, TsharkFrame>();
  for (const d of c.decodes) for (const [n, f] of readTshark(dir + d)) tshark.set(n, f);
  const frames = file.value.records.map((r, i) => {
    const f = decodeFrame(r.data, file.value.linktype);
    assert.ok(f.ok, `${c.pcap} frame ${i + 1} decodes`);
    return f.value;
  });
  return { frames, raw: file.value.records.map((r) => r.data), times: file.value.records.map((r) => r.timestampUs), tshark };
}

function num(s: string | undefined): number {
  assert.ok(s !== undefined, 'tshark shows the field');
  return Number(s);
}

for (const c of captures) {
  describe(`golden: ${c.pcap}`, () => {
    const { frames, raw, times, tshark } = load(c);

    test('the pcap reader yields the bytes and times tshark shows', () => {
      assert.ok(tshark.size > 0);
      for (const [n, t] of tshark) {
        assert.equal(toHex(raw[n - 1]!), toHex(t.bytes), `frame ${n} bytes`);
        const [s, frac] = t.epoch.split('.');
        assert.equal(times[n - 1], Number(s) * 1e6 + Number(frac!.slice(0, 6)), `frame ${n} time`);
      }
    });

    test('every VRRP advert decodes to what tshark shows', () => {
      let compared = 0;
      for (const [n, t] of tshark) {
        const f = frames[n - 1]!;
        if (!t.protocols.endsWith(':vrrp')) continue;
        assert.equal(f.kind, 'vrrp', `frame ${n} is VRRP`);
        if (f.kind !== 'vrrp') continue;
        const d = vrrp.decode(f.vrrp, 0, f.facts.family);
        assert.ok(d.ok, `frame ${n} VRRP decodes`);
        const a = d.value;
        const s = section(t, 'Virtual Router Redundancy Protocol');
        assert.equal(a.version, num(one(s, /VRRP protocol version: (\d+)/)), `frame ${n} version`);
        assert.equal(a.type, num(one(s, /VRRP packet type: .*\((\d+)\)/)), `frame ${n} type`);
        assert.equal(a.vrid, num(one(s, /Virtual Rtr ID: (\d+)/)), `frame ${n} vrid`);
        assert.equal(a.priority, num(one(s, /^\s+Priority: (\d+)/m)), `frame ${n} priority`);
        assert.equal(a.addresses.length, num(one(s, /Addr Count: (\d+)/)), `frame ${n} count`);
        const adverInt = num(one(s, /Adver Int: (\d+)/));
        assert.equal(a.intervalCs, a.version === 2 ? adverInt * 100 : adverInt, `frame ${n} interval`);
        assert.deepEqual(a.addresses, all(s, /^\s+(?:IP|IPv6) Address: (\S+)/gm), `frame ${n} addresses`);
        if (a.version === 2) {
          assert.equal(a.authType, num(one(s, /Auth Type: .*\((\d+)\)/)), `frame ${n} auth type`);
          const pass = one(s, /Authentication String: (.*)/) ?? '';
          assert.equal(toHex(a.authData), toHex(vrrp.passwordAuthData(pass)), `frame ${n} auth data is the NUL-padded password`);
        }
        const shown = one(s, /^\s+Checksum: (0x[0-9a-f]{4})/m);
        assert.equal(a.checksum, num(shown), `frame ${n} checksum`);
        // tshark (defaults) checks v3/IPv4 with the pseudo-header, v2 without, IPv6 with.
        const match = matchVrrpChecksum(f.vrrp, 0, f.vrrp.length, { version: a.version, family: a.family, source: f.facts.source, destination: f.facts.destination });
        const good = one(s, /\[Checksum Status: (\w+)\]/);
        const tsharkForm = a.family === 'ipv4' && a.version === 2 ? 'message-only' : 'pseudo-header';
        assert.equal(match === tsharkForm, good === 'Good', `frame ${n}: we match ${match}, tshark says ${good}`);
        const shouldBe = one(s, /incorrect, should be (0x[0-9a-f]{4})/);
        if (shouldBe !== undefined) {
          const ctx = { version: a.version, family: a.family, source: f.facts.source, destination: f.facts.destination };
          assert.equal(vrrpChecksum(f.vrrp, 0, f.vrrp.length, 'pseudo-header', ctx), num(shouldBe), `frame ${n} pseudo-header checksum`);
        }
        // IP facts
        if (f.facts.family === 'ipv4') {
          const ip = section(t, 'Internet Protocol Version 4');
          assert.equal(f.facts.ttl, num(one(ip, /Time to Live: (\d+)/)));
          assert.equal(f.facts.source, one(ip, /Source Address: (\S+)/));
          assert.equal(f.facts.destination, one(ip, /Destination Address: (\S+)/));
        } else {
          const ip = section(t, 'Internet Protocol Version 6');
          assert.equal(f.facts.ttl, num(one(ip, /Hop Limit: (\d+)/)));
          assert.equal(f.facts.source, one(ip, /Source Address: (\S+)/));
          assert.equal(f.facts.destination, one(ip, /Destination Address: (\S+)/));
        }
        compared++;
      }
      assert.ok(compared > 0, 'at least one advert compared with tshark');
    });

    test('every VRRP advert re-encodes byte for byte, and our sender builds the same bytes', () => {
      for (const [i, f] of frames.entries()) {
        if (f.kind !== 'vrrp') continue;
        const d = vrrp.decode(f.vrrp, 0, f.facts.family);
        assert.ok(d.ok);
        assert.equal(toHex(vrrp.encode(d.value)), toHex(f.vrrp), `frame ${i + 1} VRRP re-encodes`);
        const { checksum: _c, ...fields } = d.value;
        const built = vrrp.withChecksum(fields, { source: f.facts.source, destination: f.facts.destination, v3Ipv4Form: c.v3Ipv4Form });
        assert.equal(built.checksum, d.value.checksum, `frame ${i + 1}: our sender computes keepalived's checksum`);
        // Whole frame: link header + IP header + VRRP.
        assert.equal(f.link.kind, 'ethernet');
        if (f.link.kind !== 'ethernet') continue;
        const eth = ethernet.encode(f.link.header);
        const ip = f.ip.family === 'ipv4' ? ipv4.encode(f.ip.header) : ipv6.encode(f.ip.header);
        assert.equal(toHex(eth) + toHex(ip) + toHex(vrrp.encode(built)), toHex(raw[i]!), `frame ${i + 1} whole frame re-encodes`);
        if (f.ip.family === 'ipv4') {
          const h = f.ip.header;
          const ours = ipv4.build({ source: h.source, destination: h.destination, payloadLength: f.vrrp.length, identification: h.identification });
          assert.deepEqual(ours, h, `frame ${i + 1}: keepalived's IPv4 header (TOS 0xc0, TTL 255, DF clear) is what ipv4.build makes`);
        }
      }
    });

    test('every gratuitous ARP / unsolicited NA is exactly what our builders send', () => {
      let garps = 0;
      let nas = 0;
      for (const [i, f] of frames.entries()) {
        if (f.kind === 'arp') {
          // Unicast peers also resolve each other with ordinary ARP; only the gratuitous ones are keepalived's.
          if (arp.isGratuitous(f.arp)) {
            garps++;
            assert.equal(f.arp.opcode, arp.ARP_REQUEST);
            assert.equal(toHex(arp.gratuitousArpFrame(f.arp.senderIp, f.arp.senderMac)), toHex(raw[i]!), `frame ${i + 1} GARP`);
          }
          assert.equal(toHex(arp.encode(f.arp)), toHex(raw[i]!.subarray(14, 42)), `frame ${i + 1} ARP re-encodes`);
          const t = tshark.get(i + 1);
          if (t) {
            const s = section(t, 'Address Resolution Protocol');
            assert.equal(f.arp.senderIp, one(s, /Sender IP address: (\S+)/));
            assert.equal(f.arp.targetIp, one(s, /Target IP address: (\S+)/));
            assert.equal(f.arp.senderMac, one(s, /Sender MAC address: .*\((\S+)\)/));
            assert.equal(f.arp.targetMac, one(s, /Target MAC address: .*\((\S+)\)/));
          }
        } else if (f.kind === 'neighbor-advertisement') {
          nas++;
          assert.ok(f.checksumValid, `frame ${i + 1} NA checksum`);
          assert.deepEqual([f.na.router, f.na.solicited, f.na.override], [false, false, true]);
          assert.equal(f.ip.source, f.na.target, 'NA comes from the VIP');
          assert.equal(f.ip.destination, 'ff02::1');
          assert.equal(toHex(ndisc.unsolicitedNaFrame(f.na.target, f.na.targetLinkLayer!)), toHex(raw[i]!), `frame ${i + 1} NA`);
          const t = tshark.get(i + 1);
          if (t) {
            const s = section(t, 'Internet Control Message Protocol v6');
            assert.equal(f.na.checksum, num(one(s, /Checksum: (0x[0-9a-f]{4})/)));
            assert.equal(f.na.target, one(s, /Target Address: (\S+)/));
          }
        }
      }
      // keepalived announces each VIP 5 times on becoming master (the fixtures README).
      if (c.pcap === 'v3-ipv6.pcap') assert.equal(nas, 10);
      else assert.equal(garps % 5, 0);
      assert.ok(garps + nas > 0 || c.pcap === 'keepalived-v3.pcap' || c.pcap === 'v3-ipv4-rfc9568-checksum.pcap', 'announcements seen');
    });
  });
}

describe('golden facts from the fixtures README', () => {
  const adverts = (pcap: string): { a: ReturnType<typeof vrrp.decode>; f: CapturedFrame }[] => {
    const file = readPcap(new Uint8Array(readFileSync(dir + pcap)));
    assert.ok(file.ok);
    return file.value.records.flatMap((r) => {
      const f = decodeFrame(r.data);
      return f.ok && f.value.kind === 'vrrp' ? [{ a: vrrp.decode(f.value.vrrp, 0, f.value.facts.family), f: f.value }] : [];
    });
  };

  test('v2-prio0: priority 0 checksum 0x64d9, priority 100 0x00d9, priority 99 0x01d9', () => {
    const seen = new Map<number, number>();
    for (const { a } of adverts('v2-prio0.pcap')) if (a.ok) seen.set(a.value.priority, a.value.checksum);
    assert.deepEqual([...seen.entries()].sort((x, y) => x[0] - y[0]), [[0, 0x64d9], [99, 0x01d9], [100, 0x00d9]]);
  });

  test('v2-unicast: sent to the peer with TTL 255, checksum 0x00d9 as in multicast', () => {
    const first = adverts('v2-unicast.pcap')[0]!;
    assert.ok(first.a.ok);
    assert.equal(first.f.kind === 'vrrp' && first.f.facts.destination, '10.10.10.127');
    assert.equal(first.f.kind === 'vrrp' && first.f.facts.ttl, 255);
    assert.equal(first.a.value.checksum, 0x00d9);
  });

  test('v3-ipv4-rfc9568-checksum: 0x55dc matches the message-only form; with the pseudo-header it would be 0x60c5', () => {
    const { a, f } = adverts('v3-ipv4-rfc9568-checksum.pcap')[0]!;
    assert.ok(a.ok && f.kind === 'vrrp');
    assert.equal(a.value.checksum, 0x55dc);
    const ctx = { version: 3 as const, family: 'ipv4' as const, source: f.facts.source, destination: f.facts.destination };
    assert.equal(matchVrrpChecksum(f.vrrp, 0, f.vrrp.length, ctx), 'message-only');
    assert.equal(vrrpChecksum(f.vrrp, 0, f.vrrp.length, 'pseudo-header', ctx), 0x60c5);
    assert.equal(vrrpChecksum(f.vrrp, 0, f.vrrp.length, 'message-only', ctx), 0x55dc);
  });

  test('v3-ipv6: two VIPs (fe80::129 first), Max Adver Int 100, checksum 0xc2cb with the IPv6 pseudo-header, from the link-local', () => {
    const { a, f } = adverts('v3-ipv6.pcap')[0]!;
    assert.ok(a.ok && f.kind === 'vrrp');
    assert.deepEqual(a.value.addresses, ['fe80::129', '2001:db8:10::129']);
    assert.equal(a.value.intervalCs, 100);
    assert.equal(a.value.checksum, 0xc2cb);
    assert.equal(f.facts.ttl, 255);
    assert.ok(f.facts.source.startsWith('fe80::'));
    assert.equal(matchVrrpChecksum(f.vrrp, 0, f.vrrp.length, { version: 3, family: 'ipv6', source: f.facts.source, destination: f.facts.destination }), 'pseudo-header');
  });

  test('keepalived-v3: Max Adver Int 10 cs, pseudo-header checksum', () => {
    const { a, f } = adverts('keepalived-v3.pcap')[0]!;
    assert.ok(a.ok && f.kind === 'vrrp');
    assert.equal(a.value.intervalCs, 10);
    assert.equal(matchVrrpChecksum(f.vrrp, 0, f.vrrp.length, { version: 3, family: 'ipv4', source: f.facts.source, destination: f.facts.destination }), 'pseudo-header');
  });
});
