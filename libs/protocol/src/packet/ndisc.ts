// ICMPv6 Neighbour Advertisement (RFC 4861 §4.4) and the unsolicited NA keepalived sends for each IPv6
// VIP on becoming MASTER (vrrp_ndisc.c): from the VIP to ff02::1 (all nodes), hop limit 255, flags =
// Override only (not Router, not Solicited), one Target Link-Layer Address option with the interface MAC.
// The ICMPv6 checksum covers the IPv6 pseudo-header (RFC 4443 §2.3).
import type { IpAddress } from '../types.js';
import { formatIpv6, parseIpv6 } from './address.js';
import { internetChecksum, ipv6PseudoHeaderSum } from './checksum.js';
import type { DecodeResult } from './codec.js';
import { checkU16, decoded, failed, readU16, target, writeU16 } from './codec.js';
import type { MacAddress } from './ethernet.js';
import * as ethernet from './ethernet.js';
import * as ipv6 from './ipv6.js';

export const ICMPV6_NEXT_HEADER = 58;
export const ICMPV6_NEIGHBOR_ADVERTISEMENT = 136;
export const ALL_NODES = 'ff02::1';
const OPTION_TARGET_LINK_LAYER = 2;

export interface NeighborAdvertisement {
  readonly router: boolean;
  readonly solicited: boolean;
  readonly override: boolean;
  readonly target: IpAddress;
  /** The Target Link-Layer Address option, when present. Other options are skipped on decode. */
  readonly targetLinkLayer?: MacAddress;
  /** As carried; `withChecksum` computes it. */
  readonly checksum: number;
}

export function encodingLength(na: Pick<NeighborAdvertisement, 'targetLinkLayer'>): number {
  return 24 + (na.targetLinkLayer === undefined ? 0 : 8);
}

export function encode(na: NeighborAdvertisement, buf?: Uint8Array, offset = 0): Uint8Array {
  checkU16(na.checksum, 'checksum');
  const t = parseIpv6(na.target);
  if (!t) throw new TypeError(`not an IPv6 address: ${na.target}`);
  const out = target(buf, offset, encodingLength(na), 'Neighbour Advertisement');
  out[offset] = ICMPV6_NEIGHBOR_ADVERTISEMENT;
  out[offset + 1] = 0;
  writeU16(out, offset + 2, na.checksum);
  out[offset + 4] = (na.router ? 0x80 : 0) | (na.solicited ? 0x40 : 0) | (na.override ? 0x20 : 0);
  out[offset + 5] = out[offset + 6] = out[offset + 7] = 0;
  out.set(t, offset + 8);
  if (na.targetLinkLayer !== undefined) {
    out[offset + 24] = OPTION_TARGET_LINK_LAYER;
    out[offset + 25] = 1; // in units of 8 bytes
    out.set(ethernet.macBytes(na.targetLinkLayer), offset + 26);
  }
  return out;
}

/** Decodes the ICMPv6 message occupying [offset, end). Not an NA → 'type'; an option of length 0 or running past the end → 'length'. */
export function decode(buf: Uint8Array, offset = 0, end = buf.length): DecodeResult<NeighborAdvertisement> {
  const left = end - offset;
  if (offset < 0 || left < 24) return failed('length', `Neighbour Advertisement needs 24 bytes, got ${Math.max(0, left)}`);
  if (buf[offset] !== ICMPV6_NEIGHBOR_ADVERTISEMENT || buf[offset + 1] !== 0) return failed('type', `ICMPv6 type ${buf[offset]} code ${buf[offset + 1]}`);
  const flags = buf[offset + 4] ?? 0;
  let targetLinkLayer: MacAddress | undefined;
  for (let at = offset + 24; at < end; ) {
    const len = (buf[at + 1] ?? 0) * 8;
    if (end - at < 2 || len === 0 || at + len > end) return failed('length', 'malformed NDP option'); // RFC 4861 §4.6: length 0 is invalid
    if (buf[at] === OPTION_TARGET_LINK_LAYER && len === 8 && targetLinkLayer === undefined) targetLinkLayer = ethernet.formatMac(buf, at + 2);
    at += len;
  }
  const na: NeighborAdvertisement = {
    router: (flags & 0x80) !== 0,
    solicited: (flags & 0x40) !== 0,
    override: (flags & 0x20) !== 0,
    target: formatIpv6(buf, offset + 8),
    checksum: readU16(buf, offset + 2),
    ...(targetLinkLayer === undefined ? {} : { targetLinkLayer }),
  };
  return decoded(na, left);
}

/** The NA with its ICMPv6 checksum for the given IPv6 source and destination. */
export function withChecksum(na: Omit<NeighborAdvertisement, 'checksum'>, source: IpAddress, destination: IpAddress): NeighborAdvertisement {
  const draft: NeighborAdvertisement = { ...na, checksum: 0 };
  const bytes = encode(draft);
  const initial = ipv6PseudoHeaderSum(source, destination, ICMPV6_NEXT_HEADER, bytes.length);
  return { ...draft, checksum: internetChecksum(bytes, 0, bytes.length, initial) };
}

/** Whether an ICMPv6 message's checksum is right for the given addresses. */
export function checksumValid(icmp: Uint8Array, source: IpAddress, destination: IpAddress): boolean {
  return internetChecksum(icmp, 0, icmp.length, ipv6PseudoHeaderSum(source, destination, ICMPV6_NEXT_HEADER, icmp.length)) === 0;
}

/** The whole Ethernet frame keepalived sends as an unsolicited NA for `vip` from `mac`. */
export function unsolicitedNaFrame(vip: IpAddress, mac: MacAddress): Uint8Array {
  const na = withChecksum({ router: false, solicited: false, override: true, target: vip, targetLinkLayer: mac }, vip, ALL_NODES);
  const naLength = encodingLength(na);
  const out = new Uint8Array(14 + ipv6.IPV6_HEADER_LENGTH + naLength);
  const group = parseIpv6(ALL_NODES);
  if (!group) throw new Error('unreachable: ff02::1 parses');
  ethernet.encode({ destination: ethernet.multicastMac(group), source: mac, ethertype: ethernet.ETHERTYPE_IPV6 }, out, 0);
  ipv6.encode({ trafficClass: 0, flowLabel: 0, payloadLength: naLength, nextHeader: ICMPV6_NEXT_HEADER, hopLimit: 255, source: vip, destination: ALL_NODES }, out, 14);
  encode(na, out, 14 + ipv6.IPV6_HEADER_LENGTH);
  return out;
}
