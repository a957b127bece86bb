// Split brain: two or more nodes MASTER for the same (domain, vrid) for longer than the grace
// (detect/config.ts explains the grace). Mastership comes from the open intervals, which transitions
// open and close and heartbeats confirm — so a "silent winner", a MASTER that never transitioned during
// the episode (or whose transition the auditor never saw), still counts from its heartbeats.
import type { Micros } from '../time/micros.js';
import type { Condition } from './condition.js';
import type { DetectConfig } from './config.js';
import type { FleetView, OpenMastership } from './fleet.js';

export function splitBrainGraceUs(masters: readonly OpenMastership[], cfg: DetectConfig): Micros {
  const intervalCs = Math.max(...masters.map((m) => m.intervalCs));
  return intervalCs * 10_000 * cfg.splitBrainGraceIntervals + cfg.skewToleranceUs;
}

/**
 * A crashed MASTER emits no transition, so its interval stays open until its next boot is heard (or it
 * is declared lost); its backup takes over meanwhile with `master-no-response`. That is a failover, not
 * a split brain. A crashed master fell silent at least two advert intervals before the takeover
 * (Master_Down_Interval is 3 × interval + skew, RFC 9568 §6.1, and it died at most one interval after
 * its last advert); a master cut off by a partition keeps heartbeating. So a master counts only if its
 * node was heard within two of its advert intervals before the overlap began, or at any time since
 * (its next heartbeat confirms a live one: the alert is then only later, never missed).
 */
function aliveAt(view: FleetView, m: OpenMastership, since: Micros, cfg: DetectConfig): boolean {
  if (m.fromAt >= since) return true;
  const node = view.nodes.get(m.nodeId);
  if (!node) return true;
  return node.lastSeenAt >= since - Math.max(2 * m.intervalCs * 10_000, cfg.skewToleranceUs);
}

export function detectSplitBrain(view: FleetView, now: Micros, cfg: DetectConfig): Condition[] {
  const out: Condition[] = [];
  for (const [key, byNode] of view.masters) {
    if (byNode.size < 2) continue;
    const open = [...byNode.values()].sort((a, b) => a.fromAt - b.fromAt || a.nodeId.localeCompare(b.nodeId));
    // The overlap began when the second master appeared.
    const since = open[1]!.fromAt;
    const masters = open.filter((m) => aliveAt(view, m, since, cfg));
    if (masters.length < 2) continue;
    if (now - since < splitBrainGraceUs(masters, cfg)) continue;
    const first = masters[0]!;
    out.push({
      key: `split-brain|${key}`,
      kind: 'split-brain',
      domain: first.domain,
      vrid: first.vrid,
      nodes: masters.map((m) => m.nodeId).sort(),
      evidence: masters.map((m) => m.startEventId),
      since,
      summary: `${masters.length} nodes MASTER of VRID ${first.vrid} on ${first.domain}: ${masters.map((m) => m.nodeId).join(', ')}`,
    });
  }
  return out;
}
