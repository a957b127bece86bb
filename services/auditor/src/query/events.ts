// The event log, filtered, in (at, id) order, with an opaque keyset cursor (stable under inserts).
import { and, asc, eq, gte, lt, or, sql } from 'drizzle-orm';
import type { Executor } from '../project/store.js';
import { events } from '../schema/index.js';
import type { Micros } from '../time/micros.js';
import { parseTimestamp, toIso } from '../time/micros.js';

export interface EventFilter {
  node?: string | undefined;
  kind?: string | undefined;
  vrid?: number | undefined;
  domain?: string | undefined;
  from?: Micros | undefined;
  to?: Micros | undefined;
  limit: number;
  cursor?: { at: Micros; id: string } | undefined;
}

export function encodeCursor(c: { at: Micros; id: string }): string {
  return Buffer.from(JSON.stringify([c.at, c.id])).toString('base64url');
}

export function decodeCursor(text: string): { ok: true; value: { at: Micros; id: string } } | { ok: false; reason: string } {
  try {
    const v: unknown = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
    if (Array.isArray(v) && v.length === 2 && Number.isSafeInteger(v[0]) && typeof v[1] === 'string') return { ok: true, value: { at: v[0] as number, id: v[1] } };
  } catch {
    // falls through to the answer below
  }
  return { ok: false, reason: 'cursor is not one this API returned' };
}

/** The statement behind listEvents (one row more than the page: its presence means there is a next page). */
export function eventsQuery(db: Executor, f: EventFilter) {
  return db
    .select({ at: events.at, id: events.id, payload: sql<string>`${events.payload}::text` })
    .from(events)
    .where(
      and(
        f.node === undefined ? undefined : eq(events.nodeId, f.node),
        f.kind === undefined ? undefined : eq(events.kind, f.kind),
        f.vrid === undefined ? undefined : eq(events.vrid, f.vrid),
        f.domain === undefined ? undefined : eq(events.domain, f.domain),
        f.from === undefined ? undefined : gte(events.at, toIso(f.from)),
        f.to === undefined ? undefined : lt(events.at, toIso(f.to)),
        // After the cursor in (at, id) order, written as `at >= c and (at > c or id > c.id)` so that the
        // `at >= c` bound is an index condition of every (…, at) index (the plain OR form is only a filter:
        // a cursor page then walked the filtered rows from the start of the range).
        f.cursor === undefined
          ? undefined
          : and(sql`${events.at} >= ${toIso(f.cursor.at)}::timestamptz`, or(sql`${events.at} > ${toIso(f.cursor.at)}::timestamptz`, sql`${events.id} > ${f.cursor.id}`)),
      ),
    )
    .orderBy(asc(events.at), asc(events.id))
    .limit(f.limit + 1);
}

/**
 * A page of the event log as the API's JSON text, `{"events": [HsEvent…], "next": cursor | null}`. The
 * payloads are spliced in as Postgres prints the jsonb: decoding ~1 KiB of JSON per event into objects
 * only to encode them again was most of the API's CPU for a page of 100 (cpu-prof, bench/query.bench.ts).
 */
export async function eventsPageJson(db: Executor, f: EventFilter): Promise<string> {
  const rows = await eventsQuery(db, f);
  const page = rows.slice(0, f.limit);
  const last = page[page.length - 1];
  const next = rows.length > f.limit && last ? encodeCursor({ at: parseTimestamp(last.at)!, id: last.id }) : null;
  return `{"events":[${page.map((r) => r.payload).join(',')}],"next":${JSON.stringify(next)}}`;
}
