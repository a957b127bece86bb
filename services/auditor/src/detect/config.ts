// The detectors' knobs, with the reasoning behind each default.
import type { Micros } from '../time/micros.js';

export interface DetectConfig {
  /**
   * Clock skew tolerated between two nodes' wall clocks when their events are compared (the only
   * cross-node ordering the auditor does: within one node it orders by (boot, seq), never by time).
   * 100 ms: NTP-disciplined hosts on one LAN agree within a few ms; 100 ms leaves room for a host whose
   * NTP is lagging without hiding a real split brain for long.
   */
  skewToleranceUs: Micros;
  /**
   * Split-brain grace, in advert intervals, on top of the skew tolerance. A legitimate hand-over overlaps
   * two MASTERs only until the old one hears the first advert of the new one (RFC 9568 §6.4.3: a MASTER
   * receiving a higher-priority advert goes BACKUP at once; the new MASTER sends its first advert on
   * becoming MASTER, §6.4.2) — a few ms. Half an interval tolerates that plus delivery jitter and still
   * raises within a second at keepalived's default advert_int 1 (0.5 s + 0.1 s skew = 0.6 s).
   */
  splitBrainGraceIntervals: number;
  /** Heartbeat periods without any event before a node is "lost" (its state becomes unknown). */
  nodeLostPeriods: number;
  /** Flapping: more than `flapMax` transitions of one instance on one node within `flapWindowUs`. */
  flapMax: number;
  flapWindowUs: Micros;
  /**
   * VIP drift must persist this many heartbeat periods (of the slowest node involved) before it is
   * raised: heartbeats are snapshots taken at different moments, so a hand-over briefly looks like drift.
   */
  vipDriftPeriods: number;
}

export const DEFAULT_DETECT_CONFIG: DetectConfig = {
  skewToleranceUs: 100_000,
  splitBrainGraceIntervals: 0.5,
  nodeLostPeriods: 3,
  flapMax: 4,
  flapWindowUs: 60_000_000,
  vipDriftPeriods: 2,
};
