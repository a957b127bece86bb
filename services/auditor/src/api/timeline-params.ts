// Query-string parsing for GET /api/v1/timeline: bad input is a value with a message (→ 400).
import type { Micros } from '../time/micros.js';
import { parseDuration, toIso } from '../time/micros.js';
import type { Parsed } from './params.js';
import { historyParams } from './params.js';

/** A week: the page never asks for more, and it keeps one answer to a few thousand rows. */
export const TIMELINE_MAX_SPAN_US: Micros = 7 * 24 * 3600e6;

/**
 * vrid, from, to and domain as /api/v1/history takes them (default: the last 24 h), or `span` (`15m`,
 * `1h`, …) instead of `from`: the window that ends at `to`, by default now — what the page asks for
 * when it follows now, so that "now" is the auditor's clock, not the browser's.
 */
export function timelineParams(q: URLSearchParams, now: Micros): Parsed<{ vrid: number; from: Micros; to: Micros; domain: string | undefined; now: Micros }> {
  const spanText = q.get('span');
  let query = q;
  if (spanText !== null) {
    if (q.has('from')) return { ok: false, message: 'give either span or from, not both' };
    const span = parseDuration(spanText);
    if (span === undefined || span <= 0) return { ok: false, message: `span is not a duration like 15m or 1h: ${JSON.stringify(spanText)}` };
    const h = historyParams(q, now);
    if (!h.ok) return h;
    query = new URLSearchParams(q);
    query.set('from', toIso(h.value.to - span));
  }
  const h = historyParams(query, now);
  if (!h.ok) return h;
  if (h.value.to - h.value.from > TIMELINE_MAX_SPAN_US) return { ok: false, message: 'from..to spans more than 7 days' };
  const domain = h.value.domain === '' ? undefined : h.value.domain;
  return { ok: true, value: { ...h.value, domain, now } };
}
