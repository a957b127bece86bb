// E-mail for an alert group, a health notice or a test (pure; send/email.ts hands it to nodemailer).
// A resolved follow-up has the raised message's subject with "Resolved: " in front and names the
// raised message in In-Reply-To and References, so mail clients show both in one thread.
import type { Alert } from '@hotstandby/events';
import type { AlertNotice, Delivery, HealthNotice, TestNotice } from '../alert/notice.js';
import { severityOf } from '../alert/severity.js';
import { DUPLICATE_NOTE, alertTitle, evidenceShown, kindLabel, messageTitle, whatHappened, worstSeverity } from './describe.js';
import { timelineUrl } from './links.js';
import { emailMessageId } from './message-id.js';

export interface EmailMessage {
  readonly subject: string;
  readonly text: string;
  readonly html: string;
  readonly messageId: string;
  readonly inReplyTo?: string;
  readonly references?: readonly string[];
  readonly headers: Readonly<Record<string, string>>;
}

export interface EmailRenderOptions {
  /** Used for the Message-ID domain. */
  readonly from: string;
  readonly auditorUrl?: string | undefined;
}

export const SUBJECT_PREFIX = '[hotstandby]';

export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function facts(alert: Alert): [string, string][] {
  const rows: [string, string][] = [
    ['Kind', kindLabel(alert.kind)],
    ['Severity', severityOf(alert.kind)],
    ['VRID', alert.vrid === null ? '(node-level)' : String(alert.vrid)],
    ['Domain', alert.domain],
    ['Nodes', alert.nodes.length > 0 ? alert.nodes.join(', ') : '(none named)'],
    ['Since', alert.firstSeen],
  ];
  if (alert.state === 'resolved') rows.push(['Resolved at', alert.at]);
  rows.push(['Alert id', alert.id]);
  return rows;
}

function alertText(alert: Alert, auditorUrl: string | undefined): string {
  const lines = [whatHappened(alert), ''];
  for (const [k, v] of facts(alert)) lines.push(`${`${k}:`.padEnd(13)}${v}`);
  const ev = evidenceShown(alert);
  if (ev.ids.length > 0) {
    lines.push('Evidence:');
    for (const id of ev.ids) lines.push(`  ${id}`);
    if (ev.more > 0) lines.push(`  …and ${ev.more} more`);
  }
  const url = timelineUrl(auditorUrl, alert);
  if (url) lines.push(`Timeline:    ${url}`);
  return lines.join('\n');
}

function alertHtml(alert: Alert, auditorUrl: string | undefined): string {
  const rows = facts(alert)
    .map(([k, v]) => `<tr><th align="left" style="padding-right:1em">${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`)
    .join('');
  const ev = evidenceShown(alert);
  const evidence =
    ev.ids.length > 0
      ? `<p>Evidence:</p><ul>${ev.ids.map((id) => `<li><code>${escapeHtml(id)}</code></li>`).join('')}${ev.more > 0 ? `<li>…and ${ev.more} more</li>` : ''}</ul>`
      : '';
  const url = timelineUrl(auditorUrl, alert);
  const link = url ? `<p><a href="${escapeHtml(url)}">Open the timeline</a></p>` : '';
  return `<h3>${escapeHtml(whatHappened(alert))}</h3><table>${rows}</table>${evidence}${link}`;
}

function page(title: string, body: string, delivery: Delivery): string {
  const dup = delivery.possibleDuplicate ? `<p><em>${escapeHtml(DUPLICATE_NOTE)}</em></p>` : '';
  return `<!doctype html><html><body><h2>${escapeHtml(title)}</h2>${dup}${body}<hr><p style="color:#888">hotstandby notifier · ref ${escapeHtml(delivery.ref)}</p></body></html>`;
}

function text(title: string, body: string, delivery: Delivery): string {
  const dup = delivery.possibleDuplicate ? `${DUPLICATE_NOTE}\n\n` : '';
  return `${title}\n${'='.repeat(Math.min(title.length, 72))}\n\n${dup}${body}\n\n-- \nhotstandby notifier · ref ${delivery.ref}\n`;
}

function envelope(delivery: Delivery, opts: EmailRenderOptions, subject: string, title: string, bodyText: string, bodyHtml: string, extra: Record<string, string>): EmailMessage {
  const headers: Record<string, string> = { ...extra };
  if (delivery.possibleDuplicate) headers['X-Hotstandby-Possible-Duplicate'] = 'yes';
  const base = {
    subject,
    text: text(title, bodyText, delivery),
    html: page(title, bodyHtml, delivery),
    messageId: emailMessageId(delivery.ref, opts.from),
    headers,
  };
  const refs = delivery.thread?.refs.map((r) => emailMessageId(r, opts.from)) ?? [];
  return refs.length > 0 ? { ...base, inReplyTo: refs[0]!, references: refs } : base;
}

function renderAlerts(delivery: Delivery & { notice: AlertNotice }, opts: EmailRenderOptions): EmailMessage {
  const { notice } = delivery;
  const title = messageTitle(delivery);
  // The thread's title is stored without the prefix; a resolved subject is "Resolved: [hotstandby] …".
  const subject = notice.state === 'raised' ? `${SUBJECT_PREFIX} ${title}` : `Resolved: ${SUBJECT_PREFIX} ${delivery.thread?.title ?? alertTitle(notice)}`;
  const bodyText = notice.alerts.map((a) => alertText(a, opts.auditorUrl)).join('\n\n');
  const bodyHtml = notice.alerts.map((a) => alertHtml(a, opts.auditorUrl)).join('<hr>');
  return envelope(delivery, opts, subject, title, bodyText, bodyHtml, {
    'X-Hotstandby-Severity': worstSeverity(notice.alerts),
    'X-Hotstandby-Alert-Ids': notice.alerts.map((a) => a.id).join(' ').slice(0, 900),
    'X-Hotstandby-State': notice.state,
  });
}

function renderHealth(delivery: Delivery & { notice: HealthNotice }, opts: EmailRenderOptions): EmailMessage {
  const n = delivery.notice;
  const title = `Notifier cannot deliver to ${n.failedChannel}`;
  const items = n.undelivered.map((u) => `${u.state} ${u.kind} ${u.id}: ${u.summary}`);
  const bodyText = `${n.reason}\nSince ${n.at}. These were parked as dead letters:\n${items.map((i) => `  - ${i}`).join('\n')}`;
  const bodyHtml = `<p>${escapeHtml(n.reason)}</p><p>Since ${escapeHtml(n.at)}. These were parked as dead letters:</p><ul>${items.map((i) => `<li>${escapeHtml(i)}</li>`).join('')}</ul>`;
  return envelope(delivery, opts, `${SUBJECT_PREFIX} ${title}`, title, bodyText, bodyHtml, { 'X-Hotstandby-Severity': 'warning' });
}

function renderTest(delivery: Delivery & { notice: TestNotice }, opts: EmailRenderOptions): EmailMessage {
  const title = 'hotstandby notifier test message';
  const body = `If you can read this, delivery to ${delivery.notice.channel} works (sent ${delivery.notice.at}).`;
  return envelope(delivery, opts, `${SUBJECT_PREFIX} ${title}`, title, body, `<p>${escapeHtml(body)}</p>`, {});
}

export function renderEmail(delivery: Delivery, opts: EmailRenderOptions): EmailMessage {
  const n = delivery.notice;
  switch (n.type) {
    case 'alerts':
      return renderAlerts({ ...delivery, notice: n }, opts);
    case 'health':
      return renderHealth({ ...delivery, notice: n }, opts);
    case 'test':
      return renderTest({ ...delivery, notice: n }, opts);
  }
}
