// Query-string parsing for the HTTP API: bad input is a value with a message (→ 400), never a throw.
import { EVENT_KINDS } from '@hotstandby/events';
import { decodeCursor } from '../query/events.js';
import type { EventFilter } from '../query/events.js';
import type { AlertFilter } from '../query/alerts.js';
import type { Micros } from '../time/micros.js';
import { parseTimestamp } from '../time/micros.js';

export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

function bad(message: string): { ok: false; message: string } {
  return { ok: false, message };
}

function vridOf(q: URLSearchParams, required: boolean): Parsed<number | undefined> {
  const v = q.get('vrid');
  if (v === null) return required ? bad('vrid is required (1-255)') : { ok: true, value: undefined };
  if (!/^\d{1,3}$/.test(v) || Number(v) < 1 || Number(v) > 255) return bad(`vrid must be an integer 1-255, got ${JSON.stringify(v)}`);
  return { ok: true, value: Number(v) };
}

function timeOf(q: URLSearchParams, name: string, required: boolean): Parsed<Micros | undefined> {
  const v = q.get(name);
  if (v === null) return required ? bad(`${name} is required (ISO-8601 time)`) : { ok: true, value: undefined };
  const t = parseTimestamp(v);
  return t === undefined ? bad(`${name} is not an ISO-8601 time: ${JSON.stringify(v)}`) : { ok: true, value: t };
}

function domainOf(q: URLSearchParams): string | undefined {
  return q.get('domain') ?? undefined;
}

export function masterParams(q: URLSearchParams): Parsed<{ vrid: number; at: Micros; domain: string | undefined }> {
  const vrid = vridOf(q, true);
  if (!vrid.ok) return vrid;
  const at = timeOf(q, 'at', true);
  if (!at.ok) return at;
  return { ok: true, value: { vrid: vrid.value!, at: at.value!, domain: domainOf(q) } };
}

export function historyParams(q: URLSearchParams, now: Micros): Parsed<{ vrid: number; from: Micros; to: Micros; domain: string | undefined }> {
  const vrid = vridOf(q, true);
  if (!vrid.ok) return vrid;
  const from = timeOf(q, 'from', false);
  if (!from.ok) return from;
  const to = timeOf(q, 'to', false);
  if (!to.ok) return to;
  const t = to.value ?? now;
  const f = from.value ?? t - 24 * 3600e6;
  if (f >= t) return bad('from must be before to');
  return { ok: true, value: { vrid: vrid.value!, from: f, to: t, domain: domainOf(q) } };
}

export function eventsParams(q: URLSearchParams): Parsed<EventFilter> {
  const vrid = vridOf(q, false);
  if (!vrid.ok) return vrid;
  const from = timeOf(q, 'from', false);
  if (!from.ok) return from;
  const to = timeOf(q, 'to', false);
  if (!to.ok) return to;
  const kind = q.get('kind') ?? undefined;
  if (kind !== undefined && !(EVENT_KINDS as readonly string[]).includes(kind)) return bad(`kind must be one of ${EVENT_KINDS.join(', ')}`);
  const limitText = q.get('limit') ?? '100';
  if (!/^\d{1,4}$/.test(limitText) || Number(limitText) < 1 || Number(limitText) > 1000) return bad('limit must be 1-1000');
  let cursor: EventFilter['cursor'];
  const c = q.get('cursor');
  if (c !== null) {
    const d = decodeCursor(c);
    if (!d.ok) return bad(d.reason);
    cursor = d.value;
  }
  return {
    ok: true,
    value: { node: q.get('node') ?? undefined, kind, vrid: vrid.value, domain: domainOf(q), from: from.value, to: to.value, limit: Number(limitText), cursor },
  };
}

export function alertsParams(q: URLSearchParams): Parsed<AlertFilter> {
  const s = q.get('state') ?? 'all';
  if (s !== 'open' && s !== 'resolved' && s !== 'all') return bad('state must be open, resolved or all');
  return { ok: true, value: s };
}
