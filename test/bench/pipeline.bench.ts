// Failover timing of the tutorial pair with the event bus up, down (nats-server stopped) and
// black-holed (packets to it dropped, so connects and publishes hang), measured from a capture of the
// LAN: the old master's last advert → the new master's first advert (kill -9 of the master), and → the
// first gratuitous ARP for the VIP. DESIGN.md rule 1 says the three columns must look alike.
//
//   cd test && node --conditions=source --import tsx bench/pipeline.bench.ts [--runs N]
import { parseArgs } from 'node:util';
import { createLab } from '../lab/lab.js';
import type { Lab } from '../lab/lab.js';
import { VrrpNodeProcess, tutorialConfig } from '../support/vrrp-node-process.js';
import { failoverGap } from '../support/failover-gap.js';
import { LabNats } from '../support/lab-services.js';

export type BusCondition = 'up' | 'down' | 'black-holed';
export const BUS_CONDITIONS: readonly BusCondition[] = ['up', 'down', 'black-holed'];
export const MASTER_DOWN_MS = (3 * 1_000_000 + ((256 - 99) * 1_000_000) / 256) / 1000; // 3613.281 ms
const VIP = '10.10.10.129';

export interface FailoverSample {
  readonly bus: BusCondition;
  /** Last advert of the old master → first advert of the new one, ms. */
  readonly advertMs: number;
  /** → first gratuitous ARP for the VIP, ms. */
  readonly garpMs: number | undefined;
}

export interface PipelineRig {
  readonly lab: Lab;
  readonly nats: LabNats;
  master: VrrpNodeProcess;
  readonly backup: VrrpNodeProcess;
  dispose(): Promise<void>;
}

export async function createRig(name: string): Promise<PipelineRig> {
  const lab = await createLab({
    name,
    nodes: [
      { name: 'node1', addresses: ['10.10.10.126/24'] },
      { name: 'node2', addresses: ['10.10.10.127/24'] },
    ],
  });
  let nats: LabNats;
  try {
    nats = await LabNats.start(lab);
  } catch (err) {
    await lab.destroy();
    throw err;
  }
  const args = ['--nats', nats.url];
  const rig: PipelineRig = {
    lab,
    nats,
    master: new VrrpNodeProcess(lab, 'node1', tutorialConfig('master'), { args }),
    backup: new VrrpNodeProcess(lab, 'node2', tutorialConfig('backup'), { args }),
    dispose: async () => {
      await rig.master.stop();
      await rig.backup.stop();
      await nats.dispose();
      await lab.destroy();
    },
  };
  try {
    rig.master.start();
    rig.backup.start();
    await rig.master.waitState('VI_1', 'MASTER', 20_000);
    await rig.backup.waitState('VI_1', 'BACKUP', 20_000);
  } catch (err) {
    await rig.dispose();
    throw err;
  }
  return rig;
}

async function setBus(rig: PipelineRig, bus: BusCondition): Promise<void> {
  await rig.nats.unblackhole();
  if (bus === 'down') {
    if (rig.nats.running) await rig.nats.stop();
    return;
  }
  if (!rig.nats.running) await rig.nats.resume();
  if (bus === 'black-holed') await rig.nats.blackhole();
}

/** kill -9 of the master under `bus`; the backup takes over; the master restarts and preempts back. */
export async function crashFailover(rig: PipelineRig, bus: BusCondition): Promise<FailoverSample> {
  await setBus(rig, bus);
  await new Promise((r) => setTimeout(r, 2_500)); // let the nodes notice (disconnects, hung publishes)
  const cap = await rig.lab.capture({ filter: 'ip proto 112 or arp' });
  await new Promise((r) => setTimeout(r, 1_200));
  const since = rig.backup.logs.length;
  await rig.master.crash();
  await rig.backup.waitState('VI_1', 'MASTER', 10_000, since);
  await new Promise((r) => setTimeout(r, 500));
  const gap = failoverGap(await cap.stop(), { vrid: 51, oldMaster: '10.10.10.126', newMaster: '10.10.10.127', vips: [VIP] });
  if (!gap) throw new Error(`bus ${bus}: no takeover in the capture`);
  // Back to the starting position: the same run dir, so the crashed boot's outbox is replayed.
  const sinceM = rig.master.logs.length;
  const sinceB = rig.backup.logs.length;
  rig.master.start();
  await rig.master.waitState('VI_1', 'MASTER', 20_000, sinceM);
  await rig.backup.waitState('VI_1', 'BACKUP', 10_000, sinceB);
  return { bus, advertMs: gap.toAdvertUs / 1000, garpMs: gap.toGarpUs !== undefined ? gap.toGarpUs / 1000 : undefined };
}

export function formatTable(samples: readonly FailoverSample[]): string {
  const median = (xs: number[]): number => {
    const s = [...xs].sort((a, b) => a - b);
    return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
  };
  const rows = BUS_CONDITIONS.map((bus) => {
    const mine = samples.filter((s) => s.bus === bus);
    const adv = mine.map((s) => s.advertMs);
    const garp = mine.flatMap((s) => (s.garpMs !== undefined ? [s.garpMs] : []));
    const cell = (xs: number[]): string => (xs.length ? `${median(xs).toFixed(3)} (${Math.min(...xs).toFixed(3)}–${Math.max(...xs).toFixed(3)})` : '-');
    return [bus, String(mine.length), cell(adv), cell(adv.map((a) => a - MASTER_DOWN_MS)), cell(garp)];
  });
  const head = ['NATS', 'runs', 'advert gap ms median (min–max)', 'gap − formula ms', 'to first GARP ms'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]): string => r.map((c, i) => c.padEnd(widths[i]!)).join('  ');
  return [line(head), ...rows.map(line), `kill -9 of the MASTER, advert_int 1, backup priority 99: RFC Master_Down_Interval ${MASTER_DOWN_MS.toFixed(3)} ms`].join('\n');
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { runs: { type: 'string', default: '3' } } });
  const runs = Number(values.runs);
  const rig = await createRig('pbench');
  const samples: FailoverSample[] = [];
  try {
    for (let i = 0; i < runs; i++) {
      for (const bus of BUS_CONDITIONS) {
        const s = await crashFailover(rig, bus);
        samples.push(s);
        process.stderr.write(`run ${i + 1}/${runs} NATS ${bus}: ${s.advertMs.toFixed(3)} ms\n`);
      }
    }
  } finally {
    await rig.dispose();
  }
  console.log(formatTable(samples));
}

if (process.argv[1] === new URL(import.meta.url).pathname) {
  main().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
