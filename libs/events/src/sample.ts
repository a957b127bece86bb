// The hex sample in an anomaly event is the offending VRRP packet with everything after the address
// list zeroed. In VRRPv2 that is where the 8 bytes of authentication data live (RFC 3768 §5.3.10), and
// with `auth_type PASS` they are the password in clear — even a mismatching packet carries some
// cluster's real password. Zeroing rather than cutting keeps the length visible for `length` anomalies.
// Applied to every version: a packet with a bad version nibble may still be a v2 packet.

const MAX_SAMPLE_BYTES = 1024;

/** `vrrp` is the VRRP payload (after the IP header). Returns lowercase hex, at most 1 KiB of packet. */
export function redactAnomalySample(vrrp: Uint8Array, family: 'ipv4' | 'ipv6'): string {
  const bytes = vrrp.slice(0, MAX_SAMPLE_BYTES);
  // Byte 3 is "Count IPvX Addr" in both v2 and v3; addresses start at byte 8 (RFC 3768 §5.1, RFC 9568 §5.1).
  const count = bytes.length > 3 ? bytes[3]! : 0;
  const keep = Math.min(bytes.length, 8 + count * (family === 'ipv4' ? 4 : 16));
  bytes.fill(0, keep);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
