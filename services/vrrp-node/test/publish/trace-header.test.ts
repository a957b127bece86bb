import { test } from 'node:test';
import assert from 'node:assert/strict';
import { traceHeaders } from '../../src/publish/trace-header.js';

const TP = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
const bytes = (o: unknown) => new TextEncoder().encode(JSON.stringify(o));

test('a transition with a traceparent is published with the same traceparent header', () => {
  const h = traceHeaders({ kind: 'transition', payload: bytes({ kind: 'transition', traceparent: TP }) }).headers;
  assert.equal(h?.get('traceparent'), TP);
});

test('no header without a valid traceparent, and none looked for on other kinds', () => {
  assert.deepEqual(traceHeaders({ kind: 'transition', payload: bytes({ kind: 'transition' }) }), {});
  assert.deepEqual(traceHeaders({ kind: 'transition', payload: bytes({ traceparent: 'nope' }) }), {});
  assert.deepEqual(traceHeaders({ kind: 'heartbeat', payload: bytes({ traceparent: TP }) }), {});
});
