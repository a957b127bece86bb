// One readable block per message on stdout: the channel of the tutorial demo (no Slack, no SMTP).
import type { Delivery } from '../alert/notice.js';
import { renderEmail } from './email.js';

/** The e-mail's subject and text body, framed: the console shows exactly what e-mail would. */
export function renderConsole(delivery: Delivery, opts: { auditorUrl?: string | undefined } = {}): string {
  const mail = renderEmail(delivery, { from: 'console@hotstandby.invalid', auditorUrl: opts.auditorUrl });
  return `----- ${mail.subject}\n${mail.text}-----\n`;
}
