import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { trace } from '@opentelemetry/api';
import { contextFromTraceparent, formatTraceparent, linksFromTraceparents, parseTraceparent, traceparentFromHeaders } from '../src/index.js';
import { hrTimeFromWallUs, monoToWallUs } from '../src/index.js';

const TP = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';

describe('traceparent (W3C Trace Context §3.2)', () => {
  test('round-trips a sampled span context', () => {
    const sc = parseTraceparent(TP);
    assert.deepEqual(sc, { traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', traceFlags: 1, isRemote: true });
    assert.equal(formatTraceparent(sc), TP);
  });

  test('malformed or all-zero values start a new trace instead of throwing', () => {
    for (const bad of ['', 'garbage', '01-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01', `00-${'0'.repeat(32)}-b7ad6b7169203331-01`, `00-0af7651916cd43dd8448eb211c80319c-${'0'.repeat(16)}-01`, TP.toUpperCase()]) {
      assert.equal(parseTraceparent(bad), undefined, bad);
      assert.equal(trace.getSpanContext(contextFromTraceparent(bad)), undefined);
    }
    assert.equal(parseTraceparent(undefined), undefined);
  });

  test('a context made from it has the remote span as parent', () => {
    assert.equal(trace.getSpanContext(contextFromTraceparent(TP))?.spanId, 'b7ad6b7169203331');
  });

  test('a no-op span (SDK not started) has no traceparent', () => {
    assert.equal(formatTraceparent(trace.getTracer('t').startSpan('x')), undefined);
  });

  test('links: one per distinct valid traceparent', () => {
    const other = '00-0af7651916cd43dd8448eb211c80319c-00f067aa0ba902b7-01';
    const links = linksFromTraceparents([TP, undefined, 'bad', other, TP]);
    assert.deepEqual(links.map((l) => l.context.spanId), ['b7ad6b7169203331', '00f067aa0ba902b7']);
  });

  test('headers: NATS MsgHdrs-like readers', () => {
    const h = new Map([['traceparent', TP]]);
    assert.equal(traceparentFromHeaders(h), TP);
    assert.equal(traceparentFromHeaders(new Map()), undefined);
    assert.equal(traceparentFromHeaders(undefined), undefined);
  });
});

describe('span times', () => {
  test('µs precision survives the HrTime conversion', () => {
    assert.deepEqual(hrTimeFromWallUs(1_700_000_000_123_456.5), [1_700_000_000, 123_456_500]);
  });
  test('a monotonic instant moves onto the wall clock by the current offset', () => {
    assert.equal(monoToWallUs(1_000, 4_000, 1_700_000_000_000_000), 1_699_999_999_997_000);
  });
});
