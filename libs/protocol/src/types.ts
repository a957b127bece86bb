// Shared vocabulary of the pure VRRP core. Nothing here does anything; it names things.
//
// Time: every instant and duration in libs/protocol is a number of MICROSECONDS (may be fractional).
// VRRPv3 skew at priority 254 and a 10 ms interval is 78.125 µs (RFC 9568 §6.1), exactly representable;
// a double holds µs with sub-ns precision for centuries of uptime. The shell converts its monotonic clock.

export type VrrpVersion = 2 | 3;
export type Family = 'ipv4' | 'ipv6';

/** keepalived's state names. RFC 9568 calls MASTER "Active"; we say MASTER everywhere (keepalived, RFC 3768). */
export type VrrpState = 'INIT' | 'BACKUP' | 'MASTER' | 'FAULT' | 'STOP';

/** Textual IP address as the shell and config use it: dotted quad for IPv4, RFC 5952 form for IPv6. */
export type IpAddress = string;

/**
 * A decoded VRRP advertisement, version-independent.
 * The interval is normalised to centiseconds: VRRPv2 carries whole seconds (Adver Int, RFC 3768 §5.3.7),
 * VRRPv3 carries centiseconds (Max Adver Int, RFC 9568 §5.2.7).
 */
export interface Advertisement {
  readonly version: VrrpVersion;
  readonly family: Family;
  /** Always 1 (ADVERTISEMENT) once validated. */
  readonly type: number;
  readonly vrid: number;
  readonly priority: number;
  /** Advertisement interval in centiseconds (v2: seconds × 100). */
  readonly intervalCs: number;
  readonly addresses: readonly IpAddress[];
  /** VRRPv2 only (RFC 3768 §5.3.6 / keepalived): 0 none, 1 simple text (PASS), 2 IP AH. */
  readonly authType: number;
  /** VRRPv2 only: the 8 authentication bytes as sent (PASS: password NUL-padded). Empty for v3. */
  readonly authData: Uint8Array;
  /** The checksum as carried in the packet. */
  readonly checksum: number;
}

/** What the IP layer told the shell about a received packet (the validation ladder needs it). */
export interface IpFacts {
  readonly family: Family;
  readonly source: IpAddress;
  readonly destination: IpAddress;
  /** IPv4 TTL or IPv6 hop limit (RFC 9568 §7.1: must be 255). */
  readonly ttl: number;
  /** Interface index the packet arrived on. */
  readonly ifindex?: number;
}
