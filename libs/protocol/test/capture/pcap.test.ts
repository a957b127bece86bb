// The pcap reader and the frame decoder on files it did not see from keepalived: the other byte order,
// nanosecond timestamps, Linux cooked captures (v1 and v2), 802.1Q tags, and damaged files.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { LINKTYPE_LINUX_SLL, LINKTYPE_LINUX_SLL2, readPcap, writePcap } from '../../src/capture/pcap.js';
import { decodeFrame } from '../../src/capture/frame.js';
import * as ethernet from '../../src/packet/ethernet.js';
import { hex, toHex } from '../support/roundtrip.js';

const fixture = new Uint8Array(readFileSync(fileURLToPath(new URL('../fixtures/keepalived/keepalived-v2.pcap', import.meta.url))));

/** Rewrites a little-endian µs pcap into big-endian, optionally nanosecond. */
function toBigEndian(le: Uint8Array, nanosecond: boolean): Uint8Array {
  const out = Uint8Array.from(le);
  const src = new DataView(le.buffer, le.byteOffset, le.byteLength);
  const dst = new DataView(out.buffer);
  dst.setUint32(0, nanosecond ? 0xa1b23c4d : 0xa1b2c3d4, false);
  dst.setUint16(4, src.getUint16(4, true), false);
  dst.setUint16(6, src.getUint16(6, true), false);
  for (const at of [8, 12, 16, 20]) dst.setUint32(at, src.getUint32(at, true), false);
  for (let at = 24; at < le.length; ) {
    const cap = src.getUint32(at + 8, true);
    dst.setUint32(at, src.getUint32(at, true), false);
    dst.setUint32(at + 4, src.getUint32(at + 4, true) * (nanosecond ? 1000 : 1), false);
    dst.setUint32(at + 8, cap, false);
    dst.setUint32(at + 12, src.getUint32(at + 12, true), false);
    at += 16 + cap;
  }
  return out;
}

const ADVERT = hex('01005e000012ae79beb59c6d080045c0002800020000ff70c6090a0a0a7ee000001221336401010100d90a0a0a813132333400000000');

describe('pcap', () => {
  const le = readPcap(fixture);
  assert.ok(le.ok);

  test('big-endian microsecond and nanosecond files read the same records', () => {
    for (const ns of [false, true]) {
      const be = readPcap(toBigEndian(fixture, ns));
      assert.ok(be.ok);
      assert.equal(be.value.bigEndian, true);
      assert.equal(be.value.nanosecond, ns);
      assert.equal(be.value.records.length, le.value.records.length);
      be.value.records.forEach((r, i) => {
        assert.equal(toHex(r.data), toHex(le.value.records[i]!.data));
        assert.equal(r.timestampUs, le.value.records[i]!.timestampUs);
      });
    }
  });

  test('writePcap → readPcap round-trips', () => {
    const again = readPcap(writePcap(le.value.records));
    assert.ok(again.ok);
    assert.deepEqual(again.value.records.map((r) => [r.timestampUs, toHex(r.data)]), le.value.records.map((r) => [r.timestampUs, toHex(r.data)]));
  });

  test('a file cut inside a record keeps the records before it', () => {
    const cut = readPcap(fixture.subarray(0, fixture.length - 3));
    assert.ok(cut.ok);
    assert.equal(cut.value.records.length, le.value.records.length - 1);
    assert.match(cut.value.truncated ?? '', /claims/);
  });

  test('not a pcap, or too short for the header', () => {
    const a = readPcap(new TextEncoder().encode('this is not a capture file at all'));
    assert.ok(!a.ok && a.reason === 'not-pcap');
    const b = readPcap(fixture.subarray(0, 23));
    assert.ok(!b.ok && b.reason === 'truncated');
  });
});

describe('frame', () => {
  test('an 802.1Q-tagged advert decodes through the tag', () => {
    const tagged = Uint8Array.of(...ADVERT.subarray(0, 12), 0x81, 0x00, 0xc0, 0x64, ...ADVERT.subarray(12));
    const f = decodeFrame(tagged);
    assert.ok(f.ok && f.value.kind === 'vrrp');
    assert.equal(f.value.link.kind === 'ethernet' && f.value.link.header.vlan?.id, 100);
    assert.equal(toHex(f.value.vrrp), toHex(ADVERT.subarray(34)));
  });

  test('Ethernet padding after the IP total length is ignored', () => {
    const f = decodeFrame(Uint8Array.of(...ADVERT, 0, 0, 0, 0, 0, 0));
    assert.ok(f.ok && f.value.kind === 'vrrp');
    assert.equal(f.value.vrrp.length, 20);
  });

  test('Linux cooked v1 and v2 captures', () => {
    const sll = Uint8Array.of(0, 0, 0, 1, 0, 6, ...ADVERT.subarray(6, 12), 0, 0, 0x08, 0x00, ...ADVERT.subarray(14));
    const a = decodeFrame(sll, LINKTYPE_LINUX_SLL);
    assert.ok(a.ok && a.value.kind === 'vrrp');
    assert.equal(a.value.link.kind === 'sll' && a.value.link.source, 'ae:79:be:b5:9c:6d');
    const sll2 = Uint8Array.of(0x08, 0x00, 0, 0, 0, 0, 0, 7, 0, 1, 0, 6, ...ADVERT.subarray(6, 12), 0, 0, ...ADVERT.subarray(14));
    const b = decodeFrame(sll2, LINKTYPE_LINUX_SLL2);
    assert.ok(b.ok && b.value.kind === 'vrrp');
    assert.equal(b.value.facts.ifindex, 7);
  });

  test('non-VRRP IP and other ethertypes are "other"; unknown link types and damage are reasons', () => {
    const udp = Uint8Array.from(ADVERT);
    udp[23] = 17;
    const o = decodeFrame(udp);
    assert.ok(o.ok && o.value.kind === 'other' && o.value.protocol === 17);
    const lldp = ethernet.encode({ destination: '01:80:c2:00:00:0e', source: '00:00:00:00:00:01', ethertype: 0x88cc });
    const l = decodeFrame(lldp);
    assert.ok(l.ok && l.value.kind === 'other');
    const u = decodeFrame(ADVERT, 105);
    assert.ok(!u.ok && u.reason === 'type');
    const t = decodeFrame(ADVERT.subarray(0, 40));
    assert.ok(!t.ok && t.reason === 'length');
  });
});
