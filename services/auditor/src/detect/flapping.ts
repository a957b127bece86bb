// Flapping: more than `flapMax` transitions of one instance on one node within `flapWindowUs`. Once
// raised it stays raised until the node has been quiet for a whole window (hysteresis, so a flapping
// alert does not itself flap).
import type { Micros } from '../time/micros.js';
import type { Condition } from './condition.js';
import type { DetectConfig } from './config.js';
import type { FleetView } from './fleet.js';

export function detectFlapping(view: FleetView, now: Micros, cfg: DetectConfig): Condition[] {
  const out: Condition[] = [];
  for (const [fk, all] of view.transitions) {
    const recent = all.filter((t) => t.at > now - cfg.flapWindowUs);
    const key = `flapping|${fk}`;
    const open = view.alerts.get(key);
    if (recent.length > cfg.flapMax || (open && recent.length > 0)) {
      const [domain, vrid, nodeId] = JSON.parse(fk) as [string, number, string];
      out.push({
        key,
        kind: 'flapping',
        domain,
        vrid,
        nodes: [nodeId],
        evidence: recent.map((t) => t.id),
        since: open ? open.firstSeen : recent[cfg.flapMax]!.at,
        summary: `${nodeId} VRID ${vrid} on ${domain}: ${recent.length} transitions in ${cfg.flapWindowUs / 1e6} s (more than ${cfg.flapMax})`,
      });
    }
  }
  return out;
}
