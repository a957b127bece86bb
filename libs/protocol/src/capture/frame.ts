// A captured link-layer frame, taken apart down to what `vrrp-node inspect` and the golden tests need:
// the VRRP message plus the IP facts the validation ladder wants, or a gratuitous ARP / Neighbour
// Advertisement, or "something else". Link types: Ethernet (with one 802.1Q tag), Linux cooked v1 and v2.
import type { IpFacts } from '../types.js';
import type { ArpPacket } from '../packet/arp.js';
import * as arp from '../packet/arp.js';
import { VRRP_PROTOCOL } from '../packet/checksum.js';
import type { DecodeResult } from '../packet/codec.js';
import { decoded, failed, readU16, readU32 } from '../packet/codec.js';
import type { EthernetHeader, MacAddress } from '../packet/ethernet.js';
import * as ethernet from '../packet/ethernet.js';
import type { Ipv4Header } from '../packet/ipv4.js';
import * as ipv4 from '../packet/ipv4.js';
import type { Ipv6Header } from '../packet/ipv6.js';
import * as ipv6 from '../packet/ipv6.js';
import type { NeighborAdvertisement } from '../packet/ndisc.js';
import * as ndisc from '../packet/ndisc.js';
import { LINKTYPE_ETHERNET, LINKTYPE_LINUX_SLL, LINKTYPE_LINUX_SLL2 } from './pcap.js';

export type LinkHeader =
  | { readonly kind: 'ethernet'; readonly header: EthernetHeader }
  | { readonly kind: 'sll'; readonly packetType: number; readonly source?: MacAddress; readonly ethertype: number; readonly ifindex?: number };

export type IpHeader = { readonly family: 'ipv4'; readonly header: Ipv4Header } | { readonly family: 'ipv6'; readonly header: Ipv6Header };

export type CapturedFrame =
  | { readonly kind: 'vrrp'; readonly link: LinkHeader; readonly ip: IpHeader; readonly facts: IpFacts; /** the VRRP message (view, no copy) */ readonly vrrp: Uint8Array }
  | { readonly kind: 'arp'; readonly link: LinkHeader; readonly arp: ArpPacket }
  | { readonly kind: 'neighbor-advertisement'; readonly link: LinkHeader; readonly ip: Ipv6Header; readonly na: NeighborAdvertisement; readonly checksumValid: boolean }
  | { readonly kind: 'other'; readonly link: LinkHeader; readonly ethertype: number; readonly protocol?: number };

function linkHeader(data: Uint8Array, linktype: number): DecodeResult<LinkHeader> | undefined {
  switch (linktype) {
    case LINKTYPE_ETHERNET: {
      const eth = ethernet.decode(data);
      return eth.ok ? decoded({ kind: 'ethernet', header: eth.value }, eth.bytes) : eth;
    }
    case LINKTYPE_LINUX_SLL: {
      // packet type, ARPHRD type, address length, 8 address bytes, protocol
      if (data.length < 16) return failed('length', `Linux cooked header needs 16 bytes, got ${data.length}`);
      const halen = readU16(data, 4);
      const link: LinkHeader = { kind: 'sll', packetType: readU16(data, 0), ethertype: readU16(data, 14), ...(halen === 6 ? { source: ethernet.formatMac(data, 6) } : {}) };
      return decoded(link, 16);
    }
    case LINKTYPE_LINUX_SLL2: {
      // protocol, reserved, ifindex, ARPHRD type, packet type, address length, 8 address bytes
      if (data.length < 20) return failed('length', `Linux cooked v2 header needs 20 bytes, got ${data.length}`);
      const halen = data[11] ?? 0;
      const link: LinkHeader = { kind: 'sll', packetType: data[10] ?? 0, ethertype: readU16(data, 0), ifindex: readU32(data, 4), ...(halen === 6 ? { source: ethernet.formatMac(data, 12) } : {}) };
      return decoded(link, 20);
    }
    default:
      return undefined;
  }
}

/** Takes one captured frame apart. An unsupported link type is 'type'; damage is 'length'/'version'. */
export function decodeFrame(data: Uint8Array, linktype: number = LINKTYPE_ETHERNET): DecodeResult<CapturedFrame> {
  const l = linkHeader(data, linktype);
  if (l === undefined) return failed('type', `link type ${linktype} is not supported`);
  if (!l.ok) return l;
  const link = l.value;
  const ethertype = link.kind === 'ethernet' ? link.header.ethertype : link.ethertype;
  const ifindex = link.kind === 'sll' ? link.ifindex : undefined;
  const at = l.bytes;
  const whole = data.length;
  const other = (protocol?: number): DecodeResult<CapturedFrame> => decoded(protocol === undefined ? { kind: 'other', link, ethertype } : { kind: 'other', link, ethertype, protocol }, whole);

  if (ethertype === ethernet.ETHERTYPE_ARP) {
    const a = arp.decode(data, at);
    return a.ok ? decoded({ kind: 'arp', link, arp: a.value }, whole) : a;
  }
  if (ethertype === ethernet.ETHERTYPE_IPV4) {
    const d = ipv4.splitDatagram(data, at, 'padded'); // Ethernet pads short frames to 60 bytes
    if (!d.ok) return d;
    if (d.value.header.protocol !== VRRP_PROTOCOL) return other(d.value.header.protocol);
    return decoded({ kind: 'vrrp', link, ip: { family: 'ipv4', header: d.value.header }, facts: ipv4.ipFacts(d.value.header, ifindex), vrrp: d.value.payload }, whole);
  }
  if (ethertype === ethernet.ETHERTYPE_IPV6) {
    const p = ipv6.splitPacket(data, at);
    if (!p.ok) return p;
    const h = p.value.header;
    if (h.nextHeader === VRRP_PROTOCOL) {
      const facts: IpFacts = { family: 'ipv6', source: h.source, destination: h.destination, ttl: h.hopLimit, ...(ifindex === undefined ? {} : { ifindex }) };
      return decoded({ kind: 'vrrp', link, ip: { family: 'ipv6', header: h }, facts, vrrp: p.value.payload }, whole);
    }
    if (h.nextHeader === ndisc.ICMPV6_NEXT_HEADER && p.value.payload[0] === ndisc.ICMPV6_NEIGHBOR_ADVERTISEMENT) {
      const na = ndisc.decode(p.value.payload);
      if (!na.ok) return na;
      return decoded({ kind: 'neighbor-advertisement', link, ip: h, na: na.value, checksumValid: ndisc.checksumValid(p.value.payload, h.source, h.destination) }, whole);
    }
    return other(h.nextHeader);
  }
  return other();
}
