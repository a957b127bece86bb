// Whether the auditor's database is reachable, as its own work finds out (batches, detector ticks):
// one log line when it goes away and one when it is back — not one per failed attempt — a retry
// pace for probes while it is away, and the state /healthz reports. DESIGN.md rule 2: an outage
// only delays ingest; the unacked messages wait in JetStream.
import { isDatabaseUnavailable, retryDelayMs, rootMessage } from '../db/unavailable.js';

export interface DatabaseState {
  databaseState: 'available' | 'unavailable';
  /** ISO time of the first failure of the current outage. */
  databaseDownSince: string | null;
  databaseError: string | null;
}

export class DatabaseHealth {
  private downSince: number | undefined;
  private error: string | undefined;
  private failures = 0;
  private lastFailure = 0;

  constructor(private readonly log: (line: string) => void) {}

  get available(): boolean {
    return this.downSince === undefined;
  }

  /** Reports a failure; answers whether it was the database being away (false: some other error). */
  failed(err: unknown, now = Date.now()): boolean {
    if (!isDatabaseUnavailable(err)) return false;
    this.failures++;
    this.lastFailure = now;
    this.error = rootMessage(err);
    if (this.downSince === undefined) {
      this.downSince = now;
      this.log(`auditor: database unavailable (${this.error}): ingest paused, retrying every ${retryDelayMs(1)}–${retryDelayMs(99)} ms; events wait in JetStream`);
    }
    return true;
  }

  /** Reports a successful round trip. */
  succeeded(now = Date.now()): void {
    if (this.downSince === undefined) return;
    this.log(`auditor: database available again after ${((now - this.downSince) / 1000).toFixed(1)} s (${this.failures} failed attempts): ingest resumed`);
    this.downSince = undefined;
    this.error = undefined;
    this.failures = 0;
  }

  /** While the database is away, whether it is time for another attempt (ticks probe at the retry pace). */
  mayTry(now = Date.now()): boolean {
    return this.available || now >= this.lastFailure + retryDelayMs(this.failures);
  }

  state(): DatabaseState {
    return {
      databaseState: this.available ? 'available' : 'unavailable',
      databaseDownSince: this.downSince === undefined ? null : new Date(this.downSince).toISOString(),
      databaseError: this.error ?? null,
    };
  }
}
