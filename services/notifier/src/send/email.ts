// Hand a rendered e-mail to the SMTP server (nodemailer). A 5xx reply is permanent (bad recipient,
// refused sender, auth failure), a 4xx reply and a connection failure are worth retrying.
import nodemailer from 'nodemailer';
import type { EmailMessage } from '../render/email.js';
import type { SendOutcome } from './outcome.js';

export interface EmailSenderOptions {
  readonly smtpUrl: string;
  readonly to: readonly string[];
  readonly from: string;
  readonly timeoutMs?: number;
}

interface SmtpFailure {
  code?: string;
  responseCode?: number;
  command?: string;
  message?: string;
}

export async function sendEmail(mail: EmailMessage, opts: EmailSenderOptions): Promise<SendOutcome> {
  const timeout = opts.timeoutMs ?? 30_000;
  const transport = nodemailer.createTransport({ url: opts.smtpUrl, connectionTimeout: timeout, greetingTimeout: timeout, socketTimeout: timeout });
  try {
    await transport.sendMail({
      from: opts.from,
      to: [...opts.to],
      subject: mail.subject,
      text: mail.text,
      html: mail.html,
      messageId: mail.messageId,
      ...(mail.inReplyTo ? { inReplyTo: mail.inReplyTo } : {}),
      ...(mail.references ? { references: [...mail.references] } : {}),
      headers: { ...mail.headers },
    });
    return { ok: true };
  } catch (err) {
    const e = err as SmtpFailure;
    const reason = `smtp ${e.command ?? ''} ${e.responseCode ?? e.code ?? ''}: ${e.message ?? String(err)}`.replace(/\s+/g, ' ').slice(0, 300);
    if (e.responseCode !== undefined) return { ok: false, retryable: e.responseCode < 500, ambiguous: false, reason };
    // No reply at all: if it broke after the message went out, the server may have taken it.
    return { ok: false, retryable: true, ambiguous: e.command !== 'CONN' && e.code !== 'ECONNECTION', reason };
  } finally {
    transport.close();
  }
}
