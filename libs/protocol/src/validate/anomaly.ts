// The closed list of anomaly classes: one per row of the receive-validation ladder (validate/ladder.ts),
// each also a metric label and the `class` of an anomaly event. Order follows the ladder.
import type { DecodeReason } from '../packet/codec.js';

export const ANOMALY_CLASSES = [
  /** The advert arrived on a socket/instance of the other address family (keepalived keeps one socket per family, so a misrouted packet). */
  'family',
  /** Too short for a VRRP header, shorter/longer than its address count says, or the IPv4 total length disagrees with what arrived (RFC 9568 §7.1 "MUST verify that the received packet contains the complete VRRP packet"). */
  'length',
  /** No instance with this VRID on the interface (keepalived: "Unknown VRID ... ignoring"; RFC 9568 §7.1 "MUST verify that the VRID is configured"). */
  'vrid-unknown',
  /** TTL / hop limit is not 255 (RFC 9568 §7.1; keepalived skips it for unicast peers), or outside a unicast peer's min_ttl..max_ttl. */
  'ttl',
  /** VRRP version differs from the instance's (RFC 9568 §7.1 "MUST verify the VRRP version"). */
  'version',
  /** VRRPv2 auth type is none of 0, 1, 2 (keepalived "Invalid auth type"). */
  'auth-type',
  /** VRRPv2 auth type differs from the configured one, or an AH packet reaches a non-AH instance (keepalived `authtype_mismatch`; RFC 3768 §7.1). */
  'auth-mismatch',
  /** VRRPv2 PASS: the 8 authentication bytes differ from the configured password (keepalived "received an invalid passwd"). */
  'auth-failure',
  /** The advert's interval differs from ours. v2: the packet is dropped (RFC 3768 §7.1, keepalived); v3: a note only, the master's interval is adopted (RFC 9568 §6.4.2). */
  'interval-mismatch',
  /** VRRP type is not 1 = ADVERTISEMENT (RFC 9568 §5.2.2 "A packet with unknown type MUST be discarded"). */
  'type',
  /** Address count or the address list differs from our virtual addresses (RFC 9568 §7.1 MAY; keepalived drops: vrrp_check_packet returns VRRP_PACKET_KO). */
  'address-list-mismatch',
  /** The checksum matches no form (RFC 9568 §7.1 "MUST verify the VRRP checksum"). */
  'checksum',
  /** VRRPv3/IPv4 checksum matches the other form (with vs without the IPv4 pseudo-header): a peer with a different `v3_checksum_as_v2`. keepalived just says "Invalid VRRPv3 checksum". */
  'checksum-other-form',
  /** Multicast received by a unicast instance or unicast received by a multicast instance (keepalived "Expected multicast packet but received unicast packet"). */
  'multicast-unicast-mismatch',
  /** Unicast source is not a configured unicast_peer, with vrrp_check_unicast_src / check_unicast_src (keepalived "unicast source address ... not a unicast peer"). */
  'unicast-source-unknown',
  /** The source is one of our own addresses: our own advert looped back, or another host using our address. keepalived only warns (on equal priority); we drop it (see ladder.ts). */
  'own-address',
  /** Both we and the sender claim priority 255 (address owner) — a configuration error (RFC 9568 §6.4.3; keepalived "CONFIGURATION ERROR ... both configured as address owner" and lowers its own priority). A note: the advert is accepted. */
  'priority-owner-conflict',
] as const;

export type AnomalyClass = (typeof ANOMALY_CLASSES)[number];

export interface Anomaly {
  readonly class: AnomalyClass;
  readonly detail: string;
}

// Every codec decode reason is an anomaly class (DESIGN.md: reasons map 1:1 to anomaly classes).
type IsSubset<A, B> = [A] extends [B] ? true : false;
const decodeReasonsAreAnomalyClasses: IsSubset<DecodeReason, AnomalyClass> = true;
void decodeReasonsAreAnomalyClasses;

export function isAnomalyClass(x: string): x is AnomalyClass {
  return (ANOMALY_CLASSES as readonly string[]).includes(x);
}
