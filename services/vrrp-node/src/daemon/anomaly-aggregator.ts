// Anomalies aggregated per (instance, class, source), so that a flood of bad packets becomes a few
// events with exact counts rather than a storm (keepalived rate-limits its log lines the same way, but
// loses the counts). The first packet of a key is reported at the next flush; after that a key reports
// at most once per `periodMs`, with the number of packets since its previous report. Counts are never
// dropped: a key with a pending count is always reported eventually (at the latest on close()).
import type { AnomalyClass } from '@hotstandby/protocol';

export interface AnomalyReport {
  readonly instance: string | null;
  readonly vrid: number | null;
  readonly cls: AnomalyClass;
  readonly source: string;
  readonly count: number;
  /** Wall clock, µs since the epoch. */
  readonly firstSeenUs: number;
  readonly lastSeenUs: number;
  /** One offending packet, hex. */
  readonly sampleHex: string;
  readonly detail: string;
}

interface Pending {
  instance: string | null;
  vrid: number | null;
  cls: AnomalyClass;
  source: string;
  count: number;
  firstSeenUs: number;
  lastSeenUs: number;
  sampleHex: string;
  detail: string;
  lastReportUs: number;
}

const MAX_SAMPLE_BYTES = 1024;

export class AnomalyAggregator {
  readonly #pending = new Map<string, Pending>();
  readonly #periodUs: number;
  readonly #report: (r: AnomalyReport) => void;
  /** Keys reported recently with nothing pending: remember when, to keep the rate limit. */
  readonly #lastReport = new Map<string, number>();

  constructor(periodMs: number, report: (r: AnomalyReport) => void) {
    this.#periodUs = periodMs * 1000;
    this.#report = report;
  }

  /** Hot path: a map lookup and a few additions. `sample` is only hex-encoded for a new key. */
  record(instance: string | null, vrid: number | null, cls: AnomalyClass, source: string, sample: Uint8Array, detail: string, nowWallUs: number): void {
    const key = `${instance ?? ''}\u0000${cls}\u0000${source}`;
    const p = this.#pending.get(key);
    if (p) {
      p.count++;
      p.lastSeenUs = nowWallUs;
      return;
    }
    this.#pending.set(key, {
      instance,
      vrid,
      cls,
      source,
      count: 1,
      firstSeenUs: nowWallUs,
      lastSeenUs: nowWallUs,
      sampleHex: toHex(sample.subarray(0, MAX_SAMPLE_BYTES)),
      detail,
      lastReportUs: this.#lastReport.get(key) ?? -Infinity,
    });
  }

  /** Called on a timer (e.g. every 100 ms): reports keys whose rate limit allows. */
  flush(nowWallUs: number, force = false): void {
    for (const [key, p] of this.#pending) {
      if (!force && nowWallUs - p.lastReportUs < this.#periodUs) continue;
      this.#pending.delete(key);
      this.#lastReport.set(key, nowWallUs);
      this.#report({
        instance: p.instance,
        vrid: p.vrid,
        cls: p.cls,
        source: p.source,
        count: p.count,
        firstSeenUs: p.firstSeenUs,
        lastSeenUs: p.lastSeenUs,
        sampleHex: p.sampleHex,
        detail: p.detail,
      });
    }
    if (this.#lastReport.size > 10_000) {
      for (const [key, at] of this.#lastReport) if (nowWallUs - at >= this.#periodUs) this.#lastReport.delete(key);
    }
  }

  get pendingCount(): number {
    let n = 0;
    for (const p of this.#pending.values()) n += p.count;
    return n;
  }
}

function toHex(b: Uint8Array): string {
  let s = '';
  for (const x of b) s += x.toString(16).padStart(2, '0');
  return s;
}
