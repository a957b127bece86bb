// Young-generation garbage collections at moments chosen by the daemon, not by V8.
//
// A scavenge stops the JS thread for 0.3-1.7 ms (measured on the lab's VMs: about one every 12 s for a
// backup at advert_int 1). V8 runs one when the young generation fills, i.e. at whatever allocation
// comes next — which can be the takeover itself: the bench's rare +1.9 ms late takeovers at VRRPv2
// (bench/failover.bench.ts, "worst gap"). keepalived has no collector. So the daemon collects the young
// generation itself, about once a second and only when no instance has a protocol deadline within
// GC_CLEARANCE_US: the young generation then never fills on its own, and the pauses fall where they
// cannot delay an advert or a takeover. (With many fast instances such a gap may be rare; V8 then
// collects when it must, as before.) Full collections come from old-generation growth only: the entry
// point turns off V8's memory reducer (cli/v8-flags.ts), whose idle-time mark-compacts paused the
// daemon for up to 14 ms.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** At most one collection per this interval (µs). */
export const GC_EVERY_US = 1_000_000;
/** No deadline may fall within this much of a collection (µs): the early takeover wake-up is 1.5 ms, a scavenge up to ~2 ms. */
export const GC_CLEARANCE_US = 5_000;

/** Collect now? `nextDeadlineUs` is the earliest protocol timer of any instance (undefined: none armed). */
export function gcDue(nowUs: number, lastUs: number, nextDeadlineUs: number | undefined): boolean {
  if (nowUs - lastUs < GC_EVERY_US) return false;
  return nextDeadlineUs === undefined || nextDeadlineUs - nowUs >= GC_CLEARANCE_US;
}

/**
 * V8's young-generation collection as a function, or undefined where it cannot be had. `gc` exists only
 * with --expose-gc; set at run time, the flag takes effect for contexts created afterwards.
 */
export function minorCollector(): (() => void) | undefined {
  try {
    setFlagsFromString('--expose-gc');
    const gc: unknown = runInNewContext('typeof gc === "function" ? gc : undefined');
    if (typeof gc !== 'function') return undefined;
    const collect = gc as (options: { type: 'minor' }) => void;
    return () => collect({ type: 'minor' });
  } catch {
    return undefined;
  }
}
