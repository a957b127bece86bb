// V8 compiles a function the first time it is called, and flushes the bytecode of one that has not run
// for a while. A takeover runs code a backup never runs (the first advert, the VIP add, the GARPs) —
// typically after days as BACKUP, so cold, in the middle of a failover. Measured in the lab (advert →
// first GARP of a takeover, instrumented): 1.0-1.8 ms cold, 0.3 ms with the code compiled at load and
// kept; start-up +~0.05 s, RSS +~2 MB. So: compile every function when its module loads, and keep it.
//
//
// Also V8's memory reducer off: it runs full collections when the process looks idle — which a backup at
// advert_int 1 always does — and one paused the daemon for 14 ms (lab, --trace-gc via a PerformanceObserver);
// full collections then come only from old-generation growth. Young ones: daemon/gc-points.ts.
//
// Must run before the daemon's modules are loaded (a module parsed before keeps its lazy functions):
// the entry points call this, then import the rest dynamically.
import { setFlagsFromString } from 'node:v8';

/** V8 flags for the daemon; call before its modules load. */
export function setDaemonV8Flags(): void {
  setFlagsFromString('--no-lazy');
  setFlagsFromString('--no-flush-bytecode');
  setFlagsFromString('--no-memory-reducer');
}
