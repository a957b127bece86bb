// The receive-validation ladder: one rung per RFC / keepalived rule, in keepalived's order, so that a
// packet breaking several rules is reported under the same class keepalived would log first.
//
// Source: keepalived 2.2.x, keepalived/vrrp/vrrp.c vrrp_check_packet() (acassen/keepalived), preceded
// by vrrp_scheduler.c vrrp_dispatcher_read() (header length, VRID lookup) and followed by
// vrrp_state_backup()/vrrp_state_master_rx() (v3 interval adoption, address-owner conflict):
//
//   rung                          keepalived                                      class
//   socket family                 one socket per family                           family
//   header present                vrrp_get_header "packet too short"              length
//   VRID configured               dispatcher rb_search "Unknown VRID"             vrid-unknown
//   complete packet               "vrrp packet too long/short" (expected_len)     length
//   TTL/HL 255 (multicast only)   "invalid TTL/HL"                                ttl
//   version                       "wrong version"                                 version
//   v2: auth type valid           "Invalid auth type"                             auth-type
//   v2: auth type = configured    "received a %d auth, expecting %d!"             auth-mismatch
//   v2: PASS password             "received an invalid passwd!"                   auth-failure
//   v2: adver int = configured    "advertisement interval mismatch" (DROP)        interval-mismatch
//   type = ADVERTISEMENT          "Invalid packet type"                           type
//   address count                 "received an unexpected ip number count"        address-list-mismatch
//   IPv4 total length             "ip_tot_len mismatch"  (validateIpv4Datagram)   length
//   checksum                      "Invalid VRRPv2/VRRPv3 checksum"                checksum | checksum-other-form
//   multicast vs unicast          "Expected multicast packet but received ..."    multicast-unicast-mismatch
//   multicast group (ours)        socket membership of vrrp_mcast_group4/6        multicast-unicast-mismatch
//   addresses = our VIPs          "ip address ... not present in MASTER advert"   address-list-mismatch
//   unicast source is a peer      "unicast source address ... not a unicast peer" unicast-source-unknown
//   unicast peer TTL range        "TTL/HL %d not in range"                        ttl
//   (ours) not from ourselves     only a warning in vrrp_state_master_rx          own-address
//   notes, advert accepted:
//   v3: interval differs          "advertisement interval updated ... by master"  interval-mismatch
//   both address owners (255)     "CONFIGURATION ERROR ... address owner"         priority-owner-conflict
//
// Deviations, on purpose:
// - IPv6 checksums: keepalived lets the kernel verify them (IPV6_CHECKSUM); we verify them here too, since
//   a shell socket (or a capture) may not have had the kernel do it.
// - own-address: keepalived accepts an advert from its own address (it disables multicast loopback, so
//   such a packet is another host with our address) and warns on equal priority. We drop it, so a shell
//   that does receive its own looped-back adverts never treats itself as a peer; the anomaly makes a
//   duplicate address visible.
// - Multicast group: keepalived joins only its vrrp_mcast_group4/6 on a socket with IP_MULTICAST_ALL off,
//   so an advert sent to another group never reaches it. We check the destination against the group
//   too (same class, the rung about where the advert was addressed): a shell socket, a capture or a
//   host that joined both groups must not make an advert to 224.0.0.18 count for a 224.0.0.100 instance.
// - Address-list mismatch is a drop, as in keepalived's code (not merely logged); vrrp_strict does not
//   change any receive check (it only adds config-time restrictions).
import type { Advertisement, IpFacts } from '../types.js';
import type { ChecksumMatch } from '../packet/checksum.js';
import { VRRP_PROTOCOL, matchVrrpChecksum } from '../packet/checksum.js';
import { canonicalIp, isMulticast } from '../packet/address.js';
import * as ipv4 from '../packet/ipv4.js';
import * as vrrp from '../packet/vrrp.js';
import type { Anomaly, AnomalyClass } from './anomaly.js';
import type { ReceiverState, ValidationConfig } from './config.js';

export type LadderResult =
  | {
      readonly ok: true;
      readonly advert: Advertisement;
      /** Anomaly classes to count although the advert is accepted ('interval-mismatch' for v3, 'priority-owner-conflict'). */
      readonly notes: readonly AnomalyClass[];
      /** Which checksum form matched; 'pseudo-header-multicast-destination' means a unicast peer uses keepalived's old unicast checksum (switch to it when sending, as keepalived does). */
      readonly checksum: ChecksumMatch;
    }
  | { readonly ok: false; readonly anomaly: Anomaly };

interface Prepared {
  readonly vips: ReadonlySet<string>;
  readonly vipCount: number;
  readonly authData: Uint8Array | undefined;
  readonly peers: ReadonlyMap<string, { minTtl: number; maxTtl: number }>;
  readonly own: ReadonlySet<string>;
}

// Configs are long-lived; canonicalise their addresses once, not per packet.
const prepared = new WeakMap<ValidationConfig, Prepared>();

function canonical(a: string, config: ValidationConfig, what: string): string {
  const c = canonicalIp(a, config.family);
  if (c === undefined) throw new TypeError(`ValidationConfig.${what}: ${JSON.stringify(a)} is not an ${config.family} address`);
  return c;
}

function prepare(config: ValidationConfig): Prepared {
  let p = prepared.get(config);
  if (p) return p;
  const vips = new Set(config.virtualAddresses.map((a) => canonical(a, config, 'virtualAddresses')));
  const peers = new Map<string, { minTtl: number; maxTtl: number }>();
  for (const peer of config.unicastPeers ?? []) peers.set(canonical(peer.address, config, 'unicastPeers'), { minTtl: peer.minTtl ?? 0, maxTtl: peer.maxTtl ?? 255 });
  p = {
    vips,
    vipCount: config.virtualAddresses.length,
    authData: config.authType === 1 ? vrrp.passwordAuthData(config.authPass ?? '') : undefined,
    peers,
    own: new Set((config.ownAddresses ?? []).map((a) => canonicalIp(a, config.family)).filter((a): a is string => a !== undefined)),
  };
  prepared.set(config, p);
  return p;
}

function reject(cls: AnomalyClass, detail: string): LadderResult {
  return { ok: false, anomaly: { class: cls, detail } };
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= (a[i] ?? 0) ^ (b[i] ?? 0); // constant time, like keepalived's memcmp_constant_time
  return diff === 0;
}

/**
 * Validates one received VRRP message (the IP payload; for IPv4 raw sockets use validateIpv4Datagram)
 * against one instance. Never throws on packet bytes; throws only if `config` itself is malformed.
 */
export function validateAdvertisement(bytes: Uint8Array, ip: IpFacts, config: ValidationConfig, receiver: ReceiverState = {}): LadderResult {
  const p = prepare(config);
  const family = config.family;
  if (ip.family !== family) return reject('family', `${ip.family} packet for an ${family} instance`);

  const h = vrrp.peekHeader(bytes);
  if (!h) return reject('length', `VRRP packet too short: ${bytes.length} bytes`);
  if (h.vrid !== config.vrid) return reject('vrid-unknown', `VRID ${h.vrid}, instance has ${config.vrid}`);

  const expected = vrrp.expectedLength(h.version, h.count, family);
  if (bytes.length !== expected) return reject('length', `VRRP packet too ${bytes.length > expected ? 'long' : 'short'}: ${bytes.length} bytes, ${h.count} address(es) need ${expected}`);

  const peers = p.peers;
  const unicast = peers.size > 0;
  // RFC 9568 §7.1 / RFC 3768 §7.1; keepalived skips this for unicast peers (they may be routed) and when the TTL is unknown.
  if (!unicast && ip.ttl >= 0 && ip.ttl !== ipv4.VRRP_TTL) return reject('ttl', `TTL/hop limit ${ip.ttl}, expected 255`);

  if (h.version !== config.version) return reject('version', `VRRP version ${h.version}, instance runs ${config.version}`);

  if (h.version === 2) {
    const mine = config.authType ?? 0;
    if (h.authType !== vrrp.VRRP_AUTH_NONE && h.authType !== vrrp.VRRP_AUTH_PASS && h.authType !== vrrp.VRRP_AUTH_AH) return reject('auth-type', `invalid auth type ${h.authType}`);
    if (h.authType !== mine) return reject('auth-mismatch', `auth type ${h.authType}, expecting ${mine}`);
    if (p.authData && vrrp.hasAuthData(2, family) && !sameBytes(bytes.subarray(bytes.length - vrrp.VRRP_AUTH_DATA_LENGTH), p.authData)) {
      return reject('auth-failure', 'invalid password');
    }
    // RFC 3768 §7.1: "MUST verify that the Adver Interval in the packet is the same as the locally configured"; keepalived drops.
    if (h.intervalCs !== config.intervalCs) return reject('interval-mismatch', `advert interval ${h.intervalCs / 100} s, mine ${config.intervalCs / 100} s`);
  }

  if (h.type !== vrrp.VRRP_TYPE_ADVERTISEMENT) return reject('type', `packet type ${h.type}`);

  // keepalived: check_addr unless skip_check_adv_addr and the advert comes from the master already accepted (BACKUP only).
  const source = ip.source;
  const checkAddr = !config.skipCheckAdvAddr || receiver.isMaster === true || receiver.masterAddress === undefined || canonicalIp(receiver.masterAddress, family) !== canonicalIp(source, family);
  if (checkAddr && h.count !== p.vipCount) return reject('address-list-mismatch', `${h.count} address(es), expected ${p.vipCount}`);

  // Checksum. v2/IPv4: message only. v3/IPv4: the configured form; the other form is its own class.
  const expectedForm = config.v3Ipv4Checksum ?? 'pseudo-header';
  const ctx = { version: h.version, family, source: ip.source, destination: ip.destination } as const;
  let match: ChecksumMatch;
  try {
    match = matchVrrpChecksum(bytes, 0, bytes.length, ctx, expectedForm);
  } catch {
    return reject('checksum', `cannot form the pseudo-header from ${ip.source} → ${ip.destination}`);
  }
  if (match === 'none') return reject('checksum', `invalid VRRPv${h.version} checksum 0x${h.checksum.toString(16).padStart(4, '0')}`);
  if (family === 'ipv4' && h.version === 3) {
    if (match === 'pseudo-header-multicast-destination' && !unicast) return reject('checksum', 'checksum only matches with a multicast pseudo-header destination');
    if (match !== expectedForm && match !== 'pseudo-header-multicast-destination') {
      return reject('checksum-other-form', `checksum is the ${match} form, instance expects ${expectedForm} (v3_checksum_as_v2 ${expectedForm === 'message-only' ? 'set' : 'not set'} here, the opposite at the sender)`);
    }
  }

  const multicast = isMulticast(ip.destination);
  if (multicast === unicast) return reject('multicast-unicast-mismatch', `expected ${unicast ? 'unicast' : 'multicast'} packet but received ${multicast ? 'multicast' : 'unicast'} packet`);
  if (multicast && config.multicastGroup !== undefined && canonicalIp(ip.destination, family) !== canonicalIp(config.multicastGroup, family)) {
    return reject('multicast-unicast-mismatch', `multicast packet to ${ip.destination}, our group is ${config.multicastGroup}`);
  }

  const d = vrrp.decode(bytes, 0, family);
  if (!d.ok) return reject(d.reason, d.detail); // unreachable after the rungs above; kept so a future codec change cannot slip through
  const advert = d.value;

  if (checkAddr) {
    // RFC 9568 §7.1 MAY; keepalived compares as sets (vrrp_in_chk_vips) and drops on a miss.
    const got = new Set(advert.addresses);
    for (const vip of p.vips) if (!got.has(vip)) return reject('address-list-mismatch', `${vip} not present in advert`);
    if (unicast && config.checkUnicastSource) {
      const peer = peers.get(canonicalIp(source, family) ?? source);
      if (!peer) return reject('unicast-source-unknown', `unicast source ${source} is not a unicast peer`);
      if (ip.ttl >= 0 && (ip.ttl < peer.minTtl || ip.ttl > peer.maxTtl)) return reject('ttl', `TTL/hop limit ${ip.ttl} not in ${peer.minTtl}..${peer.maxTtl}`);
    }
  }

  if (p.own.size > 0 && p.own.has(canonicalIp(source, family) ?? source)) return reject('own-address', `advert from our own address ${source}`);

  const notes: AnomalyClass[] = [];
  // RFC 9568 §6.4.2: a backup sets Master_Adver_Interval from the advert; keepalived logs and adopts it.
  if (h.version === 3 && advert.intervalCs !== config.intervalCs) notes.push('interval-mismatch');
  if (config.priority === 255 && advert.priority === 255) notes.push('priority-owner-conflict');
  return { ok: true, advert, notes, checksum: match };
}

/**
 * For IPv4 raw sockets, which deliver the IP header: checks the header (keepalived: total length must
 * equal what was received; an AH packet reaching a non-AH instance is an auth mismatch), takes TTL and
 * addresses from it, and runs the ladder on the payload.
 */
export function validateIpv4Datagram(datagram: Uint8Array, config: ValidationConfig, receiver: ReceiverState = {}, ifindex?: number): LadderResult {
  if (config.family !== 'ipv4') return reject('family', 'IPv4 datagram for an ipv6 instance');
  const d = ipv4.splitDatagram(datagram, 0, 'exact');
  if (!d.ok) return reject(d.reason, d.detail);
  const { header, payload } = d.value;
  if (header.protocol === 51) return reject('auth-mismatch', 'received AH header but auth type is not AH');
  if (header.protocol !== VRRP_PROTOCOL) return reject('type', `IP protocol ${header.protocol} is not VRRP`);
  return validateAdvertisement(payload, ipv4.ipFacts(header, ifindex), config, receiver);
}

/** The VRID of a received message, for the shell to find the instance before validating (keepalived looks it up first too). */
export function peekVrid(bytes: Uint8Array): number | undefined {
  return vrrp.peekHeader(bytes)?.vrid;
}
