// Is this error "the database is not there right now" (retry the same work later) rather than "this work
// is wrong" (a bug or bad data: retrying changes nothing)? Decided from the error and its `cause` chain
// (drizzle and the ingest step wrap the driver's error).
//
// - postgres.js connection errors: CONNECTION_CLOSED / _ENDED / _DESTROYED, CONNECT_TIMEOUT.
// - socket errors: ECONNREFUSED (server down), ECONNRESET / EPIPE (killed mid-query), ETIMEDOUT,
//   EHOSTUNREACH, ENETUNREACH, ENOTFOUND (name lookup while the network is away), EAI_AGAIN.
// - SQLSTATE class 08 (connection exception) and 57P01 admin_shutdown (`pg_ctl stop -m fast`),
//   57P02 crash_shutdown (another backend crashed, or `-m immediate`), 57P03 cannot_connect_now
//   (starting up / in recovery), 53300 too_many_connections (PostgreSQL errcodes appendix A).
const CONNECTION_CODES = new Set([
  'CONNECTION_CLOSED',
  'CONNECTION_ENDED',
  'CONNECTION_DESTROYED',
  'CONNECT_TIMEOUT',
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  '57P01',
  '57P02',
  '57P03',
  '53300',
]);

export function isDatabaseUnavailable(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e !== null && typeof e === 'object' && depth < 10; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && (CONNECTION_CODES.has(code) || code.startsWith('08'))) return true;
  }
  return false;
}

/** The innermost message of the chain: the driver's own words ("connect ECONNREFUSED 10.0.0.5:5432"). */
export function rootMessage(err: unknown): string {
  let e: unknown = err;
  for (let depth = 0; depth < 10; depth++) {
    const cause = (e as { cause?: unknown } | null)?.cause;
    if (cause === undefined || cause === null) break;
    e = cause;
  }
  return e instanceof Error ? e.message : String(e);
}

/** Retry pace while the database is away: 100 ms doubling to 2 s (a restart takes about a second). */
export function retryDelayMs(failures: number): number {
  return Math.min(100 * 2 ** Math.max(failures - 1, 0), 2000);
}
