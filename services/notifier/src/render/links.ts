// Links into the auditor: its timeline page shows the domain's history around the alert.
import type { Alert } from '@hotstandby/events';

function base(auditorUrl: string): string {
  return auditorUrl.replace(/\/+$/, '');
}

/** `<AUDITOR_URL>/timeline?domain=…&vrid=…&at=<firstSeen>`; undefined without an auditor URL. */
export function timelineUrl(auditorUrl: string | undefined, alert: Pick<Alert, 'domain' | 'vrid' | 'firstSeen'>): string | undefined {
  if (!auditorUrl) return undefined;
  const q = new URLSearchParams({ domain: alert.domain });
  if (alert.vrid !== null) q.set('vrid', String(alert.vrid));
  q.set('at', alert.firstSeen);
  return `${base(auditorUrl)}/timeline?${q.toString()}`;
}

