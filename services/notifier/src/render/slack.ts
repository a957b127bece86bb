// Slack Block Kit payload for an incoming webhook (pure; send/slack.ts posts it). Incoming webhooks
// cannot thread (they return "ok", not a message ts), so a resolved follow-up is a new message that
// repeats the raised message's title with "Resolved:" in front.
// Limits respected: header ≤ 150 chars, ≤ 50 blocks, ≤ 10 fields per section, section text ≤ 3000.
import type { Alert } from '@hotstandby/events';
import type { AlertNotice, Delivery, HealthNotice, TestNotice } from '../alert/notice.js';
import { severityOf } from '../alert/severity.js';
import { DUPLICATE_NOTE, evidenceShown, kindLabel, messageTitle, whatHappened, worstSeverity } from './describe.js';
import { timelineUrl } from './links.js';

export interface SlackText {
  readonly type: 'plain_text' | 'mrkdwn';
  readonly text: string;
  readonly emoji?: boolean;
}
export type SlackBlock =
  | { readonly type: 'header'; readonly text: SlackText }
  | { readonly type: 'section'; readonly text?: SlackText; readonly fields?: readonly SlackText[] }
  | { readonly type: 'context'; readonly elements: readonly SlackText[] }
  | { readonly type: 'divider' }
  | {
      readonly type: 'actions';
      readonly elements: readonly { readonly type: 'button'; readonly text: SlackText; readonly url: string; readonly action_id: string }[];
    };

export interface SlackPayload {
  /** Fallback for notifications and clients without blocks. */
  readonly text: string;
  readonly blocks: readonly SlackBlock[];
}

export interface SlackRenderOptions {
  readonly auditorUrl?: string | undefined;
}

export const MAX_ALERTS_SHOWN = 10;

/** Slack mrkdwn treats &, < and > as control characters. */
export function escapeMrkdwn(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function md(text: string): SlackText {
  return { type: 'mrkdwn', text: text.length > 2900 ? `${text.slice(0, 2899)}…` : text };
}

function header(text: string): SlackBlock {
  return { type: 'header', text: { type: 'plain_text', text: text.length > 150 ? `${text.slice(0, 149)}…` : text, emoji: true } };
}

function field(name: string, value: string): SlackText {
  return md(`*${name}*\n${escapeMrkdwn(value).slice(0, 1900)}`);
}

function alertBlocks(alert: Alert, opts: SlackRenderOptions): SlackBlock[] {
  const fields = [
    field('Kind', kindLabel(alert.kind)),
    field('Severity', severityOf(alert.kind)),
    field('VRID', alert.vrid === null ? '(node-level)' : String(alert.vrid)),
    field('Domain', alert.domain),
    field('Nodes', alert.nodes.length > 0 ? alert.nodes.join(', ') : '(none named)'),
    field('Since', alert.firstSeen),
  ];
  if (alert.state === 'resolved') fields.push(field('Resolved at', alert.at));
  const blocks: SlackBlock[] = [{ type: 'section', text: md(escapeMrkdwn(whatHappened(alert))), fields }];
  const ev = evidenceShown(alert);
  if (ev.ids.length > 0) {
    const more = ev.more > 0 ? ` and ${ev.more} more` : '';
    blocks.push({ type: 'context', elements: [md(`Evidence: ${ev.ids.map((id) => `\`${escapeMrkdwn(id)}\``).join(', ')}${more}`)] });
  }
  const url = timelineUrl(opts.auditorUrl, alert);
  if (url) {
    blocks.push({
      type: 'actions',
      elements: [{ type: 'button', text: { type: 'plain_text', text: 'Open timeline' }, url, action_id: `timeline-${blocks.length}` }],
    });
  }
  return blocks;
}

function footer(delivery: Delivery): SlackBlock[] {
  const out: SlackBlock[] = [];
  if (delivery.possibleDuplicate) out.push({ type: 'context', elements: [md(`:repeat: ${DUPLICATE_NOTE}`)] });
  out.push({ type: 'context', elements: [md(`hotstandby notifier · ref \`${escapeMrkdwn(delivery.ref)}\``)] });
  return out;
}

function renderAlerts(delivery: Delivery & { notice: AlertNotice }, opts: SlackRenderOptions): SlackPayload {
  const { notice } = delivery;
  const title = messageTitle(delivery);
  const sev = worstSeverity(notice.alerts);
  const icon = notice.state === 'resolved' ? ':white_check_mark:' : sev === 'critical' ? ':rotating_light:' : ':warning:';
  const blocks: SlackBlock[] = [header(`${icon} ${title}`)];
  notice.alerts.slice(0, MAX_ALERTS_SHOWN).forEach((a, i) => {
    if (i > 0) blocks.push({ type: 'divider' });
    blocks.push(...alertBlocks(a, opts));
  });
  const hidden = notice.alerts.length - MAX_ALERTS_SHOWN;
  if (hidden > 0) blocks.push({ type: 'context', elements: [md(`…and ${hidden} more alerts in this group.`)] });
  blocks.push(...footer(delivery));
  const first = notice.alerts[0]!;
  return { text: `${title} — ${whatHappened(first)}`, blocks };
}

function renderHealth(delivery: Delivery & { notice: HealthNotice }): SlackPayload {
  const { notice } = delivery;
  const title = `Notifier cannot deliver to ${notice.failedChannel}`;
  const blocks: SlackBlock[] = [
    header(`:warning: ${title}`),
    { type: 'section', text: md(`${escapeMrkdwn(notice.reason)}\nSince ${notice.at}. These were parked as dead letters:`) },
  ];
  const lines = notice.undelivered.slice(0, 20).map((u) => `• ${u.state} ${escapeMrkdwn(u.kind)} \`${escapeMrkdwn(u.id)}\` — ${escapeMrkdwn(u.summary)}`);
  if (notice.undelivered.length > 20) lines.push(`…and ${notice.undelivered.length - 20} more`);
  if (lines.length > 0) blocks.push({ type: 'section', text: md(lines.join('\n')) });
  blocks.push(...footer(delivery));
  return { text: `${title}: ${notice.reason}`, blocks };
}

function renderTest(delivery: Delivery & { notice: TestNotice }): SlackPayload {
  const title = 'hotstandby notifier test message';
  return {
    text: title,
    blocks: [header(title), { type: 'section', text: md(`If you can read this, delivery to ${delivery.notice.channel} works (sent ${delivery.notice.at}).`) }, ...footer(delivery)],
  };
}

export function renderSlack(delivery: Delivery, opts: SlackRenderOptions = {}): SlackPayload {
  const n = delivery.notice;
  switch (n.type) {
    case 'alerts':
      return renderAlerts({ ...delivery, notice: n }, opts);
    case 'health':
      return renderHealth({ ...delivery, notice: n });
    case 'test':
      return renderTest({ ...delivery, notice: n });
  }
}
