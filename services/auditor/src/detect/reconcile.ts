// Turns the conditions that hold now into alert decisions: a condition without an open alert raises one,
// an open alert whose condition is gone resolves. Each incident is raised once and resolved once.
import type { Micros } from '../time/micros.js';
import { toIso } from '../time/micros.js';
import type { Condition } from './condition.js';
import type { OpenAlert } from './fleet.js';

export type AlertDecision =
  | { action: 'raise'; alert: OpenAlert; at: Micros }
  | { action: 'resolve'; alert: OpenAlert; at: Micros };

/** Incident id: kind, key and start time; stable, so a rebuild names incidents exactly as before. */
export function alertId(c: Condition): string {
  return `${c.kind}:${c.key.slice(c.kind.length + 1)}@${toIso(c.since)}`;
}

export function reconcile(open: ReadonlyMap<string, OpenAlert>, conditions: readonly Condition[], now: Micros): AlertDecision[] {
  const decisions: AlertDecision[] = [];
  const active = new Set<string>();
  for (const c of conditions) {
    active.add(c.key);
    if (open.has(c.key)) continue;
    decisions.push({
      action: 'raise',
      at: now,
      alert: { id: alertId(c), key: c.key, kind: c.kind, domain: c.domain, vrid: c.vrid, nodes: c.nodes, evidence: c.evidence, summary: c.summary, firstSeen: c.since },
    });
  }
  for (const [key, alert] of open) if (!active.has(key)) decisions.push({ action: 'resolve', alert, at: now });
  return decisions;
}
