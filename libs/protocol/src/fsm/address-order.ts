// Ordering of IP addresses for the equal-priority tie-break: "the primary IPvX address of the sender
// is greater than the local primary IPvX address (based on an unsigned integer comparison of the
// IPvX addresses in network byte order)" (RFC 9568 §6.4.3). keepalived's vrrp_saddr_cmp() is the same.
import type { IpAddress } from '../types.js';

/** <0 if a sorts before b, 0 if equal, >0 if after. Throws on text that is not an IP address. */
export function compareAddresses(a: IpAddress, b: IpAddress): number {
  const x = toBytes(a);
  const y = toBytes(b);
  if (x.length !== y.length) throw new RangeError(`cannot compare ${a} with ${b}: different families`);
  for (let i = 0; i < x.length; i++) {
    const d = (x[i] ?? 0) - (y[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

function toBytes(text: IpAddress): number[] {
  if (!text.includes(':')) {
    const parts = text.split('.').map(Number);
    if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255)) throw new RangeError(`not an IPv4 address: ${text}`);
    return parts;
  }
  const [head = '', tail, extra] = text.split('::');
  if (extra !== undefined) throw new RangeError(`not an IPv6 address: ${text}`);
  const groups = (s: string): number[] => (s === '' ? [] : s.split(':').map((g) => (/^[0-9a-fA-F]{1,4}$/.test(g) ? parseInt(g, 16) : NaN)));
  const h = groups(head);
  const t = tail === undefined ? [] : groups(tail);
  const fill = tail === undefined ? 0 : 8 - h.length - t.length;
  const all = [...h, ...new Array<number>(fill).fill(0), ...t];
  if (all.length !== 8 || all.some((g) => !Number.isInteger(g) || g < 0 || g > 0xffff)) throw new RangeError(`not an IPv6 address: ${text}`);
  return all.flatMap((g) => [g >> 8, g & 0xff]);
}
