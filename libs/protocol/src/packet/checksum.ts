// The Internet checksum (RFC 1071) and the forms VRRP uses:
// - VRRPv2 (RFC 3768 §5.3.8): over the VRRP message only.
// - VRRPv3 over IPv6 (RFC 9568 §5.2.8): over the message plus the IPv6 pseudo-header (RFC 8200 §8.1),
//   next header 112.
// - VRRPv3 over IPv4: two forms live on real networks. keepalived by default includes an IPv4
//   pseudo-header (src, dst, 0, 112, VRRP length; its reading of RFC 5798); RFC 9568 §5.2.8 covers the
//   message only, which keepalived sends with `v3_checksum_as_v2`. We send the configured one and, on
//   receive, say which form matched so the ladder can tell "corrupt" from "the peer uses the other form".
// - keepalived also accepts, for unicast peers, a pseudo-header whose destination is the multicast group
//   (old keepalived computed unicast checksums that way; vrrp.c `unicast_chksum_compat`).
import type { Family, IpAddress, VrrpVersion } from '../types.js';
import { parseIp } from './address.js';

export const VRRP_PROTOCOL = 112;
export const VRRP_IPV4_GROUP = '224.0.0.18';
export const VRRP_IPV6_GROUP = 'ff02::12';

/** Which VRRPv3/IPv4 checksum form to send (keepalived: default `pseudo-header`, `v3_checksum_as_v2` → `message-only`). */
export type ChecksumForm = 'pseudo-header' | 'message-only';

/** What a received VRRP checksum matched. */
export type ChecksumMatch = ChecksumForm | 'pseudo-header-multicast-destination' | 'none';

/** 16-bit one's complement sum of `length` bytes (odd tail padded with a zero byte), added to `initial`. Not complemented. */
export function onesComplementSum(buf: Uint8Array, offset = 0, length = buf.length - offset, initial = 0): number {
  let sum = initial;
  const end = offset + length;
  let i = offset;
  for (; i + 1 < end; i += 2) sum += ((buf[i] ?? 0) << 8) | (buf[i + 1] ?? 0);
  if (i < end) sum += (buf[i] ?? 0) << 8;
  while (sum > 0xffff) sum = (sum & 0xffff) + Math.floor(sum / 0x10000);
  return sum;
}

/** RFC 1071 checksum: the complement of the folded sum. Over bytes that already hold a correct checksum it is 0. */
export function internetChecksum(buf: Uint8Array, offset = 0, length = buf.length - offset, initial = 0): number {
  return ~onesComplementSum(buf, offset, length, initial) & 0xffff;
}

function bytesOf(address: IpAddress | Uint8Array, family: Family): Uint8Array {
  if (typeof address !== 'string') return address;
  const b = parseIp(address, family);
  if (!b) throw new TypeError(`not an ${family} address: ${JSON.stringify(address)}`);
  return b;
}

/** Sum of the IPv4 pseudo-header: source, destination, zero, protocol, upper-layer length. */
export function ipv4PseudoHeaderSum(source: IpAddress | Uint8Array, destination: IpAddress | Uint8Array, protocol: number, length: number): number {
  const s = bytesOf(source, 'ipv4');
  const d = bytesOf(destination, 'ipv4');
  return onesComplementSum(s, 0, 4, onesComplementSum(d, 0, 4, protocol + length));
}

/** Sum of the IPv6 pseudo-header (RFC 8200 §8.1): source, destination, 32-bit length, next header. */
export function ipv6PseudoHeaderSum(source: IpAddress | Uint8Array, destination: IpAddress | Uint8Array, nextHeader: number, length: number): number {
  const s = bytesOf(source, 'ipv6');
  const d = bytesOf(destination, 'ipv6');
  return onesComplementSum(s, 0, 16, onesComplementSum(d, 0, 16, nextHeader + (length >>> 16) + (length & 0xffff)));
}

export interface VrrpChecksumContext {
  readonly version: VrrpVersion;
  readonly family: Family;
  /** IP source and destination of the packet; needed for pseudo-header forms. */
  readonly source: IpAddress | Uint8Array;
  readonly destination: IpAddress | Uint8Array;
}

/** The form a router sends: v2 over IPv4 message-only; anything over IPv6 with the IPv6 pseudo-header (keepalived lets the kernel do it); v3 over IPv4 as configured. */
export function sendForm(version: VrrpVersion, family: Family, v3Ipv4Form: ChecksumForm = 'pseudo-header'): ChecksumForm {
  if (family === 'ipv6') return 'pseudo-header';
  return version === 2 ? 'message-only' : v3Ipv4Form;
}

function pseudoSum(form: ChecksumForm, ctx: VrrpChecksumContext, length: number, destination = ctx.destination): number {
  if (form === 'message-only') return 0;
  return ctx.family === 'ipv4'
    ? ipv4PseudoHeaderSum(ctx.source, destination, VRRP_PROTOCOL, length)
    : ipv6PseudoHeaderSum(ctx.source, destination, VRRP_PROTOCOL, length);
}

/** The checksum the VRRP message at [offset, offset+length) should carry, computed as if its checksum field (bytes 6–7) were zero. */
export function vrrpChecksum(msg: Uint8Array, offset: number, length: number, form: ChecksumForm, ctx: VrrpChecksumContext): number {
  let sum = pseudoSum(form, ctx, length);
  sum = onesComplementSum(msg, offset, Math.min(6, length), sum);
  if (length > 8) sum = onesComplementSum(msg, offset + 8, length - 8, sum);
  return ~sum & 0xffff;
}

function verifies(msg: Uint8Array, offset: number, length: number, initial: number): boolean {
  return internetChecksum(msg, offset, length, initial) === 0;
}

/**
 * Which checksum form the received VRRP message matches. The form a version/family must use is tried
 * first; for VRRPv3/IPv4 the other form, and (unicast only) keepalived's multicast-destination variant.
 * VRRPv2/IPv4 has only the message-only form; IPv6 only the pseudo-header form.
 */
export function matchVrrpChecksum(msg: Uint8Array, offset: number, length: number, ctx: VrrpChecksumContext, preferred: ChecksumForm = 'pseudo-header'): ChecksumMatch {
  if (ctx.family === 'ipv6') return verifies(msg, offset, length, pseudoSum('pseudo-header', ctx, length)) ? 'pseudo-header' : 'none';
  if (ctx.version === 2) return verifies(msg, offset, length, 0) ? 'message-only' : 'none';
  const other: ChecksumForm = preferred === 'pseudo-header' ? 'message-only' : 'pseudo-header';
  if (verifies(msg, offset, length, pseudoSum(preferred, ctx, length))) return preferred;
  if (verifies(msg, offset, length, pseudoSum(other, ctx, length))) return other;
  const group = bytesOf(VRRP_IPV4_GROUP, 'ipv4');
  const dst = bytesOf(ctx.destination, 'ipv4');
  const isGroup = dst.every((b, i) => b === group[i]);
  if (!isGroup && verifies(msg, offset, length, pseudoSum('pseudo-header', ctx, length, group))) return 'pseudo-header-multicast-destination';
  return 'none';
}
