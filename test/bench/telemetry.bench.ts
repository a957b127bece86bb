// node --conditions=source --import tsx test/bench/telemetry.bench.ts [--runs N] [--cpu-seconds S]
//
// What tracing costs vrrp-node: the same lab run twice, with OpenTelemetry off (no OTEL_* variables:
// the SDK is not even loaded) and on (OTLP/HTTP JSON to a real receiver on the lab LAN, every span
// exported), printed side by side:
// - failover timing: kill -9 of the master N times, the backup's takeover measured from a capture of
//   the LAN (old master's last advert → new master's first advert / first GARP), and, with tracing on,
//   the vrrp.failover span's duration beside it;
// - CPU and RSS of both nodes over a steady window.
// VRRPv3 at advert_int 0.01 s (100 adverts a second from the master): the advert path is the hot path,
// and tracing must add nothing there (no span per advert).
//
// A bench is a script: it prints tables and asserts nothing. The lab and every process are removed at
// the end (and on errors / Ctrl-C, by the lab's exit handlers).
import { createLab } from '../lab/lab.js';
import type { Lab } from '../lab/lab.js';
import { failoverGap } from '../support/failover-gap.js';
import { keepalivedConf, vrrpInstance } from '../support/keepalived-conf.js';
import { LabOtlpReceiver } from '../support/otlp-receiver.js';
import { VrrpNodeProcess } from '../support/vrrp-node-process.js';
import { measureUsage } from './proc-stats.js';

const NODE1 = '10.10.10.126';
const NODE2 = '10.10.10.127';
const VIP = '10.10.10.129';
const ADVERT_INT = '0.01';

type Mode = 'off' | 'on';

interface Result {
  toAdvertUs: number[];
  toGarpUs: number[];
  spanUs: number[];
  missed: number;
  cpuPercent: number;
  rssMiB: number;
}

function args(argv: string[]): { runs: number; cpuSeconds: number } {
  const o = { runs: 5, cpuSeconds: 15 };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--runs') o.runs = Number(argv[++i]);
    else if (argv[i] === '--cpu-seconds') o.cpuSeconds = Number(argv[++i]);
    else throw new Error(`unknown argument ${argv[i]} (want --runs N, --cpu-seconds S)`);
  }
  return o;
}

function config(role: 'master' | 'backup'): string {
  return keepalivedConf({
    routerId: `tel_${role}`,
    global: ['vrrp_version 3'],
    blocks: [vrrpInstance({ name: 'VI_1', state: role === 'master' ? 'MASTER' : 'BACKUP', vrid: 51, priority: role === 'master' ? 100 : 99, advertInt: ADVERT_INT, vips: [VIP] })],
  });
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
function median(xs: readonly number[]): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}
const ms = (us: number): string => (Number.isNaN(us) ? '—' : `${(us / 1000).toFixed(3)} ms`);

async function runMode(mode: Mode, runs: number, cpuSeconds: number): Promise<Result> {
  const lab: Lab = await createLab({
    name: `tel${mode}`,
    nodes: [
      { name: 'node1', addresses: [`${NODE1}/24`] },
      { name: 'node2', addresses: [`${NODE2}/24`] },
    ],
  });
  const r: Result = { toAdvertUs: [], toGarpUs: [], spanUs: [], missed: 0, cpuPercent: NaN, rssMiB: NaN };
  let otlp: LabOtlpReceiver | undefined;
  const env: NodeJS.ProcessEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('OTEL_')));
  try {
    if (mode === 'on') {
      otlp = await LabOtlpReceiver.start(lab);
      Object.assign(env, { OTEL_EXPORTER_OTLP_ENDPOINT: otlp.endpoint, OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json', OTEL_BSP_SCHEDULE_DELAY: '200', OTEL_METRIC_EXPORT_INTERVAL: '5000' });
    }
    const node2 = new VrrpNodeProcess(lab, 'node2', config('backup'), { env }).start();
    await sleep(500);
    let node1 = new VrrpNodeProcess(lab, 'node1', config('master'), { env }).start();
    await node1.waitState('VI_1', 'MASTER', 60_000);
    await node2.waitState('VI_1', 'BACKUP', 60_000);
    await sleep(2_000);
    const u = await measureUsage([node1.pid!, node2.pid!], cpuSeconds * 1000);
    r.cpuPercent = u.cpuPercent;
    r.rssMiB = u.rssMiB;
    for (let i = 0; i < runs; i++) {
      const cap = await lab.capture({ filter: 'ip proto 112 or arp' });
      await sleep(300);
      const since = node2.logs.length;
      const crashAtUs = Date.now() * 1000;
      await node1.crash();
      try {
        await node2.waitState('VI_1', 'MASTER', 5_000, since);
        await sleep(300);
        const gap = failoverGap(await cap.stop(), { vrid: 51, oldMaster: NODE1, newMaster: NODE2, vips: [VIP], afterUs: crashAtUs - 1_000_000 });
        if (gap) {
          r.toAdvertUs.push(gap.toAdvertUs);
          if (gap.toGarpUs !== undefined) r.toGarpUs.push(gap.toGarpUs);
        } else r.missed++;
        if (otlp) {
          const span = await otlp.waitFor((s) => s.name === 'vrrp.failover' && s.attributes['vrrp.master.new'] === NODE2 && s.startUs > crashAtUs - 100_000, 5_000, 'vrrp.failover').catch(() => undefined);
          if (span) r.spanUs.push(span.endUs - span.startUs);
        }
      } catch {
        r.missed++;
        await cap.stop();
      }
      // The old master returns and preempts, ready for the next run.
      const since1 = node2.logs.length;
      node1 = new VrrpNodeProcess(lab, 'node1', config('master'), { env }).start();
      await node1.waitState('VI_1', 'MASTER', 60_000);
      await node2.waitState('VI_1', 'BACKUP', 15_000, since1);
      await sleep(500);
    }
    await node1.stop();
    await node2.stop();
  } finally {
    await otlp?.stop();
    await lab.destroy();
  }
  return r;
}

async function main(): Promise<void> {
  const o = args(process.argv.slice(2));
  console.log(`# vrrp-node takeover and CPU, tracing off vs on — VRRPv3 advert_int ${ADVERT_INT} s, backup priority 99, ${o.runs} kill -9 runs each, CPU over ${o.cpuSeconds} s`);
  const results: Record<Mode, Result> = { off: await runMode('off', o.runs, o.cpuSeconds), on: await runMode('on', o.runs, o.cpuSeconds) };
  const rows: [string, (r: Result) => string][] = [
    ['median last advert → first advert (capture)', (r) => ms(median(r.toAdvertUs))],
    ['median last advert → first GARP (capture)', (r) => ms(median(r.toGarpUs))],
    ['max last advert → first GARP (capture)', (r) => ms(r.toGarpUs.length ? Math.max(...r.toGarpUs) : NaN)],
    ['median vrrp.failover span duration', (r) => (r.spanUs.length ? ms(median(r.spanUs)) : '—')],
    ['runs measured / missed', (r) => `${r.toAdvertUs.length} / ${r.missed}`],
    ['CPU, both nodes (% of one core)', (r) => r.cpuPercent.toFixed(2)],
    ['RSS, both nodes (MiB)', (r) => r.rssMiB.toFixed(1)],
  ];
  const w = Math.max(...rows.map(([k]) => k.length));
  console.log(`| ${'measure'.padEnd(w)} | tracing off   | tracing on    |`);
  console.log(`|${'-'.repeat(w + 2)}|---------------|---------------|`);
  for (const [k, f] of rows) console.log(`| ${k.padEnd(w)} | ${f(results.off).padEnd(13)} | ${f(results.on).padEnd(13)} |`);
  console.log(`RFC 9568 Master_Down_Interval for priority 99 at 10 ms: ${ms(3 * 10_000 + (157 * 10_000) / 256)}`);
}

await main();
