// The one clock of the daemon: CLOCK_MONOTONIC, the clock PreciseTimer deadlines are armed on.
// libs/protocol counts time in microseconds; monotonicUs() is that clock in those units.
import { native } from './native.js';

/** CLOCK_MONOTONIC in nanoseconds (the event contract's `mono`). */
export function monotonicNs(): bigint {
  return native.monotonicNs();
}

/** CLOCK_MONOTONIC in microseconds, fractional (exact to the ns while uptime < ~104 days). */
export function monotonicUs(): number {
  return native.monotonicUs();
}

/**
 * Runs this process under SCHED_RR at `priority` (1..99), or back under SCHED_OTHER with 0: keepalived's
 * `vrrp_rt_priority`. Affects every thread that is created afterwards too (libuv's pool). Needs root or
 * CAP_SYS_NICE; a NetioError (EPERM) otherwise.
 */
export function setRealtimePriority(priority: number): void {
  native.setRealtimePriority(priority);
}
