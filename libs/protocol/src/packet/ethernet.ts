// Ethernet II header (IEEE 802.3 framing as Linux sends it: no preamble, no FCS), with an optional
// 802.1Q tag. keepalived sends from the interface's own MAC (not the 00:00:5e:00:01:VRID virtual MAC
// unless use_vmac), so the builders take the sender MAC as an argument.
import type { DecodeResult } from './codec.js';
import { checkU16, decoded, failed, readU16, target, writeU16 } from './codec.js';

export type MacAddress = string;

export const ETHERTYPE_IPV4 = 0x0800;
export const ETHERTYPE_ARP = 0x0806;
export const ETHERTYPE_IPV6 = 0x86dd;
export const ETHERTYPE_VLAN = 0x8100;
export const BROADCAST_MAC: MacAddress = 'ff:ff:ff:ff:ff:ff';

const MAC = /^[0-9a-fA-F]{2}(:[0-9a-fA-F]{2}){5}$/;

export function parseMac(text: string): Uint8Array | undefined {
  if (!MAC.test(text)) return undefined;
  return Uint8Array.from(text.split(':').map((h) => parseInt(h, 16)));
}

/** Lower-case colon form, as `ip link` prints it. */
export function formatMac(buf: Uint8Array, offset = 0): MacAddress {
  const parts: string[] = [];
  for (let i = 0; i < 6; i++) parts.push((buf[offset + i] ?? 0).toString(16).padStart(2, '0'));
  return parts.join(':');
}

export function macBytes(text: MacAddress): Uint8Array {
  const b = parseMac(text);
  if (!b) throw new TypeError(`not a MAC address: ${JSON.stringify(text)}`);
  return b;
}

/** RFC 1112 §6.4 / RFC 2464 §7: the Ethernet group address an IP multicast address maps to. */
export function multicastMac(group: Uint8Array): MacAddress {
  if (group.length === 4) {
    return formatMac(Uint8Array.of(0x01, 0x00, 0x5e, (group[1] ?? 0) & 0x7f, group[2] ?? 0, group[3] ?? 0));
  }
  return formatMac(Uint8Array.of(0x33, 0x33, group[12] ?? 0, group[13] ?? 0, group[14] ?? 0, group[15] ?? 0));
}

export interface VlanTag {
  /** Priority code point, 0..7. */
  readonly pcp: number;
  /** Drop eligible indicator. */
  readonly dei: boolean;
  /** VLAN id, 0..4095. */
  readonly id: number;
}

export interface EthernetHeader {
  readonly destination: MacAddress;
  readonly source: MacAddress;
  readonly vlan?: VlanTag;
  readonly ethertype: number;
}

export function encodingLength(h: Pick<EthernetHeader, 'vlan'>): number {
  return h.vlan ? 18 : 14;
}

export function encode(h: EthernetHeader, buf?: Uint8Array, offset = 0): Uint8Array {
  checkU16(h.ethertype, 'ethertype');
  const out = target(buf, offset, encodingLength(h), 'Ethernet header');
  out.set(macBytes(h.destination), offset);
  out.set(macBytes(h.source), offset + 6);
  let at = offset + 12;
  if (h.vlan) {
    const { pcp, dei, id } = h.vlan;
    if (!Number.isInteger(pcp) || pcp < 0 || pcp > 7 || !Number.isInteger(id) || id < 0 || id > 4095) throw new RangeError('bad VLAN tag');
    writeU16(out, at, ETHERTYPE_VLAN);
    writeU16(out, at + 2, (pcp << 13) | (dei ? 0x1000 : 0) | id);
    at += 4;
  }
  writeU16(out, at, h.ethertype);
  return out;
}

/** One 802.1Q tag is understood; a second (QinQ) is reported as the inner ethertype 0x8100. */
export function decode(buf: Uint8Array, offset = 0): DecodeResult<EthernetHeader> {
  const left = buf.length - offset;
  if (offset < 0 || left < 14) return failed('length', `Ethernet header needs 14 bytes, got ${Math.max(0, left)}`);
  const destination = formatMac(buf, offset);
  const source = formatMac(buf, offset + 6);
  const type = readU16(buf, offset + 12);
  if (type !== ETHERTYPE_VLAN) return decoded({ destination, source, ethertype: type }, 14);
  if (left < 18) return failed('length', `802.1Q-tagged Ethernet header needs 18 bytes, got ${left}`);
  const tci = readU16(buf, offset + 14);
  const vlan: VlanTag = { pcp: tci >>> 13, dei: (tci & 0x1000) !== 0, id: tci & 0x0fff };
  return decoded({ destination, source, vlan, ethertype: readU16(buf, offset + 16) }, 18);
}
