// ARP for IPv4 over Ethernet (RFC 826), and the gratuitous ARP keepalived sends for each IPv4 VIP on
// becoming MASTER (vrrp_arp.c send_gratuitous_arp): an ARP *request* to ff:ff:ff:ff:ff:ff from the
// interface MAC, sender IP = target IP = VIP, target MAC ff:ff:ff:ff:ff:ff. 42 bytes; the NIC pads it.
import type { IpAddress } from '../types.js';
import { formatIpv4, parseIpv4 } from './address.js';
import type { DecodeResult } from './codec.js';
import { checkU16, decoded, failed, readU16, target, writeU16 } from './codec.js';
import type { MacAddress } from './ethernet.js';
import * as ethernet from './ethernet.js';

export const ARP_LENGTH = 28;
export const ARP_REQUEST = 1;
export const ARP_REPLY = 2;

export interface ArpPacket {
  readonly opcode: number;
  readonly senderMac: MacAddress;
  readonly senderIp: IpAddress;
  readonly targetMac: MacAddress;
  readonly targetIp: IpAddress;
}

export function encodingLength(_p?: ArpPacket): number {
  return ARP_LENGTH;
}

export function encode(p: ArpPacket, buf?: Uint8Array, offset = 0): Uint8Array {
  checkU16(p.opcode, 'opcode');
  const sip = parseIpv4(p.senderIp);
  const tip = parseIpv4(p.targetIp);
  if (!sip || !tip) throw new TypeError(`not IPv4 addresses: ${p.senderIp}, ${p.targetIp}`);
  const out = target(buf, offset, ARP_LENGTH, 'ARP packet');
  writeU16(out, offset, 1); // hardware type Ethernet
  writeU16(out, offset + 2, ethernet.ETHERTYPE_IPV4);
  out[offset + 4] = 6;
  out[offset + 5] = 4;
  writeU16(out, offset + 6, p.opcode);
  out.set(ethernet.macBytes(p.senderMac), offset + 8);
  out.set(sip, offset + 14);
  out.set(ethernet.macBytes(p.targetMac), offset + 18);
  out.set(tip, offset + 24);
  return out;
}

/** Only Ethernet/IPv4 ARP is decoded; any other hardware/protocol pair is 'type'. */
export function decode(buf: Uint8Array, offset = 0): DecodeResult<ArpPacket> {
  const left = buf.length - offset;
  if (offset < 0 || left < ARP_LENGTH) return failed('length', `ARP needs 28 bytes, got ${Math.max(0, left)}`);
  if (readU16(buf, offset) !== 1 || readU16(buf, offset + 2) !== ethernet.ETHERTYPE_IPV4 || buf[offset + 4] !== 6 || buf[offset + 5] !== 4) {
    return failed('type', 'not Ethernet/IPv4 ARP');
  }
  return decoded(
    {
      opcode: readU16(buf, offset + 6),
      senderMac: ethernet.formatMac(buf, offset + 8),
      senderIp: formatIpv4(buf, offset + 14),
      targetMac: ethernet.formatMac(buf, offset + 18),
      targetIp: formatIpv4(buf, offset + 24),
    },
    ARP_LENGTH,
  );
}

/** The whole Ethernet frame keepalived sends as a gratuitous ARP for `vip` from `mac`. */
export function gratuitousArpFrame(vip: IpAddress, mac: MacAddress): Uint8Array {
  const out = new Uint8Array(14 + ARP_LENGTH);
  ethernet.encode({ destination: ethernet.BROADCAST_MAC, source: mac, ethertype: ethernet.ETHERTYPE_ARP }, out, 0);
  encode({ opcode: ARP_REQUEST, senderMac: mac, senderIp: vip, targetMac: ethernet.BROADCAST_MAC, targetIp: vip }, out, 14);
  return out;
}

/** Whether an ARP packet is a gratuitous announcement (sender IP = target IP), request or reply. */
export function isGratuitous(p: ArpPacket): boolean {
  return p.senderIp === p.targetIp;
}
