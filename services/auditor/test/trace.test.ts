// Trace context through the auditor: ingest spans continue a node's transition span (NATS header), a
// split-brain alert's detect span is a child of the newest master's transition and LINKS to both, and
// the alert message carries its traceparent on to the notifier. History shows each takeover's latency.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { trace } from '@opentelemetry/api';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { parseAlert } from '@hotstandby/events';
import type { HsEvent } from '@hotstandby/events';
import { parseTraceparent } from '@hotstandby/telemetry';
import { DEFAULT_DETECT_CONFIG } from '../src/detect/config.js';
import { emptyFleet } from '../src/detect/fleet.js';
import { ingestBatch } from '../src/ingest/batch.js';
import { Projector } from '../src/project/projector.js';
import { writeChanges } from '../src/project/store.js';
import { publishPendingAlerts } from '../src/alerts/publish.js';
import { history } from '../src/query/history.js';
import { startIngestSpans } from '../src/telemetry/trace.js';
import { FakeNode, T0, message } from './support/events.js';
import type { AuditorTestDb } from './support/db.js';
import { auditorTestDb } from './support/db.js';

const exporter = new InMemorySpanExporter();
trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }));

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const TP1 = `00-${TRACE}-00f067aa0ba902b7-01`; // node1's startup transition span
const TP2 = `00-${TRACE.replace('4b', '5c')}-b7ad6b7169203331-01`; // node2's failover span

describe('auditor trace context', () => {
  let t: AuditorTestDb;
  before(async () => {
    t = await auditorTestDb();
  });
  after(async () => t.close());

  test('split brain: detect span child of the newest master, linked to both; the alert carries it; history shows latency', async () => {
    const db = t.database.db;
    const a = new FakeNode('node1');
    const b = new FakeNode('node2');
    const hb = (n: FakeNode, s: number) => n.heartbeat(s, [{ state: 'MASTER', installedVips: ['10.10.10.129'] }], 1000);
    const evs: HsEvent[] = [
      { ...a.transition(0, 'INIT', 'MASTER', { reason: 'startup' }), traceparent: TP1 },
      { ...b.transition(0.01, 'INIT', 'BACKUP', { reason: 'startup' }) },
      { ...b.transition(5, 'BACKUP', 'MASTER', { reason: 'master-no-response' }), failoverLatencyUs: 3_613_422, traceparent: TP2 },
      hb(a, 6), hb(b, 6), hb(a, 7), hb(b, 7), hb(a, 8), hb(b, 8),
    ];
    const p = new Projector(emptyFleet(), DEFAULT_DETECT_CONFIG);
    await ingestBatch(db, p, evs.map((e, i) => message(e, i + 1)));
    await db.transaction((tx) => writeChanges(tx, p.tick(T0 + 20_000_000)));

    const published: { subject: string; data: string; headers: string | undefined }[] = [];
    const js = {
      publish: (subject: string, data: string, o: { headers?: { get(k: string): string } }) => {
        published.push({ subject, data, headers: o.headers?.get('traceparent') });
        return Promise.resolve({ duplicate: false, seq: published.length, stream: 'HS_ALERTS' });
      },
    };
    assert.ok((await publishPendingAlerts(db, js as never)) >= 1);
    const span = exporter.getFinishedSpans().find((s) => s.name === 'auditor.detect' && s.attributes['hotstandby.alert.kind'] === 'split-brain');
    assert.ok(span, 'an auditor.detect span');
    assert.equal(span.parentSpanContext?.spanId, 'b7ad6b7169203331', 'child of the newest master (node2) transition');
    assert.equal(span.spanContext().traceId, parseTraceparent(TP2)!.traceId);
    assert.deepEqual(span.links.map((l) => l.context.spanId).sort(), ['00f067aa0ba902b7', 'b7ad6b7169203331']);
    assert.equal(span.attributes['hotstandby.alert.kind'], 'split-brain');
    const sb = published.find((m) => m.subject.startsWith('hs.alert.split-brain.'))!;
    const alert = parseAlert(JSON.parse(sb.data));
    assert.ok(alert.ok);
    assert.equal(parseTraceparent(alert.value.traceparent)?.spanId, span.spanContext().spanId);
    assert.equal(sb.headers, alert.value.traceparent);

    const h = await history(db, { vrid: 51, from: T0 - 1, to: T0 + 60_000_000 });
    assert.deepEqual(h.map((i) => [i.node, i.startReason, i.failoverLatencyUs]), [
      ['node1', 'startup', null],
      ['node2', 'master-no-response', 3_613_422],
    ]);
  });

  test('ingest spans: one per message with a traceparent header, children of it', () => {
    exporter.reset();
    const hdr = (tp: string | undefined) => ({ get: (k: string) => (k === 'traceparent' ? tp : undefined) });
    const spans = startIngestSpans([
      { subject: 'hs.evt.node2.transition', headers: hdr(TP2) },
      { subject: 'hs.evt.node2.heartbeat', headers: undefined },
      { subject: 'hs.evt.node3.transition', headers: hdr('garbage') },
    ]);
    spans.end();
    const got = exporter.getFinishedSpans();
    assert.deepEqual(got.map((s) => [s.name, s.parentSpanContext?.spanId, s.attributes['messaging.destination.name']]), [['auditor.ingest', 'b7ad6b7169203331', 'hs.evt.node2.transition']]);
  });
});
