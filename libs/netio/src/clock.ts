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
