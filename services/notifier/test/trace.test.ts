// The notifier continues the auditor's alert span: record from the NATS header (or the alert's own
// traceparent), delivery as a child of the first grouped alert, linked to every grouped alert.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { trace } from '@opentelemetry/api';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { startDeliverSpan, startRecordSpan } from '../src/telemetry/trace.js';

const exporter = new InMemorySpanExporter();
trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }));
const TP_A = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
const TP_B = '00-5cf92f3577b34da6a3ce929d0e0e4736-b7ad6b7169203331-01';

test('record: child of the header, else of the alert; delivery: one span per alert trace, linked to the others', () => {
  const alert = { traceparent: TP_B } as never;
  startRecordSpan('hs.alert.split-brain.x', { get: (k) => (k === 'traceparent' ? TP_A : null) }, alert).end('recorded');
  startRecordSpan('hs.alert.split-brain.x', undefined, alert).end('recorded');
  startDeliverSpan('slack', 'slack:m1', [{ traceparent: TP_A }, {}, { traceparent: TP_B }]).end('sent');
  startDeliverSpan('email', 'email:m2', [{ kind: 'health' }]).end('dead', new Error('smtp refused'));
  const s = exporter.getFinishedSpans();
  assert.deepEqual(
    s.map((x) => [x.name, x.parentSpanContext?.spanId, x.attributes['hotstandby.outcome']]),
    [
      ['notifier.record', '00f067aa0ba902b7', 'recorded'],
      ['notifier.record', 'b7ad6b7169203331', 'recorded'],
      ['notifier.deliver', '00f067aa0ba902b7', 'sent'],
      ['notifier.deliver', 'b7ad6b7169203331', 'sent'],
      ['notifier.deliver', undefined, 'dead'],
    ],
  );
  // A grouped message: one delivery span in each alert's trace, each linked to the other.
  assert.deepEqual(s[2]!.links.map((l) => l.context.spanId), ['b7ad6b7169203331']);
  assert.deepEqual(s[3]!.links.map((l) => l.context.spanId), ['00f067aa0ba902b7']);
  assert.equal(s[2]!.spanContext().traceId, '4bf92f3577b34da6a3ce929d0e0e4736');
  assert.equal(s[3]!.spanContext().traceId, '5cf92f3577b34da6a3ce929d0e0e4736');
  assert.equal(s[4]!.status.message, 'smtp refused');
});
