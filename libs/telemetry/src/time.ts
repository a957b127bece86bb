// Span times from the clocks the services already use. OpenTelemetry takes [seconds, nanoseconds]
// (HrTime) for sub-millisecond precision; a failover span starts at a packet's receipt instant, which
// vrrp-node has on CLOCK_MONOTONIC in µs, so it is moved onto the wall clock with one offset read at
// the moment of conversion (the two clocks do not drift apart measurably within one failover).
import type { HrTime } from '@opentelemetry/api';

/** Wall clock in µs since the epoch, with performance.now()'s precision. */
export function wallNowUs(): number {
  return (performance.timeOrigin + performance.now()) * 1000;
}

export function hrTimeFromWallUs(us: number): HrTime {
  const s = Math.floor(us / 1e6);
  return [s, Math.round((us - s * 1e6) * 1000)];
}

/** Converts monotonic µs to wall µs, using `monoNowUs` and `wallNowUs` read together now. */
export function monoToWallUs(monoUs: number, monoNowUs: number, wallNowUsValue: number): number {
  return wallNowUsValue - (monoNowUs - monoUs);
}
