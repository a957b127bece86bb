// Turns the set of events the outbox had to drop into the exact counts and per-boot seq ranges of a
// `gap` event. When a gap event is itself dropped, what it reported is carried into the next one, so the
// report of a loss is never lost.
import type { EventKind, GapEvent, LostRange } from '@hotstandby/events';

export type LostByKind = GapEvent['lostByKind'];

export class LossLedger {
  readonly #seqs = new Map<string, number[]>();
  readonly #carried: LostRange[] = [];
  #byKind: LostByKind = { transition: 0, anomaly: 0, heartbeat: 0, gap: 0, unknown: 0 };
  #lost = 0;

  get lost(): number {
    return this.#lost;
  }

  add(bootId: string, seq: number, kind: EventKind): void {
    let list = this.#seqs.get(bootId);
    if (!list) this.#seqs.set(bootId, (list = []));
    list.push(seq);
    this.#byKind[kind]++;
    this.#lost++;
  }

  /** A dropped gap event: itself counts as one lost `gap`, and its own report is carried over. */
  carry(gap: Pick<GapEvent, 'lost' | 'lostByKind' | 'ranges'>): void {
    this.#carried.push(...gap.ranges);
    for (const k of Object.keys(this.#byKind) as (keyof LostByKind)[]) this.#byKind[k] += gap.lostByKind[k];
    this.#lost += gap.lost;
  }

  /** Counts nobody can attribute to a seq (a record too damaged to parse). */
  addUnknown(n: number): void {
    this.#byKind.unknown += n;
    this.#lost += n;
  }

  summary(): { lost: number; lostByKind: LostByKind; ranges: LostRange[] } {
    const ranges: LostRange[] = [...this.#carried];
    for (const [bootId, seqs] of this.#seqs) {
      const sorted = [...seqs].sort((a, b) => a - b);
      let from = sorted[0]!;
      let prev = from;
      for (const s of sorted.slice(1)) {
        if (s === prev + 1) {
          prev = s;
          continue;
        }
        ranges.push({ bootId, fromSeq: from, toSeq: prev });
        from = prev = s;
      }
      ranges.push({ bootId, fromSeq: from, toSeq: prev });
    }
    return { lost: this.#lost, lostByKind: { ...this.#byKind }, ranges };
  }
}

/** True when (bootId, seq) lies in one of the ranges. */
export function inRanges(ranges: readonly LostRange[], bootId: string, seq: number): boolean {
  return ranges.some((r) => r.bootId === bootId && seq >= r.fromSeq && seq <= r.toSeq);
}
