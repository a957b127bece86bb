// VRRP timer arithmetic, in microseconds (possibly fractional).
//
// Multiply first, divide last: every result here is exact in a double. (256 − p) × interval is an
// integer and 1 000 000 / 256 = 3906.25, so the only division is by a power of two. VRRPv3 at 10 ms
// with priority 254 gives a skew of exactly 78.125 µs; rounding to whole µs or ms would reorder
// backups whose priorities differ by one (one priority point is 39.0625 µs there).
import type { VrrpVersion } from '../types.js';

/** One centisecond in microseconds. VRRPv3 intervals are carried in centiseconds (RFC 9568 §5.2.7). */
export const US_PER_CS = 10_000;
/** One second in microseconds. */
export const US_PER_S = 1_000_000;

/** Advertisement_Interval (or a learned Master_Adver_Interval) in µs. */
export function adverIntervalUs(intervalCs: number): number {
  return intervalCs * US_PER_CS;
}

/**
 * Skew_Time in µs for a router of the given (effective) priority.
 *
 * - VRRPv2, RFC 3768 §6.1: "Skew_Time = ( (256 - Priority) / 256 )" seconds — independent of the
 *   advertisement interval. keepalived 2.2.7 (vrrp.h VRRP_TIMER_SKEW) agrees.
 * - VRRPv3, RFC 9568 §6.1: "Skew_Time = (((256 - priority) * Active_Adver_Interval) / 256)"
 *   centiseconds, where Active_Adver_Interval (RFC 5798: Master_Adver_Interval) is the interval
 *   learned from the current master. keepalived computes the same with integer µs (truncating);
 *   we keep the exact fraction.
 */
export function skewTimeUs(version: VrrpVersion, priority: number, masterAdverIntervalCs: number): number {
  const weight = 256 - priority;
  if (version === 2) return (weight * US_PER_S) / 256;
  return (weight * masterAdverIntervalCs * US_PER_CS) / 256;
}

/**
 * Master_Down_Interval in µs: "(3 * Master_Adver_Interval) + Skew_Time" (RFC 3768 §6.1 with
 * Advertisement_Interval; RFC 9568 §6.1 calls it Active_Down_Interval). For VRRPv2 keepalived never
 * learns the interval, so the caller passes the configured advert_int.
 */
export function masterDownIntervalUs(version: VrrpVersion, priority: number, masterAdverIntervalCs: number): number {
  return 3 * adverIntervalUs(masterAdverIntervalCs) + skewTimeUs(version, priority, masterAdverIntervalCs);
}
