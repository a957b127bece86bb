// The vrrp.failover span of a real InstanceRunner (the tutorial's backup node) driven with a virtual
// clock: its start is the old master's last advert, its events are the takeover's steps in order.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { hrTimeToMicroseconds } from '@opentelemetry/core';
import { masterDownIntervalUs, skewTimeUs } from '@hotstandby/protocol';
import {
  ATTR_VRRP_MEASURED_LATENCY_MS,
  ATTR_VRRP_NEW_MASTER,
  ATTR_VRRP_OLD_MASTER,
  ATTR_VRRP_OLD_MASTER_PRIORITY,
  ATTR_VRRP_REASON,
  ATTR_VRRP_RFC_EXPECTED_LATENCY_MS,
  ATTR_VRRP_VRID,
  ATTR_VRRP_INSTANCE,
  ATTR_VRRP_DOMAIN,
  ATTR_VRRP_GARP_LATENCY_MS,
  parseTraceparent,
} from '@hotstandby/telemetry';
import { advertBytes } from '../../src/daemon/advert-bytes.js';
import { InstanceRunner } from '../../src/daemon/instance-runner.js';
import type { InstancePorts } from '../../src/daemon/instance-runner.js';
import { InstanceTelemetry } from '../../src/telemetry/instance-telemetry.js';
import type { FailoverRecord } from '../../src/telemetry/instance-telemetry.js';
import { createLogger } from '../../src/log/logger.js';
import { tutorialBackup } from '../support/tutorial-backup.js';

const OLD_MASTER = '10.10.10.126';
const SELF = '10.10.10.127';
const WALL_OFFSET_US = 1_700_000_000_000_000;

function setup() {
  const { model, config, validation } = tutorialBackup();
  let mono = 5_000_000;
  let armed: number | undefined;
  const steps: string[] = [];
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const records: FailoverRecord[] = [];
  let notifyDone: () => void = () => {};
  const notifyIdle = new Promise<void>((res) => (notifyDone = res));
  const events: { traceparent: string | undefined; latency: number | undefined }[] = [];
  // eslint-disable-next-line prefer-const
  let runner: InstanceRunner;
  const tel = new InstanceTelemetry({
    nodeId: 'LVS_DEVEL@10.10.10.127',
    instance: 'VI_1',
    vrid: 51,
    version: 2,
    family: 'ipv4',
    interface: 'eth0',
    domain: '10.10.10.0/24',
    vips: ['10.10.10.129'],
    now: () => mono,
    wallNowUs: () => mono + WALL_OFFSET_US,
    settled: () => runner.settled(),
    notifyIdle: () => notifyIdle,
    onFailover: (rec) => records.push(rec),
    tracer: provider.getTracer('test'),
  });
  const ports: InstancePorts = {
    now: () => mono,
    sendVrrp: () => steps.push(`advert@${mono}`),
    filterVips: () => Promise.resolve(),
    // Synchronous, as the daemon's (a netlink round trip, the first GARP round sent on return).
    addVips: () => {
      mono += 300; // netlink takes a moment
      steps.push(`vips@${mono}`);
    },
    removeVips: () => {
      steps.push('remove');
    },
    sendGarp: () => {
      mono += 50;
      steps.push(`garp@${mono}`);
    },
    notify: () => steps.push('notify'),
    transition: () => events.push({ traceparent: tel.traceparent, latency: undefined }),
    anomaly: () => {},
    armTimer: (at) => (armed = at),
    disarmTimer: () => (armed = undefined),
    log: createLogger({ format: 'json', write: () => {} }),
  };
  runner = new InstanceRunner(model, config, validation, '224.0.0.18', tel.wrap(ports));
  const advert = (priority: number) =>
    advertBytes({ version: 2, family: 'ipv4', vrid: 51, priority, intervalCs: 100, addresses: ['10.10.10.129'], authPass: '1234' }, { source: OLD_MASTER, destination: '224.0.0.18', v3Ipv4Form: 'pseudo-header' });
  return {
    runner,
    exporter,
    records,
    events,
    steps,
    tel,
    finishNotify: () => notifyDone(),
    clock: { get: () => mono, set: (v: number) => (mono = v) },
    armedAt: () => armed,
    receive: (priority: number) => runner.packet({ data: advert(priority), source: OLD_MASTER, destination: '224.0.0.18', hopLimit: 255, ifindex: 2, receivedAtUs: mono }),
  };
}

const us = (t: ReadableSpan['startTime']) => hrTimeToMicroseconds(t);
const settle = () => new Promise((r) => setTimeout(r, 10));

describe('vrrp.failover span', () => {
  test('master crash: starts at the last advert, events in keepalived order, RFC and measured latency', async () => {
    const s = setup();
    s.runner.input({ type: 'startup', faulted: false });
    s.clock.set(6_000_000);
    s.receive(100);
    const lastAdvertAt = s.clock.get();
    const deadline = s.armedAt()!;
    assert.equal(deadline - lastAdvertAt, masterDownIntervalUs(2, 99, 100)); // 3.61328125 s
    s.clock.set(deadline + 120); // the timer lands 120 µs late
    s.runner.timerFired();
    assert.equal(s.runner.state.kind, 'MASTER');
    await settle();
    assert.equal(s.exporter.getFinishedSpans().filter((x) => x.name === 'vrrp.failover').length, 0, 'ends only when notify is done');
    s.clock.set(deadline + 5_000);
    s.finishNotify();
    await settle();

    const spans = s.exporter.getFinishedSpans();
    assert.deepEqual(spans.map((x) => x.name), ['vrrp.transition', 'vrrp.failover']);
    const f = spans[1]!;
    assert.equal(us(f.startTime), lastAdvertAt + WALL_OFFSET_US, 'the span starts when the old master was last heard');
    assert.deepEqual(
      f.events.map((e) => [e.name, us(e.time) - WALL_OFFSET_US]),
      [
        ['master-down timer fired', deadline],
        ['first advert sent', deadline + 120],
        ['VIPs added', deadline + 420],
        ['first GARP/NA sent', deadline + 470],
        ['notify done', deadline + 5_000],
      ],
    );
    assert.equal(us(f.endTime), deadline + 5_000 + WALL_OFFSET_US);
    assert.equal(f.attributes[ATTR_VRRP_VRID], 51);
    assert.equal(f.attributes[ATTR_VRRP_INSTANCE], 'VI_1');
    assert.equal(f.attributes[ATTR_VRRP_DOMAIN], '10.10.10.0/24');
    assert.equal(f.attributes[ATTR_VRRP_REASON], 'master-no-response');
    assert.equal(f.attributes[ATTR_VRRP_OLD_MASTER], OLD_MASTER);
    assert.equal(f.attributes[ATTR_VRRP_OLD_MASTER_PRIORITY], 100);
    assert.equal(f.attributes[ATTR_VRRP_NEW_MASTER], SELF);
    assert.equal(f.attributes[ATTR_VRRP_RFC_EXPECTED_LATENCY_MS], 3613.28125);
    // measured on the real clock: the timer landed 120 µs late, and that is part of the failover
    assert.equal(f.attributes[ATTR_VRRP_MEASURED_LATENCY_MS], 3613.40125);
    assert.equal(f.attributes[ATTR_VRRP_GARP_LATENCY_MS], (deadline + 470 - lastAdvertAt) / 1000);

    // The transition event carries this span's traceparent.
    const tp = parseTraceparent(s.events.at(-1)!.traceparent);
    assert.equal(tp?.spanId, f.spanContext().spanId);
    assert.equal(tp?.traceId, f.spanContext().traceId);
    assert.deepEqual(s.records, [
      { instance: 'VI_1', vrid: 51, interface: 'eth0', reason: 'master-no-response', measuredUs: 3_613_401.25, rfcExpectedUs: 3_613_281.25, toGarpUs: deadline + 470 - lastAdvertAt, durationUs: deadline + 5_000 - lastAdvertAt },
    ]);
  });

  test('priority 0 from a stopping master: starts at that advert, the skew timer takes over', async () => {
    const s = setup();
    s.finishNotify();
    s.runner.input({ type: 'startup', faulted: false });
    s.clock.set(6_000_000);
    s.receive(100);
    s.clock.set(6_500_000);
    s.receive(0);
    const zeroAt = s.clock.get();
    const deadline = s.armedAt()!;
    assert.equal(deadline - zeroAt, skewTimeUs(2, 99, 100));
    s.clock.set(deadline);
    s.runner.timerFired();
    await settle();
    const f = s.exporter.getFinishedSpans().find((x) => x.name === 'vrrp.failover')!;
    assert.equal(us(f.startTime) - WALL_OFFSET_US, zeroAt);
    // keepalived's order (vrrp_state_become_master): advert, VIPs, GARPs, then notify.
    assert.deepEqual(f.events.map((e) => e.name), ['priority 0 advert received', 'skew timer fired', 'first advert sent', 'VIPs added', 'first GARP/NA sent', 'notify done']);
    assert.equal(f.attributes[ATTR_VRRP_REASON], 'priority-zero-received');
    assert.equal(f.attributes[ATTR_VRRP_RFC_EXPECTED_LATENCY_MS], skewTimeUs(2, 99, 100) / 1000);
    // Ends at the first GARP: notify (none configured here) was done before it.
    assert.equal(us(f.endTime) - WALL_OFFSET_US, deadline + 350);
  });

  test('giving up mastership is a vrrp.release span; no span per advert', async () => {
    const s = setup();
    s.finishNotify();
    s.runner.input({ type: 'startup', faulted: false });
    s.clock.set(6_000_000);
    s.runner.timerFired(); // nobody there: takes over at start-up's master-down
    s.clock.set(s.armedAt()!);
    for (let i = 0; i < 20; i++) {
      s.runner.timerFired(); // 20 adverts as MASTER
      s.clock.set(s.armedAt()!);
    }
    s.runner.input({ type: 'shutdown' });
    await settle();
    const names = s.exporter.getFinishedSpans().map((x) => x.name);
    assert.deepEqual(names, ['vrrp.transition', 'vrrp.failover', 'vrrp.release']);
    const rel = s.exporter.getFinishedSpans()[2]!;
    assert.equal(rel.attributes[ATTR_VRRP_REASON], 'shutdown');
    // keepalived's order (vrrp_state_leave_master): VIPs removed, then notify.
    assert.deepEqual(rel.events.map((e) => e.name), ['VIPs removed', 'notify done']);
  });
});
