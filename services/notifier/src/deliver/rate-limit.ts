// Per-channel rate limit: a token bucket (burst, then a steady rate). Messages that must wait stay
// pending, where the next send groups them — so a storm becomes a few fuller messages, not a flood.
// Slack allows about one message per second per webhook; e-mail inboxes deserve far fewer.

export interface RateLimit {
  readonly burst: number;
  readonly perMinute: number;
}

export interface Bucket {
  readonly tokens: number;
  readonly atMs: number;
}

export function fullBucket(limit: RateLimit, nowMs: number): Bucket {
  return { tokens: limit.burst, atMs: nowMs };
}

function refill(limit: RateLimit, b: Bucket, nowMs: number): number {
  const elapsed = Math.max(0, nowMs - b.atMs);
  return Math.min(limit.burst, b.tokens + (elapsed * limit.perMinute) / 60_000);
}

/** Takes one token, or says how long until one is there. */
export function takeToken(limit: RateLimit, b: Bucket, nowMs: number): { ok: true; bucket: Bucket } | { ok: false; waitMs: number } {
  const tokens = refill(limit, b, nowMs);
  if (tokens >= 1) return { ok: true, bucket: { tokens: tokens - 1, atMs: nowMs } };
  if (limit.perMinute <= 0) throw new Error('rate limit perMinute must be positive');
  return { ok: false, waitMs: Math.ceil(((1 - tokens) * 60_000) / limit.perMinute) };
}
