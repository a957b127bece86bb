// Retry timing: exponential backoff with "full jitter" (delay uniform in [0, min(cap, base·2^n)]), so
// notifiers that failed together do not retry together; a server's Retry-After (Slack answers 429 with
// one) replaces the computed delay — it says exactly when asking again is welcome.

export interface RetryPolicy {
  /** First backoff ceiling, ms. */
  readonly baseMs: number;
  /** Largest backoff ceiling, ms. */
  readonly capMs: number;
  /** Attempts in all (the first try included) before a message is dead-lettered. */
  readonly maxAttempts: number;
  /** Or: time since the first attempt after which no new attempt starts, ms. */
  readonly maxElapsedMs: number;
}

/** Rides out a Slack or SMTP outage of several minutes before giving up on a message. */
export const DEFAULT_RETRY: RetryPolicy = { baseMs: 1_000, capMs: 60_000, maxAttempts: 20, maxElapsedMs: 15 * 60_000 };

/**
 * Delay before attempt `failures + 1` after `failures` failed attempts (failures ≥ 1).
 * `random` is in [0, 1) (injected: tests pin it).
 */
export function backoffDelayMs(policy: RetryPolicy, failures: number, random: number, retryAfterMs?: number): number {
  if (retryAfterMs !== undefined && retryAfterMs >= 0) return retryAfterMs;
  const ceiling = Math.min(policy.capMs, policy.baseMs * 2 ** Math.max(0, failures - 1));
  return Math.floor(random * ceiling);
}

/** Whether another attempt may start `delayMs` from now. */
export function withinBudget(policy: RetryPolicy, failures: number, elapsedMs: number, delayMs: number): boolean {
  return failures < policy.maxAttempts && elapsedMs + delayMs <= policy.maxElapsedMs;
}

/** `Retry-After: <seconds>` or an HTTP date (RFC 9110 §10.2.3) → ms from `nowMs`; undefined if absent or bad. */
export function parseRetryAfter(value: string | null | undefined, nowMs: number): number | undefined {
  if (!value) return undefined;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  const t = Date.parse(v);
  return Number.isNaN(t) ? undefined : Math.max(0, t - nowMs);
}
