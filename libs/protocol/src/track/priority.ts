// Effective priority from tracked scripts and interfaces, as keepalived computes it.
//
// keepalived.conf(5), vrrp_script / track_script / track_interface:
// - weight 0: the tracker failing (script KO, interface down) puts the instance in FAULT;
// - weight > 0: added to the priority while the tracker is OK / up;
// - weight < 0: added (i.e. subtracted) while the tracker is KO / down;
// - `reverse` swaps which side of the tracker the weight applies to (keepalived 2.x).
// The result is clamped to 1..254 (a tracked instance never becomes, nor loses, the address owner),
// and an instance whose base priority is 255 ignores weights: keepalived warns and keeps 255.

export interface TrackerView {
  readonly weight: number;
  readonly reverse?: boolean;
  /** true = script OK / interface up; undefined = no result yet (counts as neither). */
  readonly up: boolean | undefined;
}

export interface EffectivePriority {
  readonly priority: number;
  /** A weight-0 tracker is failing: the instance must be in FAULT. */
  readonly fault: boolean;
}

export const OWNER_PRIORITY = 255;

export function effectivePriority(basePriority: number, trackers: readonly TrackerView[]): EffectivePriority {
  let fault = false;
  let delta = 0;
  for (const t of trackers) {
    if (t.up === undefined) continue;
    const good = t.reverse === true ? !t.up : t.up;
    if (t.weight === 0) {
      if (!good) fault = true;
    } else if (t.weight > 0 ? good : !good) {
      delta += t.weight;
    }
  }
  if (basePriority >= OWNER_PRIORITY) return { priority: OWNER_PRIORITY, fault };
  return { priority: Math.min(254, Math.max(1, basePriority + delta)), fault };
}
