// The IPv4 header (RFC 791 §3.1). An IPv4 raw socket hands us the header with the payload, so the
// receive path reads TTL, addresses, protocol and IHL (options included) from here; the send path and
// the frame builders write one. keepalived sends TOS 0xc0 (network control), TTL 255, DF clear, and an
// IP ID counting from 1 per instance (vrrp.c vrrp_build_ip4; the kernel fills the ID when it is 0).
import type { IpAddress, IpFacts } from '../types.js';
import { formatIpv4, parseIpv4 } from './address.js';
import { internetChecksum } from './checksum.js';
import type { DecodeResult } from './codec.js';
import { checkByte, checkU16, decoded, failed, readU16, target, writeU16 } from './codec.js';

export const IPV4_MIN_HEADER_LENGTH = 20;
export const VRRP_TTL = 255; // RFC 3768 §5.2.3 / RFC 9568 §5.1.1.3
export const KEEPALIVED_TOS = 0xc0;

export interface Ipv4Header {
  readonly tos: number;
  readonly totalLength: number;
  readonly identification: number;
  /** The 3 flag bits: 0b010 = DF, 0b001 = MF. */
  readonly flags: number;
  readonly fragmentOffset: number;
  readonly ttl: number;
  readonly protocol: number;
  /** As carried; `build` computes it. */
  readonly headerChecksum: number;
  readonly source: IpAddress;
  readonly destination: IpAddress;
  /** Options, a multiple of 4 bytes (IHL − 5 words). */
  readonly options: Uint8Array;
}

export function encodingLength(h: Pick<Ipv4Header, 'options'>): number {
  return IPV4_MIN_HEADER_LENGTH + h.options.length;
}

export function encode(h: Ipv4Header, buf?: Uint8Array, offset = 0): Uint8Array {
  if (h.options.length % 4 !== 0 || h.options.length > 40) throw new RangeError(`IPv4 options must be a multiple of 4 up to 40 bytes, got ${h.options.length}`);
  checkByte(h.tos, 'tos');
  checkByte(h.ttl, 'ttl');
  checkByte(h.protocol, 'protocol');
  checkU16(h.totalLength, 'total length');
  checkU16(h.identification, 'identification');
  checkU16(h.headerChecksum, 'header checksum');
  if (!Number.isInteger(h.flags) || h.flags < 0 || h.flags > 7) throw new RangeError(`flags must be 0..7, got ${h.flags}`);
  if (!Number.isInteger(h.fragmentOffset) || h.fragmentOffset < 0 || h.fragmentOffset > 0x1fff) throw new RangeError(`fragment offset must be 0..8191, got ${h.fragmentOffset}`);
  const src = parseIpv4(h.source);
  const dst = parseIpv4(h.destination);
  if (!src || !dst) throw new TypeError(`not IPv4 addresses: ${h.source} → ${h.destination}`);
  const length = encodingLength(h);
  const out = target(buf, offset, length, 'IPv4 header');
  out[offset] = 0x40 | (length / 4);
  out[offset + 1] = h.tos;
  writeU16(out, offset + 2, h.totalLength);
  writeU16(out, offset + 4, h.identification);
  writeU16(out, offset + 6, (h.flags << 13) | h.fragmentOffset);
  out[offset + 8] = h.ttl;
  out[offset + 9] = h.protocol;
  writeU16(out, offset + 10, h.headerChecksum);
  out.set(src, offset + 12);
  out.set(dst, offset + 16);
  out.set(h.options, offset + 20);
  return out;
}

/** Decodes the header only (IHL × 4 bytes). The payload is judged by `splitDatagram`. */
export function decode(buf: Uint8Array, offset = 0): DecodeResult<Ipv4Header> {
  const left = buf.length - offset;
  if (offset < 0 || left < IPV4_MIN_HEADER_LENGTH) return failed('length', `IPv4 header needs 20 bytes, got ${Math.max(0, left)}`);
  const b0 = buf[offset] ?? 0;
  if (b0 >>> 4 !== 4) return failed('version', `IP version ${b0 >>> 4} where 4 was expected`);
  const ihl = (b0 & 0x0f) * 4;
  if (ihl < IPV4_MIN_HEADER_LENGTH) return failed('length', `IHL ${ihl / 4} is below 5`);
  if (left < ihl) return failed('length', `IHL says ${ihl} header bytes, got ${left}`);
  const fragment = readU16(buf, offset + 6);
  return decoded(
    {
      tos: buf[offset + 1] ?? 0,
      totalLength: readU16(buf, offset + 2),
      identification: readU16(buf, offset + 4),
      flags: fragment >>> 13,
      fragmentOffset: fragment & 0x1fff,
      ttl: buf[offset + 8] ?? 0,
      protocol: buf[offset + 9] ?? 0,
      headerChecksum: readU16(buf, offset + 10),
      source: formatIpv4(buf, offset + 12),
      destination: formatIpv4(buf, offset + 16),
      options: buf.slice(offset + 20, offset + ihl),
    },
    ihl,
  );
}

export interface Ipv4Datagram {
  readonly header: Ipv4Header;
  /** The payload, a view into the input (no copy): exactly totalLength − IHL×4 bytes. */
  readonly payload: Uint8Array;
}

/**
 * Header plus payload. `exact` (what a raw socket delivers): the bytes must be exactly totalLength long,
 * as keepalived checks `ip->tot_len` against the received length. `padded` (an Ethernet frame): bytes
 * after totalLength are link-layer padding and ignored.
 */
export function splitDatagram(buf: Uint8Array, offset = 0, mode: 'exact' | 'padded' = 'exact'): DecodeResult<Ipv4Datagram> {
  const h = decode(buf, offset);
  if (!h.ok) return h;
  const left = buf.length - offset;
  const { totalLength } = h.value;
  if (totalLength < h.bytes) return failed('length', `total length ${totalLength} is shorter than the ${h.bytes}-byte header`);
  if (left < totalLength || (mode === 'exact' && left !== totalLength)) {
    return failed('length', `total length ${totalLength}, received ${left} bytes`);
  }
  return decoded({ header: h.value, payload: buf.subarray(offset + h.bytes, offset + totalLength) }, totalLength);
}

/** What the validation ladder needs from an IPv4 header. */
export function ipFacts(h: Ipv4Header, ifindex?: number): IpFacts {
  return ifindex === undefined
    ? { family: 'ipv4', source: h.source, destination: h.destination, ttl: h.ttl }
    : { family: 'ipv4', source: h.source, destination: h.destination, ttl: h.ttl, ifindex };
}

export interface Ipv4HeaderPlan {
  readonly source: IpAddress;
  readonly destination: IpAddress;
  readonly payloadLength: number;
  readonly protocol?: number;
  readonly identification?: number;
  readonly ttl?: number;
  readonly tos?: number;
}

/** A header as keepalived sends it (TOS 0xc0, TTL 255, DF clear, no options), with its header checksum. */
export function build(plan: Ipv4HeaderPlan): Ipv4Header {
  const draft: Ipv4Header = {
    tos: plan.tos ?? KEEPALIVED_TOS,
    totalLength: IPV4_MIN_HEADER_LENGTH + plan.payloadLength,
    identification: plan.identification ?? 0,
    flags: 0,
    fragmentOffset: 0,
    ttl: plan.ttl ?? VRRP_TTL,
    protocol: plan.protocol ?? 112,
    headerChecksum: 0,
    source: plan.source,
    destination: plan.destination,
    options: new Uint8Array(0),
  };
  const bytes = encode(draft);
  return { ...draft, headerChecksum: internetChecksum(bytes) };
}
