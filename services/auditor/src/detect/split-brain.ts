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

export function detectSplitBrain(view: FleetView, now: Micros, cfg: DetectConfig): Condition[] {
  const out: Condition[] = [];
  for (const [key, byNode] of view.masters) {
    if (byNode.size < 2) continue;
    const masters = [...byNode.values()].sort((a, b) => a.fromAt - b.fromAt || a.nodeId.localeCompare(b.nodeId));
    // The overlap began when the second master appeared.
    const since = masters[1]!.fromAt;
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
