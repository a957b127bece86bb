// One test per ladder row (validate/ladder.ts), named after the rule: each packet breaks exactly that
// rule and must be reported under exactly that class; plus order tests where keepalived's order decides.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Advertisement, IpFacts } from '../../src/types.js';
import type { ValidationConfig } from '../../src/validate/config.js';
import type { LadderResult } from '../../src/validate/ladder.js';
import { peekVrid, validateAdvertisement, validateIpv4Datagram } from '../../src/validate/ladder.js';
import { ANOMALY_CLASSES, isAnomalyClass } from '../../src/validate/anomaly.js';
import type { AdvertisementFields } from '../../src/packet/vrrp.js';
import * as vrrp from '../../src/packet/vrrp.js';
import * as ipv4 from '../../src/packet/ipv4.js';
import { vrrpChecksum } from '../../src/packet/checksum.js';
import { readPcap } from '../../src/capture/pcap.js';
import { decodeFrame } from '../../src/capture/frame.js';

// The tutorial's VI_1 as seen by the BACKUP (10.10.10.127).
const v2Config: ValidationConfig = {
  version: 2, family: 'ipv4', vrid: 51, priority: 99, authType: 1, authPass: '1234', intervalCs: 100,
  virtualAddresses: ['10.10.10.129'], ownAddresses: ['10.10.10.127'],
};
const master: IpFacts = { family: 'ipv4', source: '10.10.10.126', destination: '224.0.0.18', ttl: 255 };
const v2Fields: AdvertisementFields = { version: 2, family: 'ipv4', vrid: 51, priority: 100, intervalCs: 100, addresses: ['10.10.10.129'], authType: 1, authData: vrrp.passwordAuthData('1234') };

const v3Config: ValidationConfig = { version: 3, family: 'ipv4', vrid: 51, intervalCs: 100, virtualAddresses: ['10.10.10.129'] };
const v3Fields: AdvertisementFields = { version: 3, family: 'ipv4', vrid: 51, priority: 100, intervalCs: 100, addresses: ['10.10.10.129'] };

const v6Config: ValidationConfig = { version: 3, family: 'ipv6', vrid: 51, intervalCs: 100, virtualAddresses: ['fe80::129', '2001:DB8:10::129'] };
const v6Master: IpFacts = { family: 'ipv6', source: 'fe80::e829:c7ff:feef:cbb6', destination: 'ff02::12', ttl: 255 };
const v6Fields: AdvertisementFields = { version: 3, family: 'ipv6', vrid: 51, priority: 100, intervalCs: 100, addresses: ['2001:db8:10::129', 'fe80::129'] };

/** Encodes with a correct checksum for `ip`, then lets `mutate` break the bytes (the checksum is recomputed unless `keepChecksum`). */
function packet(fields: AdvertisementFields, ip: IpFacts, opts: { form?: 'pseudo-header' | 'message-only'; mutate?: (b: Uint8Array) => Uint8Array; fixChecksum?: boolean } = {}): Uint8Array {
  const a: Advertisement = vrrp.withChecksum(fields, { source: ip.source, destination: ip.destination, v3Ipv4Form: opts.form ?? 'pseudo-header' });
  let b = vrrp.encode(a);
  if (opts.mutate) {
    b = opts.mutate(b);
    if (opts.fixChecksum !== false && b.length >= 8) {
      const form = fields.family === 'ipv6' ? 'pseudo-header' : fields.version === 2 ? 'message-only' : (opts.form ?? 'pseudo-header');
      const c = vrrpChecksum(b, 0, b.length, form, { version: fields.version, family: fields.family, source: ip.source, destination: ip.destination });
      b[6] = c >>> 8;
      b[7] = c & 0xff;
    }
  }
  return b;
}

function cls(r: LadderResult): string {
  return r.ok ? `ok${r.notes.length ? ` [${r.notes.join(',')}]` : ''}` : r.anomaly.class;
}

describe('validation ladder: one rule per row', () => {
  test('a well-formed advert passes every rung (v2, v3/IPv4, v3/IPv6)', () => {
    assert.equal(cls(validateAdvertisement(packet(v2Fields, master), master, v2Config)), 'ok');
    assert.equal(cls(validateAdvertisement(packet(v3Fields, master), master, v3Config)), 'ok');
    assert.equal(cls(validateAdvertisement(packet(v6Fields, v6Master), v6Master, v6Config)), 'ok');
  });

  test('family: an IPv6 packet never reaches an IPv4 instance', () => {
    assert.equal(cls(validateAdvertisement(packet(v6Fields, v6Master), v6Master, v3Config)), 'family');
  });

  test('length: shorter than the 8-byte VRRP header', () => {
    assert.equal(cls(validateAdvertisement(packet(v2Fields, master).subarray(0, 7), master, v2Config)), 'length');
  });

  test('vrid-unknown: MUST verify that the VRID is configured on the receiving interface', () => {
    const b = packet({ ...v2Fields, vrid: 52 }, master);
    assert.equal(peekVrid(b), 52);
    assert.equal(cls(validateAdvertisement(b, master, v2Config)), 'vrid-unknown');
  });

  test('length: MUST verify that the received packet contains the complete VRRP packet', () => {
    assert.equal(cls(validateAdvertisement(packet(v2Fields, master).subarray(0, 19), master, v2Config)), 'length');
    assert.equal(cls(validateAdvertisement(Uint8Array.of(...packet(v2Fields, master), 0), master, v2Config)), 'length');
  });

  test('ttl: MUST verify that the IPv4 TTL / IPv6 Hop Limit is 255', () => {
    assert.equal(cls(validateAdvertisement(packet(v2Fields, master), { ...master, ttl: 254 }, v2Config)), 'ttl');
    assert.equal(cls(validateAdvertisement(packet(v6Fields, v6Master), { ...v6Master, ttl: 1 }, v6Config)), 'ttl');
  });

  test('ttl: not checked for unicast peers (keepalived), nor when the hop limit is unknown (-1)', () => {
    const uc: ValidationConfig = { ...v2Config, unicastPeers: [{ address: '10.10.10.126' }] };
    const to = { ...master, destination: '10.10.10.127', ttl: 64 };
    assert.equal(cls(validateAdvertisement(packet(v2Fields, to), to, uc)), 'ok');
    assert.equal(cls(validateAdvertisement(packet(v6Fields, v6Master), { ...v6Master, ttl: -1 }, v6Config)), 'ok');
  });

  test('version: MUST verify the VRRP version', () => {
    assert.equal(cls(validateAdvertisement(packet(v3Fields, master), master, v2Config)), 'version');
    // an unknown version with a self-consistent length
    assert.equal(cls(validateAdvertisement(packet(v3Fields, master, { mutate: (b) => Uint8Array.of(0x41, ...b.subarray(1)) }), master, v3Config)), 'version');
  });

  test('auth-type: VRRPv2 auth type must be 0, 1 or 2', () => {
    assert.equal(cls(validateAdvertisement(packet({ ...v2Fields, authType: 3 }, master), master, v2Config)), 'auth-type');
  });

  test('auth-mismatch: VRRPv2 auth type must be the configured one', () => {
    assert.equal(cls(validateAdvertisement(packet({ ...v2Fields, authType: 0, authData: new Uint8Array(8) }, master), master, v2Config)), 'auth-mismatch');
    assert.equal(cls(validateAdvertisement(packet(v2Fields, master), master, { ...v2Config, authType: 0 })), 'auth-mismatch');
  });

  test('auth-failure: VRRPv2 PASS password must match (NUL-padded to 8)', () => {
    assert.equal(cls(validateAdvertisement(packet({ ...v2Fields, authData: vrrp.passwordAuthData('4321') }, master), master, v2Config)), 'auth-failure');
    assert.equal(cls(validateAdvertisement(packet({ ...v2Fields, authData: vrrp.passwordAuthData('12345') }, master), master, v2Config)), 'auth-failure');
  });

  test('interval-mismatch (v2): MUST verify the Adver Interval equals ours, else discard (RFC 3768 §7.1)', () => {
    assert.equal(cls(validateAdvertisement(packet({ ...v2Fields, intervalCs: 200 }, master), master, v2Config)), 'interval-mismatch');
  });

  test('interval-mismatch (v3): accepted with a note; the backup adopts the master\'s interval (RFC 9568 §6.4.2)', () => {
    const r = validateAdvertisement(packet({ ...v3Fields, intervalCs: 10 }, master), master, v3Config);
    assert.equal(cls(r), 'ok [interval-mismatch]');
    assert.ok(r.ok && r.advert.intervalCs === 10);
  });

  test('type: a packet with unknown type MUST be discarded', () => {
    assert.equal(cls(validateAdvertisement(packet({ ...v2Fields, type: 2 }, master), master, v2Config)), 'type');
  });

  test('address-list-mismatch: address count differs from our virtual addresses', () => {
    assert.equal(cls(validateAdvertisement(packet({ ...v2Fields, addresses: ['10.10.10.129', '10.10.10.130'] }, master), master, v2Config)), 'address-list-mismatch');
  });

  test('checksum: MUST verify the VRRP checksum', () => {
    const flip = (b: Uint8Array): Uint8Array => Uint8Array.of(...b.subarray(0, 7), (b[7] ?? 0) ^ 1, ...b.subarray(8));
    assert.equal(cls(validateAdvertisement(packet(v2Fields, master, { mutate: flip, fixChecksum: false }), master, v2Config)), 'checksum');
    assert.equal(cls(validateAdvertisement(packet(v3Fields, master, { mutate: flip, fixChecksum: false }), master, v3Config)), 'checksum');
    assert.equal(cls(validateAdvertisement(packet(v6Fields, v6Master, { mutate: flip, fixChecksum: false }), v6Master, v6Config)), 'checksum');
  });

  test('checksum-other-form: a VRRPv3/IPv4 peer with the other v3_checksum_as_v2 setting', () => {
    assert.equal(cls(validateAdvertisement(packet(v3Fields, master, { form: 'message-only' }), master, v3Config)), 'checksum-other-form');
    assert.equal(cls(validateAdvertisement(packet(v3Fields, master), master, { ...v3Config, v3Ipv4Checksum: 'message-only' })), 'checksum-other-form');
    assert.equal(cls(validateAdvertisement(packet(v3Fields, master, { form: 'message-only' }), master, { ...v3Config, v3Ipv4Checksum: 'message-only' })), 'ok');
  });

  test('checksum: keepalived\'s old unicast checksum (multicast group in the pseudo-header) is accepted for unicast peers only', () => {
    const uc: ValidationConfig = { ...v3Config, unicastPeers: [{ address: '10.10.10.126' }] };
    const to: IpFacts = { ...master, destination: '10.10.10.127' };
    const oldStyle = packet(v3Fields, master); // checksum computed with 224.0.0.18, sent to the peer
    const r = validateAdvertisement(oldStyle, to, uc);
    assert.equal(cls(r), 'ok');
    assert.ok(r.ok && r.checksum === 'pseudo-header-multicast-destination');
  });

  test('multicast-unicast-mismatch: a unicast instance receiving multicast, and a multicast instance receiving unicast', () => {
    const uc: ValidationConfig = { ...v2Config, unicastPeers: [{ address: '10.10.10.126' }] };
    assert.equal(cls(validateAdvertisement(packet(v2Fields, master), master, uc)), 'multicast-unicast-mismatch');
    const to: IpFacts = { ...master, destination: '10.10.10.127' };
    assert.equal(cls(validateAdvertisement(packet(v2Fields, to), to, v2Config)), 'multicast-unicast-mismatch');
  });

  test('multicast group: with vrrp_mcast_group4 224.0.0.100, an advert to 224.0.0.18 is dropped and one to 224.0.0.100 accepted', () => {
    const grouped: ValidationConfig = { ...v2Config, multicastGroup: '224.0.0.100' };
    assert.equal(cls(validateAdvertisement(packet(v2Fields, master), master, grouped)), 'multicast-unicast-mismatch');
    const to: IpFacts = { ...master, destination: '224.0.0.100' };
    assert.equal(cls(validateAdvertisement(packet(v2Fields, to), to, grouped)), 'ok');
    const v6: ValidationConfig = { ...v6Config, multicastGroup: 'FF02::1:12' };
    const v6To: IpFacts = { ...v6Master, destination: 'ff02::1:12' };
    assert.equal(cls(validateAdvertisement(packet(v6Fields, v6To), v6To, v6)), 'ok');
    assert.equal(cls(validateAdvertisement(packet(v6Fields, v6Master), v6Master, v6)), 'multicast-unicast-mismatch');
  });

  test('address-list-mismatch: one of our virtual addresses is not in the advert (keepalived drops)', () => {
    assert.equal(cls(validateAdvertisement(packet({ ...v2Fields, addresses: ['10.10.10.130'] }, master), master, v2Config)), 'address-list-mismatch');
  });

  test('address lists compare as sets of canonical addresses', () => {
    assert.equal(cls(validateAdvertisement(packet(v6Fields, v6Master), v6Master, v6Config)), 'ok'); // other order, upper-case config
  });

  test('skip_check_adv_addr: addresses are not checked while the same master keeps advertising (BACKUP only)', () => {
    const skip: ValidationConfig = { ...v2Config, skipCheckAdvAddr: true };
    const b = packet({ ...v2Fields, addresses: ['10.10.10.130'] }, master);
    assert.equal(cls(validateAdvertisement(b, master, skip, { masterAddress: '10.10.10.126' })), 'ok');
    assert.equal(cls(validateAdvertisement(b, master, skip, { masterAddress: '10.10.10.125' })), 'address-list-mismatch');
    assert.equal(cls(validateAdvertisement(b, master, skip, {})), 'address-list-mismatch');
    assert.equal(cls(validateAdvertisement(b, master, skip, { isMaster: true, masterAddress: '10.10.10.126' })), 'address-list-mismatch');
  });

  test('unicast-source-unknown: with check_unicast_src, the source must be a unicast peer', () => {
    const uc: ValidationConfig = { ...v2Config, unicastPeers: [{ address: '10.10.10.128' }], checkUnicastSource: true };
    const to: IpFacts = { ...master, destination: '10.10.10.127' };
    assert.equal(cls(validateAdvertisement(packet(v2Fields, to), to, uc)), 'unicast-source-unknown');
    assert.equal(cls(validateAdvertisement(packet(v2Fields, to), to, { ...uc, checkUnicastSource: false })), 'ok');
  });

  test('ttl: with check_unicast_src, a unicast peer\'s TTL must be within its min_ttl..max_ttl', () => {
    const uc: ValidationConfig = { ...v2Config, unicastPeers: [{ address: '10.10.10.126', minTtl: 250, maxTtl: 255 }], checkUnicastSource: true };
    const to: IpFacts = { ...master, destination: '10.10.10.127', ttl: 64 };
    assert.equal(cls(validateAdvertisement(packet(v2Fields, to), to, uc)), 'ttl');
    assert.equal(cls(validateAdvertisement(packet(v2Fields, to), { ...to, ttl: 254 }, uc)), 'ok');
  });

  test('own-address: an advert from one of our own addresses is dropped', () => {
    const self: IpFacts = { ...master, source: '10.10.10.127' };
    assert.equal(cls(validateAdvertisement(packet(v2Fields, self), self, v2Config)), 'own-address');
  });

  test('priority-owner-conflict: both sides claim priority 255 — accepted with a note', () => {
    assert.equal(cls(validateAdvertisement(packet({ ...v2Fields, priority: 255 }, master), master, { ...v2Config, priority: 255 })), 'ok [priority-owner-conflict]');
  });

  test('priority 0 (master resigning) is a valid advert', () => {
    const r = validateAdvertisement(packet({ ...v2Fields, priority: 0 }, master), master, v2Config);
    assert.ok(r.ok && r.advert.priority === 0);
  });
});

describe('validation ladder: keepalived\'s order decides which class is reported', () => {
  test('VRID is looked up before anything else but the header length', () => {
    const b = packet({ ...v3Fields, vrid: 9 }, master);
    assert.equal(cls(validateAdvertisement(b, { ...master, ttl: 1 }, v2Config)), 'vrid-unknown');
  });
  test('length before TTL before version', () => {
    const b = packet(v3Fields, master);
    assert.equal(cls(validateAdvertisement(b.subarray(0, 11), { ...master, ttl: 1 }, v2Config)), 'length');
    assert.equal(cls(validateAdvertisement(b, { ...master, ttl: 1 }, v2Config)), 'ttl');
  });
  test('v2 auth and interval before type; type before address count; address count before checksum', () => {
    assert.equal(cls(validateAdvertisement(packet({ ...v2Fields, type: 3, intervalCs: 300 }, master), master, v2Config)), 'interval-mismatch');
    assert.equal(cls(validateAdvertisement(packet({ ...v2Fields, type: 3, addresses: [] }, master), master, v2Config)), 'type');
    const noSum = packet({ ...v2Fields, addresses: [] }, master, { mutate: (b) => Uint8Array.of(...b.subarray(0, 6), 0, 0, ...b.subarray(8)), fixChecksum: false });
    assert.equal(cls(validateAdvertisement(noSum, master, v2Config)), 'address-list-mismatch');
  });
  test('checksum before multicast/unicast, which comes before the address list', () => {
    const to: IpFacts = { ...master, destination: '10.10.10.127' };
    const b = packet({ ...v2Fields, addresses: ['10.10.10.1'] }, to);
    assert.equal(cls(validateAdvertisement(b, to, v2Config)), 'multicast-unicast-mismatch');
  });
});

describe('validateIpv4Datagram (IPv4 raw socket: the IP header comes too)', () => {
  const payload = packet(v2Fields, master);
  const header = ipv4.encode(ipv4.build({ source: master.source, destination: master.destination, payloadLength: payload.length, identification: 1 }));
  const datagram = Uint8Array.of(...header, ...payload);
  test('takes TTL and addresses from the header', () => {
    assert.equal(cls(validateIpv4Datagram(datagram, v2Config)), 'ok');
    const ttl1 = Uint8Array.from(datagram);
    ttl1[8] = 1;
    assert.equal(cls(validateIpv4Datagram(ttl1, v2Config)), 'ttl');
  });
  test('length: the IP total length must equal what was received (keepalived ip_tot_len check)', () => {
    assert.equal(cls(validateIpv4Datagram(Uint8Array.of(...datagram, 0), v2Config)), 'length');
    assert.equal(cls(validateIpv4Datagram(datagram.subarray(0, 30), v2Config)), 'length');
  });
  test('auth-mismatch: an AH packet reaching a non-AH instance', () => {
    const ah = Uint8Array.from(datagram);
    ah[9] = 51;
    assert.equal(cls(validateIpv4Datagram(ah, v2Config)), 'auth-mismatch');
  });
});

describe('golden captures pass the ladder with their own configs', () => {
  const dir = fileURLToPath(new URL('../fixtures/keepalived/', import.meta.url));
  const cases: { pcap: string; config: ValidationConfig }[] = [
    { pcap: 'keepalived-v2.pcap', config: { ...v2Config, ownAddresses: [] } },
    { pcap: 'keepalived-v3.pcap', config: { ...v3Config, intervalCs: 10 } },
    { pcap: 'v2-prio0.pcap', config: { ...v2Config, ownAddresses: [] } },
    { pcap: 'v2-unicast.pcap', config: { ...v2Config, ownAddresses: [], unicastPeers: [{ address: '10.10.10.126' }, { address: '10.10.10.127' }], checkUnicastSource: true } },
    { pcap: 'v3-ipv4-rfc9568-checksum.pcap', config: { ...v3Config, v3Ipv4Checksum: 'message-only' } },
    { pcap: 'v3-ipv6.pcap', config: v6Config },
  ];
  for (const c of cases) {
    test(c.pcap, () => {
      const file = readPcap(new Uint8Array(readFileSync(dir + c.pcap)));
      assert.ok(file.ok);
      let n = 0;
      for (const r of file.value.records) {
        const f = decodeFrame(r.data);
        if (!f.ok || f.value.kind !== 'vrrp') continue;
        assert.equal(cls(validateAdvertisement(f.value.vrrp, f.value.facts, c.config)), 'ok');
        n++;
      }
      assert.ok(n > 0);
    });
  }
  test('the RFC 9568-form capture against a default (pseudo-header) keepalived is checksum-other-form', () => {
    const file = readPcap(new Uint8Array(readFileSync(dir + 'v3-ipv4-rfc9568-checksum.pcap')));
    assert.ok(file.ok);
    const f = decodeFrame(file.value.records[0]!.data);
    assert.ok(f.ok && f.value.kind === 'vrrp');
    assert.equal(cls(validateAdvertisement(f.value.vrrp, f.value.facts, v3Config)), 'checksum-other-form');
  });
});

test('the anomaly class list is closed and every class is a string label', () => {
  assert.equal(new Set(ANOMALY_CLASSES).size, ANOMALY_CLASSES.length);
  for (const c of ['ttl', 'version', 'checksum', 'checksum-other-form', 'type', 'length', 'vrid-unknown', 'auth-type', 'auth-mismatch', 'auth-failure', 'interval-mismatch', 'address-list-mismatch', 'unicast-source-unknown', 'multicast-unicast-mismatch', 'priority-owner-conflict']) {
    assert.ok(isAnomalyClass(c), c);
  }
  assert.ok(!isAnomalyClass('other'));
});
