// IP addresses: text <-> bytes. Text is what config, events and logs carry (dotted quad; RFC 5952
// canonical form for IPv6, so two spellings of one address compare equal as strings once formatted).
import type { Family, IpAddress } from '../types.js';
import type { Codec, DecodeResult } from './codec.js';
import { decoded, failed, target } from './codec.js';

export const IPV4_LENGTH = 4;
export const IPV6_LENGTH = 16;

export function addressLength(family: Family): number {
  return family === 'ipv4' ? IPV4_LENGTH : IPV6_LENGTH;
}

const DECIMAL_OCTET = /^(0|[1-9][0-9]{0,2})$/;

/** Dotted quad → 4 bytes, or undefined. Strict like inet_pton: no leading zeros, no shorthand. */
export function parseIpv4(text: string): Uint8Array | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  const out = new Uint8Array(4);
  for (let i = 0; i < 4; i++) {
    const p = parts[i] ?? '';
    if (!DECIMAL_OCTET.test(p)) return undefined;
    const v = Number(p);
    if (v > 255) return undefined;
    out[i] = v;
  }
  return out;
}

const HEX_GROUP = /^[0-9a-fA-F]{1,4}$/;

/** RFC 4291 §2.2 text (any valid spelling, embedded dotted quad allowed, no zone id) → 16 bytes, or undefined. */
export function parseIpv6(text: string): Uint8Array | undefined {
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const groupsOf = (s: string): number[] | undefined => {
    if (s === '') return [];
    const items = s.split(':');
    const out: number[] = [];
    for (let i = 0; i < items.length; i++) {
      const item = items[i] ?? '';
      if (i === items.length - 1 && item.includes('.')) {
        const v4 = parseIpv4(item);
        if (!v4) return undefined;
        out.push(((v4[0] ?? 0) << 8) | (v4[1] ?? 0), ((v4[2] ?? 0) << 8) | (v4[3] ?? 0));
      } else {
        if (!HEX_GROUP.test(item)) return undefined;
        out.push(parseInt(item, 16));
      }
    }
    return out;
  };
  const head = groupsOf(halves[0] ?? '');
  const tail = halves.length === 2 ? groupsOf(halves[1] ?? '') : [];
  if (!head || !tail) return undefined;
  let groups: number[];
  if (halves.length === 2) {
    const fill = 8 - head.length - tail.length;
    if (fill < 1) return undefined; // '::' stands for at least one zero group (RFC 4291 §2.2)
    groups = [...head, ...new Array<number>(fill).fill(0), ...tail];
  } else {
    groups = head;
  }
  if (groups.length !== 8) return undefined;
  const out = new Uint8Array(16);
  groups.forEach((g, i) => {
    out[2 * i] = g >>> 8;
    out[2 * i + 1] = g & 0xff;
  });
  return out;
}

export function parseIp(text: string, family: Family): Uint8Array | undefined {
  return family === 'ipv4' ? parseIpv4(text) : parseIpv6(text);
}

/** Which family a text address is in, or undefined when it is neither. */
export function familyOf(text: string): Family | undefined {
  if (parseIpv4(text)) return 'ipv4';
  if (parseIpv6(text)) return 'ipv6';
  return undefined;
}

export function formatIpv4(buf: Uint8Array, offset = 0): IpAddress {
  return `${buf[offset] ?? 0}.${buf[offset + 1] ?? 0}.${buf[offset + 2] ?? 0}.${buf[offset + 3] ?? 0}`;
}

/** RFC 5952 canonical text: lower case, no leading zeros, longest run (≥ 2) of zero groups as '::' (first on a tie), ::ffff:a.b.c.d for IPv4-mapped. */
export function formatIpv6(buf: Uint8Array, offset = 0): IpAddress {
  const g: number[] = [];
  for (let i = 0; i < 8; i++) g.push(((buf[offset + 2 * i] ?? 0) << 8) | (buf[offset + 2 * i + 1] ?? 0));
  // RFC 5952 §5: IPv4-mapped addresses keep the dotted quad.
  if (g[0] === 0 && g[1] === 0 && g[2] === 0 && g[3] === 0 && g[4] === 0 && g[5] === 0xffff) {
    return `::ffff:${formatIpv4(buf, offset + 12)}`;
  }
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (g[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = (from: number, to: number): string => g.slice(from, to).map((x) => x.toString(16)).join(':');
  if (bestLen < 2) return hex(0, 8); // RFC 5952 §4.2.2: a single zero group is not shortened
  return `${hex(0, bestStart)}::${hex(bestStart + bestLen, 8)}`;
}

export function formatIp(buf: Uint8Array, offset: number, family: Family): IpAddress {
  return family === 'ipv4' ? formatIpv4(buf, offset) : formatIpv6(buf, offset);
}

/** The canonical spelling of an address, or undefined if it is not one of `family`. */
export function canonicalIp(text: string, family: Family): IpAddress | undefined {
  const bytes = parseIp(text, family);
  return bytes ? formatIp(bytes, 0, family) : undefined;
}

export function isMulticast(text: IpAddress): boolean {
  const v4 = parseIpv4(text);
  if (v4) return ((v4[0] ?? 0) & 0xf0) === 0xe0; // 224.0.0.0/4
  const v6 = parseIpv6(text);
  return v6 !== undefined && v6[0] === 0xff; // ff00::/8
}

function addressCodec(family: Family): Codec<IpAddress> {
  const length = addressLength(family);
  return {
    encode(value, buf, offset = 0) {
      const bytes = parseIp(value, family);
      if (!bytes) throw new TypeError(`not an ${family} address: ${JSON.stringify(value)}`);
      const out = target(buf, offset, length, `${family} address`);
      out.set(bytes, offset);
      return out;
    },
    decode(buf, offset = 0): DecodeResult<IpAddress> {
      if (offset < 0 || buf.length - offset < length) {
        return failed('length', `${family} address needs ${length} bytes, ${Math.max(0, buf.length - offset)} left`);
      }
      return decoded(formatIp(buf, offset, family), length);
    },
    encodingLength: () => length,
  };
}

export const ipv4Address: Codec<IpAddress> = addressCodec('ipv4');
export const ipv6Address: Codec<IpAddress> = addressCodec('ipv6');

export function ipAddressCodec(family: Family): Codec<IpAddress> {
  return family === 'ipv4' ? ipv4Address : ipv6Address;
}
