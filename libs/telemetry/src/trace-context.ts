// W3C Trace Context (https://www.w3.org/TR/trace-context/ §3.2) between processes: the `traceparent`
// string that events and alerts carry (libs/events schemas) and that NATS messages carry as a header.
// Done by hand with @opentelemetry/api rather than through the global propagator, so that it works
// the same whether or not an entry point registered one; an invalid or absent value is `undefined`
// (a bad header from the bus is expected input: the span simply starts a new trace).
import { ROOT_CONTEXT, TraceFlags, isSpanContextValid, trace } from '@opentelemetry/api';
import type { Context, Link, Span, SpanContext } from '@opentelemetry/api';

/** The NATS header (and event field) name. */
export const TRACEPARENT_HEADER = 'traceparent';

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

/** `00-<trace id>-<span id>-<flags>` for a recording span, or undefined (tracing off: no-op span). */
export function formatTraceparent(sc: SpanContext | Span | undefined): string | undefined {
  if (sc === undefined) return undefined;
  const c = 'spanContext' in sc ? sc.spanContext() : sc;
  if (!isSpanContextValid(c)) return undefined;
  return `00-${c.traceId}-${c.spanId}-${(c.traceFlags & 0xff).toString(16).padStart(2, '0')}`;
}

/** The remote span context a traceparent names, or undefined when absent or malformed. */
export function parseTraceparent(value: string | null | undefined): SpanContext | undefined {
  if (value === null || value === undefined) return undefined;
  const m = TRACEPARENT.exec(value.trim());
  if (!m) return undefined;
  const sc: SpanContext = { traceId: m[1]!, spanId: m[2]!, traceFlags: parseInt(m[3]!, 16) & TraceFlags.SAMPLED, isRemote: true };
  return isSpanContextValid(sc) ? sc : undefined;
}

/** A context whose parent is the traceparent's span (or the root context: a new trace). */
export function contextFromTraceparent(value: string | null | undefined, base: Context = ROOT_CONTEXT): Context {
  const sc = parseTraceparent(value);
  return sc ? trace.setSpanContext(base, sc) : base;
}

/** Links to every valid traceparent given (a split-brain alert links to both masters' transitions). */
export function linksFromTraceparents(values: Iterable<string | null | undefined>): Link[] {
  const out: Link[] = [];
  const seen = new Set<string>();
  for (const v of values) {
    const sc = parseTraceparent(v);
    if (!sc || seen.has(sc.spanId)) continue;
    seen.add(sc.spanId);
    out.push({ context: sc });
  }
  return out;
}

/** Header lookup that works for NATS MsgHdrs and plain maps: anything with get(name). */
export interface HeaderReader {
  get(name: string): string | null | undefined;
  has?(name: string): boolean;
}

export function traceparentFromHeaders(headers: HeaderReader | undefined): string | undefined {
  if (!headers) return undefined;
  if (headers.has && !headers.has(TRACEPARENT_HEADER)) return undefined;
  const v = headers.get(TRACEPARENT_HEADER);
  return v === null || v === undefined || v === '' ? undefined : v;
}
