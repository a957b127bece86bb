// Node lost: nothing heard from a node for `nodeLostPeriods` heartbeat periods. Its state is then
// unknown — project/fold.ts closes its mastership intervals so that it is never reported as a stale
// MASTER — and one alert per domain its last heartbeat mentioned is raised until it is heard again.
import type { Micros } from '../time/micros.js';
import type { Condition } from './condition.js';
import type { DetectConfig } from './config.js';
import type { FleetView, NodeView } from './fleet.js';

/** When the node counts as lost if nothing more is heard; undefined before its first heartbeat. */
export function lostDeadline(node: NodeView, cfg: DetectConfig): Micros | undefined {
  if (node.periodUs === undefined) return undefined;
  return node.lastSeenAt + node.periodUs * cfg.nodeLostPeriods + cfg.skewToleranceUs;
}

export function isLost(node: NodeView, now: Micros, cfg: DetectConfig): boolean {
  const deadline = lostDeadline(node, cfg);
  return deadline !== undefined && now > deadline;
}

export function nodeDomains(node: NodeView): string[] {
  const domains = new Set((node.lastHeartbeat?.instances ?? []).map((i) => i.domain));
  return [...domains].sort();
}

export function detectNodeLost(view: FleetView, cfg: DetectConfig): Condition[] {
  const out: Condition[] = [];
  for (const node of view.nodes.values()) {
    if (!node.lost) continue;
    const since = lostDeadline(node, cfg) ?? node.lastSeenAt;
    const domains = nodeDomains(node);
    for (const domain of domains.length > 0 ? domains : ['unknown']) {
      out.push({
        key: `node-lost|${JSON.stringify([node.nodeId, domain])}`,
        kind: 'node-lost',
        domain,
        vrid: null,
        nodes: [node.nodeId],
        evidence: [node.lastEventId],
        since,
        summary: `${node.nodeId}: nothing heard for ${cfg.nodeLostPeriods} heartbeat periods; its state is unknown`,
      });
    }
  }
  return out;
}
