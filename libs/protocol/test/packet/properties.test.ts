// Property tests (fast-check): untrusted bytes never make a decoder or the ladder throw, and everything
// our encoders produce decodes, round-trips and passes the ladder. About 1.3 × 10^5 cases per run.
// Seeds are random per run; a failure prints the seed and the shrunk counterexample to replay.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import type { Family, IpFacts } from '../../src/types.js';
import * as address from '../../src/packet/address.js';
import * as vrrp from '../../src/packet/vrrp.js';
import * as ipv4 from '../../src/packet/ipv4.js';
import * as ipv6 from '../../src/packet/ipv6.js';
import * as ethernet from '../../src/packet/ethernet.js';
import * as arp from '../../src/packet/arp.js';
import * as ndisc from '../../src/packet/ndisc.js';
import { readPcap } from '../../src/capture/pcap.js';
import { decodeFrame } from '../../src/capture/frame.js';
import { validateAdvertisement, validateIpv4Datagram } from '../../src/validate/ladder.js';
import type { ValidationConfig } from '../../src/validate/config.js';
import type { AdvertisementFields } from '../../src/packet/vrrp.js';

const bytes = (max = 128): fc.Arbitrary<Uint8Array> => fc.uint8Array({ maxLength: max });
const ipv4Text = fc.uint8Array({ minLength: 4, maxLength: 4 }).map((b) => address.formatIpv4(b));
const ipv6Text = fc.uint8Array({ minLength: 16, maxLength: 16 }).map((b) => address.formatIpv6(b));
const family = fc.constantFrom<Family>('ipv4', 'ipv6');

/** Bytes that look like VRRP: a plausible header on purpose, so the deeper rungs get exercised too. */
const vrrpish = fc
  .tuple(fc.constantFrom(0x21, 0x31, 0x22, 0x11, 0x41, 0x30), fc.constantFrom(51, 52, 0), fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 4 }), bytes(80))
  .map(([vt, vrid, prio, count, rest]) => Uint8Array.of(vt, vrid, prio, count, ...rest));

const facts = (f: Family): fc.Arbitrary<IpFacts> =>
  fc.record({
    family: fc.constant(f),
    source: f === 'ipv4' ? ipv4Text : ipv6Text,
    destination: f === 'ipv4' ? fc.oneof(fc.constant('224.0.0.18'), ipv4Text) : fc.oneof(fc.constant('ff02::12'), ipv6Text),
    ttl: fc.oneof(fc.constant(255), fc.integer({ min: -1, max: 255 })),
  });

const configs: readonly ValidationConfig[] = [
  { version: 2, family: 'ipv4', vrid: 51, authType: 1, authPass: '1234', intervalCs: 100, virtualAddresses: ['10.10.10.129'] },
  { version: 3, family: 'ipv4', vrid: 51, intervalCs: 100, virtualAddresses: ['10.10.10.129'], unicastPeers: [{ address: '10.10.10.126' }], checkUnicastSource: true },
  { version: 3, family: 'ipv6', vrid: 51, intervalCs: 100, virtualAddresses: ['fe80::129', '2001:db8:10::129'] },
];

describe('decode never throws on arbitrary bytes', () => {
  test('vrrp.decode, any family, any offset (40 000 cases)', () => {
    fc.assert(
      fc.property(fc.oneof(bytes(), vrrpish), family, fc.integer({ min: -2, max: 10 }), (b, f, off) => {
        const r = vrrp.decode(b, off, f);
        if (r.ok) assert.equal(r.bytes, b.length - off);
      }),
      { numRuns: 40_000 },
    );
  });

  test('the validation ladder, any bytes and IP facts (30 000 cases)', () => {
    fc.assert(
      fc.property(fc.oneof(bytes(), vrrpish), fc.constantFrom(...configs).chain((c) => fc.tuple(fc.constant(c), facts(c.family))), fc.boolean(), (b, [config, ip], asDatagram) => {
        const r = asDatagram && config.family === 'ipv4' ? validateIpv4Datagram(b, config) : validateAdvertisement(b, ip, config);
        if (!r.ok) assert.ok(r.anomaly.detail.length > 0);
      }),
      { numRuns: 30_000 },
    );
  });

  test('ipv4, ipv6, ethernet, arp, ndisc and whole frames (20 000 cases)', () => {
    fc.assert(
      fc.property(bytes(160), fc.integer({ min: 0, max: 4 }), fc.constantFrom(1, 113, 276, 0), (b, off, linktype) => {
        ipv4.decode(b, off);
        ipv4.splitDatagram(b, off, 'padded');
        ipv6.splitPacket(b, off);
        ethernet.decode(b, off);
        arp.decode(b, off);
        ndisc.decode(b, off);
        decodeFrame(b, linktype);
      }),
      { numRuns: 20_000 },
    );
  });

  test('readPcap on damaged copies of a real capture (5 000 cases)', () => {
    const real = new Uint8Array(readFileSync(fileURLToPath(new URL('../fixtures/keepalived/v2-prio0.pcap', import.meta.url))));
    fc.assert(
      fc.property(fc.integer({ min: 0, max: real.length }), fc.array(fc.tuple(fc.nat(real.length - 1), fc.nat(255)), { maxLength: 6 }), (cut, edits) => {
        const b = Uint8Array.from(real.subarray(0, cut));
        for (const [at, v] of edits) if (at < b.length) b[at] = v;
        const r = readPcap(b);
        if (r.ok) for (const rec of r.value.records) decodeFrame(rec.data, r.value.linktype);
      }),
      { numRuns: 5_000 },
    );
  });
});

/** Advert fields plus, for VRRPv2 PASS, the configured password that produced the auth data. */
type Case = { readonly fields: AdvertisementFields; readonly password?: string | undefined };

const fieldsArb: fc.Arbitrary<Case> = fc.oneof(
  fc.record({
    version: fc.constant(2 as const), family: fc.constant('ipv4' as const), vrid: fc.integer({ min: 0, max: 255 }), priority: fc.integer({ min: 0, max: 255 }),
    intervalCs: fc.integer({ min: 0, max: 255 }).map((s) => s * 100), addresses: fc.array(ipv4Text, { maxLength: 20 }),
    password: fc.option(fc.string({ maxLength: 10 }), { nil: undefined }),
  }).map(({ password, ...rest }): Case => ({
    // keepalived: auth_type PASS with the password NUL-padded; none = 8 zero bytes
    fields: { ...rest, authType: password === undefined ? 0 : 1, authData: password === undefined ? new Uint8Array(8) : vrrp.passwordAuthData(password) },
    password,
  })),
  fc.record({
    version: fc.constant(3 as const), family: fc.constant('ipv4' as const), vrid: fc.integer({ min: 0, max: 255 }), priority: fc.integer({ min: 0, max: 255 }),
    intervalCs: fc.integer({ min: 0, max: 4095 }), addresses: fc.array(ipv4Text, { maxLength: 20 }),
  }).map((fields): Case => ({ fields })),
  fc.record({
    version: fc.constant(3 as const), family: fc.constant('ipv6' as const), vrid: fc.integer({ min: 0, max: 255 }), priority: fc.integer({ min: 0, max: 255 }),
    intervalCs: fc.integer({ min: 0, max: 4095 }), addresses: fc.array(ipv6Text, { maxLength: 8 }),
  }).map((fields): Case => ({ fields })),
);

/** The config that should accept exactly this advert from this source (a multicast instance). */
function configFor({ fields: f, password }: Case): ValidationConfig {
  return {
    version: f.version, family: f.family, vrid: f.vrid, intervalCs: f.intervalCs, virtualAddresses: [...f.addresses],
    ...(password === undefined ? {} : { authType: 1 as const, authPass: password }),
  };
}

describe('everything the encoder produces decodes, round-trips and validates', () => {
  test('encode → decode → encode, and the ladder accepts it (20 000 cases)', () => {
    fc.assert(
      fc.property(fieldsArb, fc.constantFrom('pseudo-header' as const, 'message-only' as const), (c, form) => {
        const { fields } = c;
        const src = fields.family === 'ipv4' ? '10.10.10.126' : 'fe80::1';
        const dst = fields.family === 'ipv4' ? '224.0.0.18' : 'ff02::12';
        const a = vrrp.withChecksum(fields, { source: src, destination: dst, v3Ipv4Form: form });
        const b = vrrp.encode(a);
        assert.equal(b.length, vrrp.encodingLength(a));
        const d = vrrp.decode(b, 0, a.family);
        assert.ok(d.ok);
        assert.deepEqual(d.value, a);
        assert.deepEqual(vrrp.encode(d.value), b);
        const r = validateAdvertisement(b, { family: a.family, source: src, destination: dst, ttl: 255 }, { ...configFor(c), v3Ipv4Checksum: form });
        assert.ok(r.ok, r.ok ? '' : `${r.anomaly.class}: ${r.anomaly.detail}`);
        assert.deepEqual(r.advert, a);
      }),
      { numRuns: 20_000 },
    );
  });

  test('any single-bit flip in a valid advert is rejected (the checksum sees it) (10 000 cases)', () => {
    fc.assert(
      fc.property(fieldsArb, fc.nat(), (c, bit) => {
        const { fields } = c;
        const src = fields.family === 'ipv4' ? '10.10.10.126' : 'fe80::1';
        const dst = fields.family === 'ipv4' ? '224.0.0.18' : 'ff02::12';
        const b = vrrp.encode(vrrp.withChecksum(fields, { source: src, destination: dst }));
        const i = bit % (b.length * 8);
        b[i >> 3] = (b[i >> 3] ?? 0) ^ (1 << (i & 7));
        const r = validateAdvertisement(b, { family: fields.family, source: src, destination: dst, ttl: 255 }, configFor(c));
        assert.equal(r.ok, false);
      }),
      { numRuns: 10_000 },
    );
  });

  test('IPv6 text: format(bytes) is canonical and parses back to the same bytes (10 000 cases)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 16, maxLength: 16 }), fc.uint8Array({ minLength: 4, maxLength: 4 }), (b6, b4) => {
        const t = address.formatIpv6(b6);
        assert.deepEqual(address.parseIpv6(t), b6);
        assert.equal(address.canonicalIp(t.toUpperCase(), 'ipv6'), t);
        assert.deepEqual(address.parseIpv4(address.formatIpv4(b4)), b4);
      }),
      { numRuns: 10_000 },
    );
  });
});
