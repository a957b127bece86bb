// The VRRP message (the IP payload), versions 2 and 3, decoded to the version-independent Advertisement.
//
// VRRPv2, RFC 3768 §5.1:               VRRPv3, RFC 9568 §5.1:
//   0  version(4) type(4)                0  version(4) type(4)
//   1  virtual router id                 1  virtual router id
//   2  priority                          2  priority
//   3  count ip addrs                    3  count IPvX addr
//   4  auth type                         4  rsvd(4) max adver int (12 bits, centiseconds)
//   5  adver int (seconds)               5  …
//   6  checksum (16)                     6  checksum (16)
//   8  IPv4 addresses, 4 × count         8  IPv4 (4 × count) or IPv6 (16 × count) addresses
//   …  authentication data (8 bytes)
//
// keepalived also runs VRRPv2 over IPv6 (non-standard); it then omits the 8 authentication bytes
// (vrrp.c: "Our implementation of IPv6 with VRRP version 2 doesn't include the 8 byte auth field").
// We do the same so such a peer decodes.
//
// `encode` writes the checksum the Advertisement carries, byte for byte (so a decoded packet re-encodes
// identically); `withChecksum` computes the right one for sending.
import type { Advertisement, Family, IpAddress } from '../types.js';
import { addressLength, formatIp, parseIp } from './address.js';
import type { ChecksumForm, VrrpChecksumContext } from './checksum.js';
import { vrrpChecksum } from './checksum.js';
import type { Codec, DecodeResult } from './codec.js';
import { checkByte, decoded, failed, readU16, target, writeU16 } from './codec.js';

export const VRRP_HEADER_LENGTH = 8;
export const VRRP_AUTH_DATA_LENGTH = 8;
export const VRRP_TYPE_ADVERTISEMENT = 1;
/** RFC 3768 §5.3.6 / keepalived: auth types. 2 (IP AH) is recognised but not implemented here. */
export const VRRP_AUTH_NONE = 0;
export const VRRP_AUTH_PASS = 1;
export const VRRP_AUTH_AH = 2;
/** RFC 9568 §5.2.7: 12 bits of centiseconds. */
export const VRRP_V3_MAX_INTERVAL_CS = 0x0fff;

/** The header fields as they are on the wire, before any judgement. Used by the validation ladder, which must look at fields in keepalived's order. */
export interface VrrpHeaderFields {
  readonly version: number;
  readonly type: number;
  readonly vrid: number;
  readonly priority: number;
  readonly count: number;
  /** v2: auth type byte; v3: 0. */
  readonly authType: number;
  /** v2: seconds × 100; v3: the 12-bit centisecond field (reserved bits dropped, like keepalived's `& 0x0FFF`). */
  readonly intervalCs: number;
  readonly checksum: number;
}

/** Reads the 8 header bytes without judging them; undefined if fewer than 8 bytes are there. */
export function peekHeader(buf: Uint8Array, offset = 0, end = buf.length): VrrpHeaderFields | undefined {
  if (offset < 0 || end - offset < VRRP_HEADER_LENGTH) return undefined;
  const b0 = buf[offset] ?? 0;
  const version = b0 >>> 4;
  const v2 = version === 2;
  return {
    version,
    type: b0 & 0x0f,
    vrid: buf[offset + 1] ?? 0,
    priority: buf[offset + 2] ?? 0,
    count: buf[offset + 3] ?? 0,
    authType: v2 ? (buf[offset + 4] ?? 0) : 0,
    intervalCs: v2 ? (buf[offset + 5] ?? 0) * 100 : readU16(buf, offset + 4) & VRRP_V3_MAX_INTERVAL_CS,
    checksum: readU16(buf, offset + 6),
  };
}

/** Whether a message of this version and family carries the 8 authentication bytes (v2 over IPv4 only). */
export function hasAuthData(version: number, family: Family): boolean {
  return version === 2 && family === 'ipv4';
}

/** The length a VRRP message with this header must have (keepalived `expected_vrrp_pkt_len`; the version field decides the auth bytes). */
export function expectedLength(version: number, count: number, family: Family): number {
  return VRRP_HEADER_LENGTH + count * addressLength(family) + (hasAuthData(version, family) ? VRRP_AUTH_DATA_LENGTH : 0);
}

export function encodingLength(advert: Pick<Advertisement, 'version' | 'family' | 'addresses'>): number {
  return expectedLength(advert.version, advert.addresses.length, advert.family);
}

export function encode(advert: Advertisement, buf?: Uint8Array, offset = 0): Uint8Array {
  const { version, family } = advert;
  if (version !== 2 && version !== 3) throw new RangeError(`VRRP version must be 2 or 3, got ${String(version)}`);
  if (advert.type < 0 || advert.type > 15 || !Number.isInteger(advert.type)) throw new RangeError(`VRRP type must be 0..15, got ${advert.type}`);
  checkByte(advert.vrid, 'vrid');
  checkByte(advert.priority, 'priority');
  checkByte(advert.addresses.length, 'address count');
  checkByte(advert.authType, 'auth type');
  const length = encodingLength(advert);
  const out = target(buf, offset, length, 'VRRP message');
  out[offset] = (version << 4) | advert.type;
  out[offset + 1] = advert.vrid;
  out[offset + 2] = advert.priority;
  out[offset + 3] = advert.addresses.length;
  if (version === 2) {
    const seconds = advert.intervalCs / 100;
    if (!Number.isInteger(seconds) || seconds < 0 || seconds > 255) {
      throw new RangeError(`VRRPv2 interval must be whole seconds 0..255, got ${advert.intervalCs} cs`);
    }
    out[offset + 4] = advert.authType;
    out[offset + 5] = seconds;
  } else {
    if (advert.authType !== 0 || advert.authData.length !== 0) throw new RangeError('VRRPv3 has no authentication (RFC 9568 §5.1)');
    if (!Number.isInteger(advert.intervalCs) || advert.intervalCs < 0 || advert.intervalCs > VRRP_V3_MAX_INTERVAL_CS) {
      throw new RangeError(`VRRPv3 interval must be 0..4095 cs, got ${advert.intervalCs}`);
    }
    writeU16(out, offset + 4, advert.intervalCs); // reserved bits zero
  }
  writeU16(out, offset + 6, advert.checksum & 0xffff);
  const step = addressLength(family);
  let at = offset + VRRP_HEADER_LENGTH;
  for (const a of advert.addresses) {
    const bytes = parseIp(a, family);
    if (!bytes) throw new TypeError(`not an ${family} address: ${JSON.stringify(a)}`);
    out.set(bytes, at);
    at += step;
  }
  if (hasAuthData(version, family)) {
    if (advert.authData.length !== VRRP_AUTH_DATA_LENGTH) throw new RangeError(`VRRPv2 authentication data is 8 bytes, got ${advert.authData.length}`);
    out.set(advert.authData, at);
  } else if (advert.authData.length !== 0) {
    throw new RangeError(`no authentication data in VRRPv${version} over ${family}`);
  }
  return out;
}

/**
 * Decodes a whole VRRP message occupying [offset, end). The message must be exactly as long as its
 * count says (keepalived drops anything else); bad version → 'version'. Other fields are reported, not
 * judged — that is the validation ladder's job.
 */
export function decode(buf: Uint8Array, offset = 0, family: Family = 'ipv4', end = buf.length): DecodeResult<Advertisement> {
  const h = peekHeader(buf, offset, end);
  if (!h) return failed('length', `VRRP header needs 8 bytes, got ${Math.max(0, end - offset)}`);
  const want = expectedLength(h.version, h.count, family);
  if (end - offset !== want) {
    return failed('length', `VRRP message is ${end - offset} bytes, ${h.count} ${family} address(es) need ${want}`);
  }
  if (h.version !== 2 && h.version !== 3) return failed('version', `VRRP version ${h.version}`);
  const step = addressLength(family);
  const addresses: IpAddress[] = [];
  let at = offset + VRRP_HEADER_LENGTH;
  for (let i = 0; i < h.count; i++, at += step) addresses.push(formatIp(buf, at, family));
  const authData = hasAuthData(h.version, family) ? buf.slice(at, at + VRRP_AUTH_DATA_LENGTH) : new Uint8Array(0);
  const advert: Advertisement = {
    version: h.version,
    family,
    type: h.type,
    vrid: h.vrid,
    priority: h.priority,
    intervalCs: h.intervalCs,
    addresses,
    authType: h.authType,
    authData,
    checksum: h.checksum,
  };
  return decoded(advert, want);
}

/** An Advertisement without its checksum: what a sender knows. */
export type AdvertisementFields = Omit<Advertisement, 'checksum' | 'type' | 'authType' | 'authData'> &
  Partial<Pick<Advertisement, 'type' | 'authType' | 'authData'>>;

export interface ChecksumPlan {
  readonly source: IpAddress | Uint8Array;
  readonly destination: IpAddress | Uint8Array;
  /** VRRPv3/IPv4 only; ignored otherwise (v2/IPv4 is message-only, IPv6 always has the pseudo-header). */
  readonly v3Ipv4Form?: ChecksumForm;
}

/** Completes an advertisement for sending: type 1, empty auth for v3, and the checksum in the form the version/family/config call for. */
export function withChecksum(fields: AdvertisementFields, plan: ChecksumPlan): Advertisement {
  const v2ipv4 = hasAuthData(fields.version, fields.family);
  const draft: Advertisement = {
    ...fields,
    type: fields.type ?? VRRP_TYPE_ADVERTISEMENT,
    authType: fields.authType ?? 0,
    authData: fields.authData ?? (v2ipv4 ? new Uint8Array(VRRP_AUTH_DATA_LENGTH) : new Uint8Array(0)),
    checksum: 0,
  };
  const bytes = encode(draft);
  const ctx: VrrpChecksumContext = { version: fields.version, family: fields.family, source: plan.source, destination: plan.destination };
  const form: ChecksumForm = fields.family === 'ipv6' ? 'pseudo-header' : fields.version === 2 ? 'message-only' : (plan.v3Ipv4Form ?? 'pseudo-header');
  return { ...draft, checksum: vrrpChecksum(bytes, 0, bytes.length, form, ctx) };
}

/**
 * keepalived's PASS authentication data: the password's bytes NUL-padded to 8 (longer passwords are
 * truncated to 8, as keepalived does with a warning). Latin-1/ASCII bytes: keepalived copies the
 * config's raw bytes; a non-ASCII password is encoded as UTF-8.
 */
export function passwordAuthData(password: string): Uint8Array {
  // UTF-8 by hand: the pure core has no TextEncoder in its lib (ES2022 only).
  const bytes: number[] = [];
  for (const ch of password) {
    const c = ch.codePointAt(0) ?? 0;
    if (c < 0x80) bytes.push(c);
    else if (c < 0x800) bytes.push(0xc0 | (c >> 6), 0x80 | (c & 63));
    else if (c < 0x10000) bytes.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
    else bytes.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 63), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
  }
  const out = new Uint8Array(VRRP_AUTH_DATA_LENGTH);
  out.set(bytes.slice(0, VRRP_AUTH_DATA_LENGTH));
  return out;
}

/** The trio bound to one address family (decode cannot tell 4 IPv4 addresses from 1 IPv6 address by length). */
export function vrrpCodec(family: Family): Codec<Advertisement> {
  return {
    encode: (advert, buf, offset) => {
      if (advert.family !== family) throw new TypeError(`an ${advert.family} advertisement given to the ${family} codec`);
      return encode(advert, buf, offset);
    },
    decode: (buf, offset = 0) => decode(buf, offset, family),
    encodingLength,
  };
}
