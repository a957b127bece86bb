// Issue 7 proof, end to end with a real OTLP/HTTP receiver (JSON) on the lab LAN: the tutorial pair,
// NATS, the auditor and the notifier all export with nothing but the standard OTEL_* variables.
// 1. kill -9 of the master: the backup's vrrp.failover span starts at the old master's last advert and
//    its duration is printed beside the gap a capture of the LAN measures (last advert → first GARP).
// 2. The old master comes back (preempts), then a VRRP-only partition makes a split brain: ONE trace
//    runs from node2's vrrp.failover through auditor.ingest and auditor.detect (which links to both
//    masters' transition spans) to notifier.record and notifier.deliver.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createLab } from '../lab/lab.js';
import type { Lab } from '../lab/lab.js';
import { VrrpNodeProcess, tutorialConfig } from '../support/vrrp-node-process.js';
import { LabNats } from '../support/lab-services.js';
import { LabOtlpReceiver } from '../support/otlp-receiver.js';
import type { ReceivedSpan } from '../support/otlp-receiver.js';
import { failoverGap } from '../support/failover-gap.js';
import { startAuditor, startNotifier } from '../../services/tutorial/src/lab-services.js';
import type { ManagedProcess } from '../../services/tutorial/src/lab-services.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const NODE1 = '10.10.10.126';
const NODE2 = '10.10.10.127';
const VIP = '10.10.10.129';

function stop(p: ManagedProcess | undefined): Promise<void> {
  const c = p?.child;
  if (!c || c.pid === undefined || c.exitCode !== null || c.signalCode !== null) return Promise.resolve();
  const exited = new Promise<void>((resolve) => c.once('exit', () => resolve()));
  process.kill(c.pid, 'SIGTERM');
  return exited;
}

const ms = (us: number) => (us / 1000).toFixed(3);

describe('telemetry: every failover traced end to end', () => {
  let lab: Lab;
  let nats: LabNats;
  let otlp: LabOtlpReceiver;
  let auditor: ManagedProcess | undefined;
  let notifier: ManagedProcess | undefined;
  let node1: VrrpNodeProcess;
  let node2: VrrpNodeProcess;
  const dir = mkdtempSync(join(tmpdir(), 'hs-tel-e2e-'));
  const notices: string[] = [];
  const saved = { ...process.env };

  before(async () => {
    lab = await createLab({
      name: 'otel',
      nodes: [
        { name: 'node1', addresses: [`${NODE1}/24`] },
        { name: 'node2', addresses: [`${NODE2}/24`] },
      ],
    });
    nats = await LabNats.start(lab);
    otlp = await LabOtlpReceiver.start(lab);
    // Every process started from here inherits these: the standard variables, nothing of ours.
    Object.assign(process.env, {
      OTEL_EXPORTER_OTLP_ENDPOINT: otlp.endpoint,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      OTEL_METRICS_EXPORTER: 'none',
      OTEL_BSP_SCHEDULE_DELAY: '200',
    });
    delete process.env.DATABASE_URL;
    auditor = await startAuditor(lab, dir);
    notifier = await startNotifier(lab, dir, (subject) => notices.push(subject));
    node1 = new VrrpNodeProcess(lab, 'node1', tutorialConfig('master'), { args: ['--nats', nats.url] });
    node2 = new VrrpNodeProcess(lab, 'node2', tutorialConfig('backup'), { args: ['--nats', nats.url, '--metrics', '127.0.0.1:9650'] });
  });

  after(async () => {
    process.env = saved;
    await node1?.stop();
    await node2?.stop();
    await stop(notifier);
    await stop(auditor);
    await otlp?.stop();
    await nats?.dispose();
    await lab?.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  test('crash failover span vs capture; split brain: one trace node → auditor → notifier', { timeout: 600_000 }, async () => {
    node1.start();
    node2.start();
    await node1.waitState('VI_1', 'MASTER', 60_000);
    await node2.waitState('VI_1', 'BACKUP', 60_000);

    // --- 1. crash: span vs capture ---
    const cap = await lab.capture({ filter: 'ip proto 112 or arp' });
    await new Promise((r) => setTimeout(r, 1_500)); // an advert of the old master in the capture
    const since2 = node2.logs.length;
    const crashAtUs = Date.now() * 1000;
    await node1.crash();
    await node2.waitState('VI_1', 'MASTER', 15_000, since2);
    await new Promise((r) => setTimeout(r, 500)); // the first GARP round
    const gap = failoverGap(await cap.stop(), { vrid: 51, oldMaster: NODE1, newMaster: NODE2, vips: [VIP] });
    assert.ok(gap?.toGarpUs !== undefined, 'the takeover and its GARP are in the capture');
    const crashSpan = await otlp.waitFor((s) => s.service === 'vrrp-node' && s.name === 'vrrp.failover' && s.attributes['vrrp.master.new'] === NODE2 && s.startUs > crashAtUs - 1_200_000, 15_000, 'vrrp.failover of node2');
    const duration = crashSpan.endUs - crashSpan.startUs;
    if (process.env.HS_TEL_DEBUG) console.log(JSON.stringify(crashSpan), JSON.stringify(node2.logs.slice(since2)), JSON.stringify(otlp.spans.filter((x) => x.service === 'vrrp-node').map((x) => [x.name, x.startUs, x.attributes['vrrp.master.new'], x.attributes['vrrp.reason']])), crashAtUs);
    console.log(`# crash failover, capture: last advert → first advert ${ms(gap.toAdvertUs)} ms, → first GARP ${ms(gap.toGarpUs)} ms`);
    console.log(`# crash failover, span:    duration ${ms(duration)} ms (measured ${String(crashSpan.attributes['vrrp.failover.measured_latency_ms'])} ms, RFC ${String(crashSpan.attributes['vrrp.failover.rfc_expected_latency_ms'])} ms, GARP ${String(crashSpan.attributes['vrrp.failover.garp_latency_ms'])} ms)`);
    console.log(`# span start − captured last advert: ${ms(crashSpan.startUs - gap.from)} ms (clocks: the capture's kernel timestamps, the node's receipt time)`);
    assert.equal(crashSpan.attributes['vrrp.reason'], 'master-no-response');
    assert.equal(crashSpan.attributes['vrrp.master.old'], NODE1);
    assert.equal(crashSpan.attributes['vrrp.vrid'], 51);
    // keepalived's order; `notify done` comes whenever the scripts finish (none configured: at once).
    assert.deepEqual(
      crashSpan.events.map((e) => e.name).filter((n) => n !== 'notify done'),
      ['master-down timer fired', 'first advert sent', 'VIPs added', 'first GARP/NA sent'],
    );
    assert.ok(crashSpan.events.some((e) => e.name === 'notify done'));
    // Not a timing assertion: a sanity bound that catches a span started at the wrong advert (≥ 1 s off).
    assert.ok(Math.abs(duration - gap.toGarpUs) < 500_000, `span ${ms(duration)} ms vs capture ${ms(gap.toGarpUs)} ms`);
    const st = await node2.status();
    assert.ok(st.instances[0]!.lastFailoverLatencyMs !== null && st.instances[0]!.lastFailoverRfcExpectedMs !== null, 'status shows measured and RFC latency');
    // The Prometheus page (--metrics) under keepalived-exporter names, with the takeover in the histogram.
    const page = (await lab.exec('node2', ['curl', '-sf', 'http://127.0.0.1:9650/metrics'])).stdout;
    assert.match(page, /^keepalived_vrrp_state\{iname="VI_1",intf="eth0",vrid="51",ip_address="10\.10\.10\.129"\} 2$/m);
    assert.match(page, /^keepalived_become_master_total\{iname="VI_1",intf="eth0",vrid="51",state="MASTER"\} [1-9]/m);
    assert.match(page, /^hotstandby_failover_duration_seconds_count\{iname="VI_1",intf="eth0",vrid="51"\} [1-9]/m);
    console.log(`# status: measured ${String(st.instances[0]!.lastFailoverLatencyMs)} ms, RFC ${String(st.instances[0]!.lastFailoverRfcExpectedMs)} ms`);

    // The transition event reached the auditor inside the same trace.
    await otlp.waitFor((s) => s.name === 'auditor.ingest' && s.traceId === crashSpan.traceId && s.parentSpanId === crashSpan.spanId, 30_000, 'auditor.ingest of the crash takeover');

    // --- 2. the old master returns and preempts; a VRRP-only partition then splits the brain ---
    const since1 = node1.logs.length;
    const since2b = node2.logs.length;
    node1.start();
    await node1.waitState('VI_1', 'MASTER', 60_000, since1);
    await node2.waitState('VI_1', 'BACKUP', 15_000, since2b);
    await otlp.waitFor((s) => s.name === 'vrrp.release' && s.attributes['vrrp.master.new'] === NODE1, 15_000, 'vrrp.release of node2');
    const since2c = node2.logs.length;
    const partitionAtUs = Date.now() * 1000;
    await lab.partition();
    try {
      await node2.waitState('VI_1', 'MASTER', 15_000, since2c);
      const sbSpan = await otlp.waitFor((s) => s.name === 'vrrp.failover' && s.attributes['vrrp.master.new'] === NODE2 && s.startUs > partitionAtUs - 1_200_000, 15_000, 'the split-brain takeover');
      const detect = await otlp.waitFor((s) => s.name === 'auditor.detect' && s.attributes['hotstandby.alert.kind'] === 'split-brain', 60_000, 'auditor.detect split-brain');
      const deliver = await otlp.waitFor((s) => s.name === 'notifier.deliver' && s.traceId === detect.traceId, 120_000, 'notifier.deliver of the alert');
      const trace = otlp.spans.filter((s) => s.traceId === sbSpan.traceId);
      const byId = new Map(trace.map((s) => [s.spanId, s]));
      const chain = (s: ReceivedSpan): string[] => {
        const out = [`${s.service}/${s.name}`];
        for (let p = s.parentSpanId ? byId.get(s.parentSpanId) : undefined; p; p = p.parentSpanId ? byId.get(p.parentSpanId) : undefined) out.unshift(`${p.service}/${p.name}`);
        return out;
      };
      console.log(`# one trace ${sbSpan.traceId}:\n#   ${chain(deliver).join(' → ')}`);
      assert.equal(detect.traceId, sbSpan.traceId, 'the alert continues the takeover trace');
      assert.equal(chain(deliver)[0], 'vrrp-node/vrrp.failover');
      assert.ok(chain(deliver).includes('vrrp-auditor/auditor.detect'));
      assert.equal(chain(deliver).at(-1), 'vrrp-notifier/notifier.deliver');
      assert.ok(trace.some((s) => s.name === 'auditor.ingest' && s.parentSpanId === sbSpan.spanId), 'auditor.ingest continues the failover span');
      assert.ok(trace.some((s) => s.name === 'notifier.record'), 'notifier.record in the same trace');
      // The split-brain alert links to both masters' transition spans.
      const node1Master = otlp.spans.filter((s) => s.service === 'vrrp-node' && s.attributes['vrrp.master.new'] === NODE1 && s.name === 'vrrp.failover').at(-1);
      assert.ok(node1Master, "node1's takeover span");
      const linked = new Set(detect.links.map((l) => l.spanId));
      assert.ok(linked.has(sbSpan.spanId) && linked.has(node1Master.spanId), `links ${JSON.stringify(detect.links)} name both masters' transitions`);
      assert.ok(notices.some((n) => /split brain/i.test(n)), `the notifier delivered it (console): ${notices.join(' | ')}`);
    } finally {
      await lab.heal();
    }
    assert.deepEqual(otlp.bad, [], 'every export decoded');
  });
});
