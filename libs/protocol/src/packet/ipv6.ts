// The fixed IPv6 header (RFC 8200 §3). An IPv6 raw socket does not hand us this header (the hop limit
// comes as ancillary data), so this codec serves whole frames: the unsolicited NA builder and the
// capture reader. Extension headers are not parsed: VRRP and NDP packets carry none.
import type { IpAddress } from '../types.js';
import { formatIpv6, parseIpv6 } from './address.js';
import type { DecodeResult } from './codec.js';
import { checkByte, checkU16, decoded, failed, readU16, target, writeU16 } from './codec.js';

export const IPV6_HEADER_LENGTH = 40;

export interface Ipv6Header {
  readonly trafficClass: number;
  readonly flowLabel: number;
  readonly payloadLength: number;
  readonly nextHeader: number;
  readonly hopLimit: number;
  readonly source: IpAddress;
  readonly destination: IpAddress;
}

export function encodingLength(_h?: Ipv6Header): number {
  return IPV6_HEADER_LENGTH;
}

export function encode(h: Ipv6Header, buf?: Uint8Array, offset = 0): Uint8Array {
  checkByte(h.trafficClass, 'traffic class');
  checkByte(h.nextHeader, 'next header');
  checkByte(h.hopLimit, 'hop limit');
  checkU16(h.payloadLength, 'payload length');
  if (!Number.isInteger(h.flowLabel) || h.flowLabel < 0 || h.flowLabel > 0xfffff) throw new RangeError(`flow label must be 20 bits, got ${h.flowLabel}`);
  const src = parseIpv6(h.source);
  const dst = parseIpv6(h.destination);
  if (!src || !dst) throw new TypeError(`not IPv6 addresses: ${h.source} → ${h.destination}`);
  const out = target(buf, offset, IPV6_HEADER_LENGTH, 'IPv6 header');
  out[offset] = 0x60 | (h.trafficClass >>> 4);
  out[offset + 1] = ((h.trafficClass & 0x0f) << 4) | (h.flowLabel >>> 16);
  writeU16(out, offset + 2, h.flowLabel & 0xffff);
  writeU16(out, offset + 4, h.payloadLength);
  out[offset + 6] = h.nextHeader;
  out[offset + 7] = h.hopLimit;
  out.set(src, offset + 8);
  out.set(dst, offset + 24);
  return out;
}

export function decode(buf: Uint8Array, offset = 0): DecodeResult<Ipv6Header> {
  const left = buf.length - offset;
  if (offset < 0 || left < IPV6_HEADER_LENGTH) return failed('length', `IPv6 header needs 40 bytes, got ${Math.max(0, left)}`);
  const b0 = buf[offset] ?? 0;
  const b1 = buf[offset + 1] ?? 0;
  if (b0 >>> 4 !== 6) return failed('version', `IP version ${b0 >>> 4} where 6 was expected`);
  return decoded(
    {
      trafficClass: ((b0 & 0x0f) << 4) | (b1 >>> 4),
      flowLabel: ((b1 & 0x0f) << 16) | readU16(buf, offset + 2),
      payloadLength: readU16(buf, offset + 4),
      nextHeader: buf[offset + 6] ?? 0,
      hopLimit: buf[offset + 7] ?? 0,
      source: formatIpv6(buf, offset + 8),
      destination: formatIpv6(buf, offset + 24),
    },
    IPV6_HEADER_LENGTH,
  );
}

export interface Ipv6Packet {
  readonly header: Ipv6Header;
  /** A view (no copy) of payloadLength bytes. */
  readonly payload: Uint8Array;
}

/** Header plus payload; bytes after payloadLength are link-layer padding (jumbograms are not supported). */
export function splitPacket(buf: Uint8Array, offset = 0): DecodeResult<Ipv6Packet> {
  const h = decode(buf, offset);
  if (!h.ok) return h;
  const end = offset + IPV6_HEADER_LENGTH + h.value.payloadLength;
  if (end > buf.length) return failed('length', `payload length ${h.value.payloadLength}, received ${buf.length - offset - IPV6_HEADER_LENGTH}`);
  return decoded({ header: h.value, payload: buf.subarray(offset + IPV6_HEADER_LENGTH, end) }, end - offset);
}
