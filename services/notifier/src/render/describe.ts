// The words every channel shares: a title per message, a label per kind, the facts of one alert.
// Slack and e-mail differ only in markup, so what a person reads is the same everywhere.
import type { Alert, AlertKind } from '@hotstandby/events';
import { severityOf } from '../alert/severity.js';
import type { Severity } from '../alert/severity.js';
import type { AlertNotice, Delivery } from '../alert/notice.js';

const KIND_LABEL: Record<AlertKind, string> = {
  'split-brain': 'Split brain',
  'vip-drift': 'VIP drift',
  'node-lost': 'Node lost',
  'flapping': 'Flapping',
  'event-gap': 'Event gap',
};

export function kindLabel(kind: AlertKind): string {
  return KIND_LABEL[kind];
}

/** Where: `VRID 51 on 10.10.10.0/24`, or just the domain for node-level alerts. */
export function scopeOf(alert: Pick<Alert, 'vrid' | 'domain'>): string {
  return alert.vrid === null ? alert.domain : `VRID ${alert.vrid} on ${alert.domain}`;
}

function unique<T>(xs: readonly T[]): T[] {
  return [...new Set(xs)];
}

/** `Split brain: VRID 51 on 10.10.10.0/24` (+ ` (3 alerts)` for a group). Same for raised and resolved. */
export function alertTitle(notice: AlertNotice): string {
  const first = notice.alerts[0];
  if (!first) throw new Error('an alert notice has at least one alert');
  const kinds = unique(notice.alerts.map((a) => kindLabel(a.kind))).join(', ');
  const n = notice.alerts.length;
  const title = `${kinds}: ${scopeOf(first)}${n > 1 ? ` (${n} alerts)` : ''}`;
  // Slack's header block takes 150 characters; e-mail subjects should stay readable too.
  return title.length > 140 ? `${title.slice(0, 139)}…` : title;
}

/** The title a message shows: a resolved follow-up repeats its raised message's title. */
export function messageTitle(delivery: Delivery & { notice: AlertNotice }): string {
  if (delivery.notice.state === 'raised') return alertTitle(delivery.notice);
  return `Resolved: ${delivery.thread?.title ?? alertTitle(delivery.notice)}`;
}

export function worstSeverity(alerts: readonly Alert[]): Severity {
  const s = alerts.map((a) => severityOf(a.kind));
  return s.includes('critical') ? 'critical' : s.includes('warning') ? 'warning' : 'info';
}

/** One sentence: the auditor's summary, or one built from the fields. */
export function whatHappened(alert: Alert): string {
  if (alert.summary) return alert.summary;
  const nodes = alert.nodes.length > 0 ? `: ${alert.nodes.join(', ')}` : '';
  return `${kindLabel(alert.kind)} ${alert.state} for ${scopeOf(alert)}${nodes}`;
}

export const EVIDENCE_SHOWN = 10;

/** The first few evidence ids and how many more there are. */
export function evidenceShown(alert: Alert): { ids: readonly string[]; more: number } {
  return { ids: alert.evidence.slice(0, EVIDENCE_SHOWN), more: Math.max(0, alert.evidence.length - EVIDENCE_SHOWN) };
}

export const DUPLICATE_NOTE = 'This may repeat a message already delivered (the notifier restarted or lost the reply while sending).';
