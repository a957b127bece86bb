// Severity is the notifier's own reading of an alert kind (the bus contract has none): it exists for
// routing ("critical to Slack and e-mail, warnings to e-mail only") and for the colour of a message.
import type { AlertKind } from '@hotstandby/events';

export const SEVERITIES = ['critical', 'warning', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

const BY_KIND: Record<AlertKind, Severity> = {
  // Two masters answer ARP for the same VIP: traffic is being split right now.
  'split-brain': 'critical',
  // A VIP on the wrong node, on two, or on none: clients are (or will be) failing.
  'vip-drift': 'critical',
  // A node stopped reporting; its routers may still be fine (it is the bus we lost).
  'node-lost': 'warning',
  'flapping': 'warning',
  // Events were lost between a node and the auditor: history has a hole, VRRP is unaffected.
  'event-gap': 'warning',
};

export function severityOf(kind: AlertKind): Severity {
  return BY_KIND[kind];
}
