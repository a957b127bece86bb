// `vrrp-auditor rebuild`: recompute every projection from `events`, replaying in `pos` order (the order
// incremental processing applied them), in one transaction — readers see the old projections until
// the new ones commit. Alert publication flags survive for the incidents that are found again (their
// ids are deterministic), so a rebuild does not re-notify anyone.
import { asc, gt, sql } from 'drizzle-orm';
import type { Db } from '../db/database.js';
import { alerts, events, mastership, nodeLiveness } from '../schema/index.js';
import type { DetectConfig } from '../detect/config.js';
import { emptyFleet } from '../detect/fleet.js';
import type { Micros } from '../time/micros.js';
import { Projector } from './projector.js';
import type { Change } from './projector.js';
import { writeChanges, writeLiveness } from './store.js';

export interface RebuildProgress {
  done: number;
  total: number;
  elapsedMs: number;
}

export interface RebuildOptions {
  cfg: DetectConfig;
  /** Evaluate time-based detectors at this moment after the last event (serve does so continuously). */
  now?: Micros;
  pageSize?: number;
  onProgress?: (p: RebuildProgress) => void;
}

export async function rebuildProjections(db: Db, opts: RebuildOptions): Promise<{ events: number; alerts: number }> {
  const pageSize = opts.pageSize ?? 5000;
  const started = Date.now();
  return db.transaction(async (tx) => {
    const [{ total } = { total: 0 }] = await tx.select({ total: sql<number>`count(*)::int` }).from(events);
    const flags = await tx.select({ id: alerts.id, r: alerts.raisedPublished, s: alerts.resolvedPublished }).from(alerts);
    await tx.delete(mastership);
    await tx.delete(nodeLiveness);
    await tx.delete(alerts);
    const projector = new Projector(emptyFleet(), opts.cfg);
    let done = 0;
    let after = 0;
    for (;;) {
      const page = await tx
        .select({ pos: events.pos, payload: events.payload })
        .from(events)
        .where(gt(events.pos, after))
        .orderBy(asc(events.pos))
        .limit(pageSize);
      if (page.length === 0) break;
      // A page's changes are written together (set-based), in the order the projector made them.
      const changes: Change[] = [];
      for (const row of page) for (const c of projector.apply(row.payload)) changes.push(c);
      await writeChanges(tx, changes);
      await writeLiveness(tx, projector);
      after = page[page.length - 1]!.pos;
      done += page.length;
      opts.onProgress?.({ done, total, elapsedMs: Date.now() - started });
    }
    if (opts.now !== undefined) {
      await writeChanges(tx, projector.tick(opts.now));
      await writeLiveness(tx, projector);
    }
    for (const f of flags) {
      if (!f.r && !f.s) continue;
      await tx
        .update(alerts)
        .set({ raisedPublished: sql`${f.r}`, resolvedPublished: sql`${f.s} and ${alerts.state} = 'resolved'` })
        .where(sql`${alerts.id} = ${f.id}`);
    }
    const [{ n } = { n: 0 }] = await tx.select({ n: sql<number>`count(*)::int` }).from(alerts);
    return { events: done, alerts: n };
  });
}
