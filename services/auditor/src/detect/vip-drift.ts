// VIP drift, from heartbeats (VIPs as the kernel reports them, not as intended): per (domain, vrid),
// over the live nodes' latest heartbeats —
//   a VIP installed on a node whose instance is not MASTER;
//   a VIP installed on two or more nodes;
//   a VIP the MASTER should hold on no node at all while a master exists;
//   a MASTER missing one of its VIPs (installed elsewhere).
import type { Micros } from '../time/micros.js';
import type { Condition } from './condition.js';
import type { DetectConfig } from './config.js';
import type { FleetView } from './fleet.js';
import { routerKey } from './fleet.js';

export interface RouterVipProblems {
  domain: string;
  vrid: number;
  problems: string[];
  nodes: string[];
  evidence: string[];
  /** Slowest heartbeat period among the nodes involved. */
  periodUs: Micros;
}

/** The VIP problems visible right now in the latest heartbeats, by routerKey. Pure. */
export function vipProblems(view: FleetView): Map<string, RouterVipProblems> {
  type Seen = { nodeId: string; state: string; installed: string[]; intended: string[]; hb: string; periodUs: Micros };
  const routers = new Map<string, { domain: string; vrid: number; seen: Seen[] }>();
  for (const node of view.nodes.values()) {
    if (node.lost || !node.lastHeartbeat) continue;
    for (const inst of node.lastHeartbeat.instances) {
      const key = routerKey(inst.domain, inst.vrid);
      let r = routers.get(key);
      if (!r) routers.set(key, (r = { domain: inst.domain, vrid: inst.vrid, seen: [] }));
      r.seen.push({
        nodeId: node.nodeId,
        state: inst.state,
        installed: inst.installedVips,
        intended: inst.intendedVips,
        hb: node.lastHeartbeat.id,
        periodUs: node.periodUs ?? 0,
      });
    }
  }
  const out = new Map<string, RouterVipProblems>();
  for (const [key, r] of routers) {
    const problems: string[] = [];
    const nodes = new Set<string>();
    const holders = new Map<string, string[]>();
    for (const s of r.seen) for (const vip of s.installed) holders.set(vip, [...(holders.get(vip) ?? []), s.nodeId]);
    for (const s of r.seen) {
      if (s.state !== 'MASTER' && s.installed.length > 0) {
        problems.push(`${s.installed.join(', ')} installed on ${s.nodeId}, which is ${s.state}`);
        nodes.add(s.nodeId);
      }
    }
    for (const [vip, on] of holders) {
      if (on.length > 1) {
        problems.push(`${vip} installed on ${on.length} nodes: ${on.join(', ')}`);
        on.forEach((n) => nodes.add(n));
      }
    }
    for (const s of r.seen) {
      if (s.state !== 'MASTER') continue;
      for (const vip of s.intended) {
        if (s.installed.includes(vip)) continue;
        const on = holders.get(vip) ?? [];
        problems.push(
          on.length === 0
            ? `${vip} on no node while ${s.nodeId} is MASTER`
            : `MASTER ${s.nodeId} is missing ${vip} (installed on ${on.join(', ')})`,
        );
        nodes.add(s.nodeId);
      }
    }
    if (problems.length === 0) continue;
    const involved = r.seen.filter((s) => nodes.has(s.nodeId));
    out.set(key, {
      domain: r.domain,
      vrid: r.vrid,
      problems,
      nodes: [...nodes].sort(),
      evidence: [...new Set(involved.map((s) => s.hb))],
      periodUs: Math.max(0, ...involved.map((s) => s.periodUs)),
    });
  }
  return out;
}

/** Problems that have persisted long enough (`view.driftSince`, kept by the fold). */
export function detectVipDrift(view: FleetView, now: Micros, cfg: DetectConfig): Condition[] {
  const out: Condition[] = [];
  for (const [key, p] of vipProblems(view)) {
    const since = view.driftSince.get(key);
    if (since === undefined) continue;
    if (now - since < p.periodUs * cfg.vipDriftPeriods + cfg.skewToleranceUs) continue;
    out.push({
      key: `vip-drift|${key}`,
      kind: 'vip-drift',
      domain: p.domain,
      vrid: p.vrid,
      nodes: p.nodes,
      evidence: p.evidence,
      since,
      summary: `VRID ${p.vrid} on ${p.domain}: ${p.problems.join('; ')}`,
    });
  }
  return out;
}
