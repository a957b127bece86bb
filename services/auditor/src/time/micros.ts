// Time inside the auditor is a number of microseconds since the Unix epoch (2^53 µs is year 2255, so a
// double holds it exactly). Events carry µs (libs/events wall-clock.ts); Postgres timestamptz is µs;
// JavaScript Date is only ms, so no Date sits between them.
import { formatWallClockMicros, parseWallClockMicros } from '@hotstandby/events';

export type Micros = number;

export const US_PER_MS = 1000;
export const US_PER_S = 1_000_000;

export function eventMicros(at: string): Micros {
  const v = parseWallClockMicros(at);
  if (v === undefined) throw new RangeError(`eventMicros: not a wall-clock string ${at}`);
  return Number(v);
}

export function toIso(us: Micros): string {
  return formatWallClockMicros(BigInt(Math.round(us)));
}

const PG_TS = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})(?:\.(\d{1,6}))?(Z|[+-]\d{2}(?::?\d{2})?)?$/;

/**
 * A timestamp as text, from Postgres (`2026-11-20 03:12:00.123456+00`) or from a person/URL
 * (`2026-11-20T03:12:00.123Z`, `2026-11-20 03:12`, no zone = UTC). Undefined when it is not one.
 */
export function parseTimestamp(text: string): Micros | undefined {
  const t = text.trim();
  const m = PG_TS.exec(t.length === 16 ? `${t}:00` : t);
  if (!m) return undefined;
  let zone = m[4] ?? 'Z';
  if (/^[+-]\d{2}$/.test(zone)) zone += ':00';
  else if (/^[+-]\d{4}$/.test(zone)) zone = `${zone.slice(0, 3)}:${zone.slice(3)}`;
  const ms = Date.parse(`${m[1]}T${m[2]}${zone}`);
  if (Number.isNaN(ms)) return undefined;
  const frac = (m[3] ?? '').padEnd(6, '0');
  return ms * US_PER_MS + Number(frac);
}

const PG_UTC = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2})(?:\.(\d{1,6}))?\+00$/;

/**
 * A timestamptz as Postgres prints it → toIso's text. In a UTC session (`2026-11-20 03:12:00.1234+00`)
 * that is a rewrite of the text — no regex-parse + Date.parse + BigInt format round trip, which was most of
 * intervalOut's cost per "master at T" answer (cpu-prof of the API, bench/query.bench.ts); any other
 * zone or form goes the long way.
 */
export function pgTimestampToIso(text: string): string | undefined {
  const m = PG_UTC.exec(text);
  if (m) return `${m[1]}T${m[2]}.${(m[3] ?? '').padEnd(6, '0')}Z`;
  const us = parseTimestamp(text);
  return us === undefined ? undefined : toIso(us);
}

/** `24h`, `90m`, `30s`, `7d`, `500ms` → µs; undefined otherwise. */
export function parseDuration(text: string): Micros | undefined {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)$/.exec(text.trim());
  if (!m) return undefined;
  const unit = { ms: 1e3, s: 1e6, m: 60e6, h: 3600e6, d: 86400e6 }[m[2] as 'ms' | 's' | 'm' | 'h' | 'd'];
  return Math.round(Number(m[1]) * unit);
}
