// POST the Block Kit payload to an incoming webhook. Slack answers 200 "ok", 4xx with a reason
// (invalid_payload, no_service, …: permanent), 429 with Retry-After (rate limited), 5xx (retry).
import type { SlackPayload } from '../render/slack.js';
import { parseRetryAfter } from '../deliver/backoff.js';
import type { SendOutcome } from './outcome.js';

export interface SlackSenderOptions {
  readonly webhookUrl: string;
  readonly timeoutMs?: number;
  readonly now?: () => number;
}

/** Error codes that mean the request never reached the server (so it cannot have been posted). */
const NOT_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT']);

function causeCode(err: unknown): string | undefined {
  const cause = (err as { cause?: { code?: unknown } }).cause;
  return typeof cause?.code === 'string' ? cause.code : undefined;
}

export async function sendSlack(payload: SlackPayload, opts: SlackSenderOptions): Promise<SendOutcome> {
  let res: Response;
  try {
    res = await fetch(opts.webhookUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body: JSON.stringify(payload),
      signal: AbortSignal.timeout(opts.timeoutMs ?? 10_000),
    });
  } catch (err) {
    const code = causeCode(err);
    const reason = `webhook unreachable: ${code ?? (err as Error).name}${code ? '' : ` ${(err as Error).message}`}`;
    return { ok: false, retryable: true, ambiguous: !(code && NOT_SENT.has(code)), reason };
  }
  const body = (await res.text().catch(() => '')).slice(0, 200);
  if (res.ok) return { ok: true };
  const reason = `webhook answered ${res.status}${body ? ` ${body}` : ''}`;
  if (res.status === 429) {
    const retryAfterMs = parseRetryAfter(res.headers.get('retry-after'), (opts.now ?? Date.now)());
    return { ok: false, retryable: true, ambiguous: false, reason, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) };
  }
  return { ok: false, retryable: res.status >= 500 || res.status === 408, ambiguous: false, reason };
}
