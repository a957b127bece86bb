// Render + send for each channel: the only place that knows which renderer goes with which sender.
import type { Writable } from 'node:stream';
import type { Channel, Delivery } from '../alert/notice.js';
import type { ChannelSettings } from '../config/env.js';
import { renderConsole } from '../render/console.js';
import { renderEmail } from '../render/email.js';
import { renderSlack } from '../render/slack.js';
import { sendConsole } from '../send/console.js';
import { sendEmail } from '../send/email.js';
import type { SendOutcome } from '../send/outcome.js';
import { sendSlack } from '../send/slack.js';

export type Sender = (delivery: Delivery) => Promise<SendOutcome>;

export interface SenderOptions {
  readonly auditorUrl?: string | undefined;
  readonly consoleOut?: Writable;
  readonly timeoutMs?: number;
}

export function senderFor(channel: Channel, settings: ChannelSettings, opts: SenderOptions = {}): Sender {
  switch (channel) {
    case 'slack': {
      const slack = settings.slack;
      if (!slack) throw new Error('slack channel is not configured');
      return (d) => sendSlack(renderSlack(d, { auditorUrl: opts.auditorUrl }), { webhookUrl: slack.webhookUrl, ...(opts.timeoutMs ? { timeoutMs: opts.timeoutMs } : {}) });
    }
    case 'email': {
      const email = settings.email;
      if (!email) throw new Error('email channel is not configured');
      return (d) => sendEmail(renderEmail(d, { from: email.from, auditorUrl: opts.auditorUrl }), { ...email, ...(opts.timeoutMs ? { timeoutMs: opts.timeoutMs } : {}) });
    }
    case 'console':
      return (d) => sendConsole(renderConsole(d, { auditorUrl: opts.auditorUrl }), opts.consoleOut);
  }
}
