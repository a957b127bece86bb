// Deterministic e-mail Message-IDs: the same message ref always gets the same id, so a message sent
// twice (a crash between the SMTP server's "250" and our "sent" record) is recognisably one message —
// mail clients thread it together and many collapse it — and a resolved follow-up can name its raised
// message in In-Reply-To / References without storing anything but the ref (RFC 5322 §3.6.4).
import { createHash } from 'node:crypto';

export function emailMessageId(ref: string, fromAddress: string): string {
  const at = fromAddress.lastIndexOf('@');
  const domain = at >= 0 ? fromAddress.slice(at + 1).replace(/[^A-Za-z0-9.-]/g, '') : '';
  const hash = createHash('sha256').update(ref).digest('hex').slice(0, 32);
  return `<hs.${hash}@${domain || 'hotstandby.invalid'}>`;
}
