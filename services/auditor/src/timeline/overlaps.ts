// Where two or more mastership bars of one VRID overlap: the windows the timeline page paints. Every
// overlap is returned; `beyondGrace` says whether it outlasted the detector's grace (detect/config.ts:
// a legitimate hand-over overlaps two MASTERs for a few ms, until the old one hears the new one's first
// advert, RFC 9568 §6.4.3), so the page can paint a hand-over differently from a split brain.
import type { DetectConfig } from '../detect/config.js';
import type { Micros } from '../time/micros.js';

export interface Bar {
  node: string;
  from: Micros;
  /** null: still MASTER. */
  to: Micros | null;
  intervalCs: number;
}

export interface Overlap {
  from: Micros;
  /** null: the overlap is still going on. */
  to: Micros | null;
  /** The nodes MASTER during the whole window, sorted. */
  nodes: string[];
  beyondGrace: boolean;
}

/**
 * Maximal windows during which the set of MASTERs is one fixed set of ≥2 nodes. Adjacent windows with
 * different sets (a third node joining) are separate windows. `now` closes open bars for the grace test.
 */
export function overlaps(bars: readonly Bar[], now: Micros, cfg: Pick<DetectConfig, 'splitBrainGraceIntervals' | 'skewToleranceUs'>): Overlap[] {
  // Sweep: +1 at each start, −1 at each end; ends sort before starts at the same instant ([from, to)).
  type Edge = { t: Micros; start: boolean; bar: Bar };
  const edges: Edge[] = [];
  for (const bar of bars) {
    if (bar.to !== null && bar.to <= bar.from) continue;
    edges.push({ t: bar.from, start: true, bar });
    if (bar.to !== null) edges.push({ t: bar.to, start: false, bar });
  }
  edges.sort((a, b) => a.t - b.t || Number(a.start) - Number(b.start));
  const active = new Set<Bar>();
  const out: Overlap[] = [];
  let open: { from: Micros; members: Bar[] } | undefined;
  const close = (t: Micros | null): void => {
    if (!open) return;
    const end = t ?? now;
    const intervalCs = Math.max(...open.members.map((b) => b.intervalCs));
    // The same grace as detect/split-brain.ts splitBrainGraceUs.
    const grace = intervalCs * 10_000 * cfg.splitBrainGraceIntervals + cfg.skewToleranceUs;
    out.push({ from: open.from, to: t, nodes: [...new Set(open.members.map((b) => b.node))].sort(), beyondGrace: end - open.from >= grace });
    open = undefined;
  };
  for (let i = 0; i < edges.length; ) {
    const t = edges[i]!.t;
    for (; i < edges.length && edges[i]!.t === t; i++) {
      const e = edges[i]!;
      if (e.start) active.add(e.bar);
      else active.delete(e.bar);
    }
    const members = [...active];
    const same = open !== undefined && open.members.length === members.length && members.every((b) => open!.members.includes(b));
    if (same) continue;
    close(t);
    if (members.length >= 2) open = { from: t, members };
  }
  close(null);
  return out;
}
