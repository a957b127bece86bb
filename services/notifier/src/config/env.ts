// Channel settings from the environment (secrets live here, never in the routes file), optionally
// seeded by keepalived.conf's global_defs: the environment wins where both say something.
//   SLACK_WEBHOOK_URL                      → slack
//   SMTP_URL=smtp://user:pass@host:587     → email (smtps:// for implicit TLS), with
//   ALERT_EMAIL_TO=a@x,b@y  ALERT_EMAIL_FROM=hotstandby@x
// With neither Slack nor e-mail, the console channel (stdout) is enabled: the tutorial demo's.
// NOTIFIER_CONSOLE=1 keeps it on beside them (the tutorial, to show what went to Slack and e-mail).
import type { Channel } from '../alert/notice.js';
import type { ConfigResult } from './routes.js';
import type { KeepalivedEmail } from './keepalived.js';

export interface EmailSettings {
  /** nodemailer connection URL (may carry credentials: never print it). */
  readonly smtpUrl: string;
  readonly to: readonly string[];
  readonly from: string;
}

export interface ChannelSettings {
  readonly slack?: { readonly webhookUrl: string };
  readonly email?: EmailSettings;
  readonly console: boolean;
  /** The channels that can deliver, in preference order for health notices. */
  readonly enabled: readonly Channel[];
  /** Where each setting came from, for the start-up line (no secrets). */
  readonly sources: readonly string[];
}

type Env = Readonly<Record<string, string | undefined>>;

function list(v: string | undefined): string[] {
  return (v ?? '')
    .split(/[,\s]+/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

/** `smtp://user:pass@host:587` → the same URL without the password, for logs. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    // Slack webhook paths are the secret.
    if (u.hostname.endsWith('slack.com') && u.pathname.length > 1) u.pathname = '/***';
    return u.toString();
  } catch {
    return '(unparsable URL)';
  }
}

export function channelSettings(env: Env, keepalived?: KeepalivedEmail): ConfigResult<ChannelSettings> {
  const sources: string[] = [];
  let slack: ChannelSettings['slack'];
  const hook = env['SLACK_WEBHOOK_URL'];
  if (hook) {
    let u: URL;
    try {
      u = new URL(hook);
    } catch {
      return { ok: false, reason: 'SLACK_WEBHOOK_URL is not a URL' };
    }
    if (u.protocol !== 'https:' && u.protocol !== 'http:') return { ok: false, reason: 'SLACK_WEBHOOK_URL must be http(s)' };
    slack = { webhookUrl: hook };
    sources.push(`slack: SLACK_WEBHOOK_URL ${redactUrl(hook)}`);
  }

  let smtpUrl = env['SMTP_URL'];
  let smtpFrom = 'SMTP_URL';
  if (!smtpUrl && keepalived?.smtp) {
    smtpUrl = `smtp://${keepalived.smtp.host.includes(':') ? `[${keepalived.smtp.host}]` : keepalived.smtp.host}:${keepalived.smtp.port}`;
    smtpFrom = 'keepalived smtp_server';
  }
  const to = env['ALERT_EMAIL_TO'] ? list(env['ALERT_EMAIL_TO']) : [...(keepalived?.to ?? [])];
  const from = env['ALERT_EMAIL_FROM'] ?? keepalived?.from;
  let email: EmailSettings | undefined;
  if (smtpUrl) {
    let u: URL;
    try {
      u = new URL(smtpUrl);
    } catch {
      return { ok: false, reason: `${smtpFrom} is not a URL` };
    }
    if (u.protocol !== 'smtp:' && u.protocol !== 'smtps:') return { ok: false, reason: `${smtpFrom} must be smtp:// or smtps://` };
    if (to.length === 0) return { ok: false, reason: 'e-mail needs recipients: ALERT_EMAIL_TO or keepalived notification_email' };
    if (!from) return { ok: false, reason: 'e-mail needs a sender: ALERT_EMAIL_FROM or keepalived notification_email_from' };
    email = { smtpUrl, to, from };
    sources.push(`email: ${smtpFrom} ${redactUrl(smtpUrl)} to ${to.join(', ')} from ${from}`);
  } else if (env['ALERT_EMAIL_TO']) {
    return { ok: false, reason: 'ALERT_EMAIL_TO is set but SMTP_URL is not' };
  }

  const forced = env['NOTIFIER_CONSOLE'] === '1';
  const console = forced || (!slack && !email);
  if (console) sources.push(forced ? 'console: stdout (NOTIFIER_CONSOLE=1)' : 'console: stdout (no SLACK_WEBHOOK_URL or SMTP_URL)');
  const enabled: Channel[] = [...(slack ? (['slack'] as const) : []), ...(email ? (['email'] as const) : []), ...(console ? (['console'] as const) : [])];
  return { ok: true, value: { ...(slack ? { slack } : {}), ...(email ? { email } : {}), console, enabled, sources } };
}
