// npm run bench:failover [-- --runs N] [--only v2,v3-100ms,v3-10ms] [--impl vrrp-node|keepalived] [--no-resources] [--no-failover]
//
// Failover gaps of vrrp-node beside the real keepalived (Debian 2.2.7), on a namespace LAN, measured
// from a capture of the bridge as DESIGN.md measured keepalived: the old master's last advert (its
// priority-0 advert after a graceful stop) → the new master's first advert, and → its first gratuitous
// ARP. The backup (priority 99) is the implementation under test; the master (priority 100) is the
// other implementation, so both share every lab, and is crashed (kill -9; keepalived's VRRP child
// first) or stopped (SIGTERM) N times per case, restarting and preempting back in between. The two
// implementations' labs run side by side and their runs alternate (ours, keepalived's, ours, …), so
// foreign load on the shared machine falls on both alike; the load average is printed with each table.
// Then CPU and memory of both implementations side by side, each mastering half of the instances of a
// mutual setup: 2 instances at VRRPv2 1 s (the tutorial's mutual hot standby) and 50 at VRRPv3 100 ms.
//
// A bench is a script, not a test: it prints tables and asserts nothing. Every lab namespace and
// every process it starts is removed, also on errors and Ctrl-C (the lab's exit handlers).
import { spawnSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { createLab } from '../lab/lab.js';
import type { Lab } from '../lab/lab.js';
import { failoverGap } from '../support/failover-gap.js';
import type { Gap } from '../support/failover-gap.js';
import { keepalivedConf, vrrpInstance } from '../support/keepalived-conf.js';
import { tutorialConfig } from '../support/vrrp-node-process.js';
import { vrrpNodeArgv } from '../support/vrrp-node-command.js';
import { KEEPALIVED_BIN } from '../support/keepalived-process.js';
import { createPeer, otherImpl } from './peer.js';
import type { Impl, Peer } from './peer.js';
import { measureUsage } from './proc-stats.js';

const NODE1 = '10.10.10.126';
const NODE2 = '10.10.10.127';
const VIP = '10.10.10.129';
const BACKUP_PRIORITY = 99;
const IMPLS: readonly Impl[] = ['vrrp-node', 'keepalived'];

type Role = 'master' | 'backup';
type Kind = 'crash' | 'graceful';

interface Case {
  id: string;
  label: string;
  advertUs: number;
  config(role: Role): string;
}

function v3Config(role: Role, advertInt: string): string {
  return keepalivedConf({
    routerId: `bench_${role}`,
    global: ['vrrp_version 3'],
    blocks: [vrrpInstance({ name: 'VI_1', state: role === 'master' ? 'MASTER' : 'BACKUP', vrid: 51, priority: role === 'master' ? 100 : BACKUP_PRIORITY, advertInt, vips: [VIP] })],
  });
}

const CASES: readonly Case[] = [
  { id: 'v2', label: 'VRRPv2, advert_int 1 s, PASS auth (the tutorial configs)', advertUs: 1_000_000, config: (r) => tutorialConfig(r) },
  { id: 'v3-100ms', label: 'VRRPv3, advert_int 0.1 s', advertUs: 100_000, config: (r) => v3Config(r, '0.1') },
  { id: 'v3-10ms', label: 'VRRPv3, advert_int 0.01 s', advertUs: 10_000, config: (r) => v3Config(r, '0.01') },
];

/** RFC 3768 §6.1 / RFC 9568 §6.1: Skew_Time and Master_Down_Interval of the priority-99 backup, µs. */
function formulaUs(c: Case, kind: Kind): number {
  const skew = ((256 - BACKUP_PRIORITY) * c.advertUs) / 256;
  return kind === 'crash' ? 3 * c.advertUs + skew : skew;
}

// ---- command line ----

interface Options {
  runs: number;
  only: string | undefined;
  impls: readonly Impl[];
  failover: boolean;
  resources: boolean;
}

function parseArgs(argv: string[]): Options {
  const o: Options = { runs: 5, only: undefined, impls: IMPLS, failover: true, resources: true };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--runs') o.runs = Number(argv[++i]);
    else if (a === '--only') o.only = argv[++i];
    else if (a === '--impl') {
      const want = argv[++i];
      o.impls = IMPLS.filter((x) => x === want);
    }
    else if (a === '--no-resources') o.resources = false;
    else if (a === '--no-failover') o.failover = false;
    else throw new Error(`unknown argument ${a} (want --runs N, --only ID, --impl IMPL, --no-resources, --no-failover)`);
  }
  if (!Number.isInteger(o.runs) || o.runs < 1) throw new Error('--runs wants a positive integer');
  if (o.impls.length === 0) throw new Error(`--impl wants one of ${IMPLS.join(', ')}`);
  return o;
}

// ---- helpers ----

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

const ms = (us: number | undefined): string => (us === undefined || Number.isNaN(us) ? '—' : `${(us / 1000).toFixed(3)} ms`);
const signedMs = (us: number): string => `${us >= 0 ? '+' : '−'}${(Math.abs(us) / 1000).toFixed(3)} ms`;

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]): string => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n');
}

function twoNodeLab(name: string): Promise<Lab> {
  return createLab({
    name,
    nodes: [
      { name: 'node1', addresses: [`${NODE1}/24`] },
      { name: 'node2', addresses: [`${NODE2}/24`] },
    ],
  });
}

// ---- failover gaps ----

interface Series {
  gaps: Gap[];
  /** Runs whose takeover was not seen (in the log within the timeout, or in the capture). */
  failed: number;
  /** Why the series stopped early (a process would not start, …), if it did. */
  error?: string;
}

/** A measured gap, or why there is none. */
type RunResult = { gap: Gap } | { miss: string };

async function oneRun(lab: Lab, c: Case, kind: Kind, master: Peer, backup: Peer): Promise<RunResult> {
  const cap = await lab.capture({ filter: 'ip proto 112 or arp' });
  // At least one advert of the master in the capture before it goes (1 s at VRRPv2).
  await sleep(Math.max(300, (c.advertUs / 1000) * 1.2));
  const afterUs = Date.now() * 1000;
  const since = backup.mark();
  if (kind === 'crash') await master.crash();
  else await master.stop();
  const timeoutMs = (3 * formulaUs(c, 'crash')) / 1000 + 5_000;
  let miss: string | undefined;
  try {
    await backup.waitState('VI_1', 'MASTER', since, timeoutMs);
  } catch {
    miss = `the backup logged no MASTER transition within ${timeoutMs.toFixed(0)} ms`;
  }
  await sleep(500); // the new master's first gratuitous ARPs
  const pcap = await cap.stop();
  // Back to the starting point: the master restarts and preempts (its priority is higher).
  const backupSince = backup.mark();
  const masterSince = await master.start();
  await master.waitState('VI_1', 'MASTER', masterSince);
  await backup.waitState('VI_1', 'BACKUP', backupSince);
  if (miss !== undefined) return { miss };
  const gap = failoverGap(pcap, { vrid: 51, oldMaster: NODE1, newMaster: NODE2, vips: [VIP], afterUs });
  return gap ? { gap } : { miss: 'the takeover is not in the capture' };
}

/** One implementation as the backup of the other, in a lab of its own, for one case. */
interface Rig {
  readonly impl: Impl;
  readonly lab: Lab;
  readonly master: Peer;
  readonly backup: Peer;
  readonly out: Record<Kind, Series>;
  broken: boolean;
}

async function openRig(c: Case, impl: Impl, labIndex: number): Promise<Rig> {
  const out: Record<Kind, Series> = { crash: { gaps: [], failed: 0 }, graceful: { gaps: [], failed: 0 } };
  const lab = await twoNodeLab(`fb${labIndex}`);
  const rig: Rig = { impl, lab, master: createPeer(lab, otherImpl(impl), 'node1', c.config('master')), backup: createPeer(lab, impl, 'node2', c.config('backup')), out, broken: false };
  try {
    await rig.master.waitState('VI_1', 'MASTER', await rig.master.start());
    await rig.backup.waitState('VI_1', 'BACKUP', await rig.backup.start());
  } catch (e) {
    breakOff(rig, c, e);
  }
  return rig;
}

/** Keep what was measured; the table says the series broke off and why. */
function breakOff(rig: Rig, c: Case, e: unknown): void {
  const why = (e as Error).message.split('\n')[0]!;
  process.stderr.write(`  ${c.id} backup=${rig.impl}: stopped: ${(e as Error).message}\n`);
  rig.out.crash.error = why;
  rig.out.graceful.error = why;
  rig.broken = true;
}

async function closeRig(rig: Rig): Promise<void> {
  try {
    await rig.backup.dispose();
    await rig.master.dispose();
  } finally {
    await rig.lab.destroy();
  }
}

/** Both implementations' runs of one case, alternating, so that the machine's load hits both alike. */
async function measureCase(c: Case, impls: readonly Impl[], runs: number, labIndex: number): Promise<Map<Impl, Record<Kind, Series>>> {
  const rigs: Rig[] = [];
  try {
    for (const [i, impl] of impls.entries()) rigs.push(await openRig(c, impl, labIndex + i));
    for (const kind of ['crash', 'graceful'] as const) {
      for (let i = 0; i < runs; i++) {
        for (const rig of rigs) {
          if (rig.broken) continue;
          try {
            const r = await oneRun(rig.lab, c, kind, rig.master, rig.backup);
            if ('gap' in r) rig.out[kind].gaps.push(r.gap);
            else rig.out[kind].failed++;
            process.stderr.write(`  ${c.id} ${kind} backup=${rig.impl} run ${i + 1}/${runs}: ${'gap' in r ? `${ms(r.gap.toAdvertUs)}, GARP ${ms(r.gap.toGarpUs)}` : r.miss}\n`);
          } catch (e) {
            breakOff(rig, c, e);
          }
        }
      }
    }
  } finally {
    for (const rig of rigs) await closeRig(rig);
  }
  return new Map(rigs.map((r) => [r.impl, r.out]));
}

const loadAverage = (): string =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

/** The run farthest from `formula`, either way (early is as wrong as late). */
function worstOf(xs: readonly number[], formula: number): number {
  return xs.length > 0 ? xs.reduce((w, g) => (Math.abs(g - formula) > Math.abs(w - formula) ? g : w)) : NaN;
}

function printCase(c: Case, kind: Kind, byImpl: Map<Impl, Series>): void {
  const formula = formulaUs(c, kind);
  const what = kind === 'crash' ? 'crash (kill -9 of the master): Master_Down_Interval' : 'graceful stop (SIGTERM, priority 0): Skew_Time';
  console.log(`\n### ${c.label} — ${what} (load average ${loadAverage()})`);
  const rows: string[][] = [];
  for (const [impl, s] of byImpl) {
    const adverts = s.gaps.map((g) => g.toAdvertUs);
    const garps = s.gaps.map((g) => g.toGarpUs).filter((x): x is number => x !== undefined);
    // The new master's own delay between its first advert and its first GARP.
    const advertToGarp = s.gaps.flatMap((g) => (g.toGarpUs !== undefined ? [g.toGarpUs - g.toAdvertUs] : []));
    const med = adverts.length > 0 ? median(adverts) : NaN;
    rows.push([
      `${c.id} ${kind}`,
      `${impl} (backup)`,
      `${adverts.length}${s.failed > 0 ? ` (+${s.failed} failed)` : ''}${s.error !== undefined ? ' (broke off)' : ''}`,
      ms(med),
      ms(worstOf(adverts, formula)),
      ms(formula),
      adverts.length > 0 ? signedMs(med - formula) : '—',
      garps.length > 0 ? ms(median(garps)) : '—',
      garps.length > 0 ? ms(Math.max(...garps)) : '—',
      advertToGarp.length > 0 ? ms(median(advertToGarp)) : '—',
    ]);
  }
  console.log(table(['case', 'impl', 'runs', 'median gap', 'worst gap', 'formula', 'median−formula', '→GARP median', '→GARP worst', 'advert→GARP median'], rows));
  for (const [impl, s] of byImpl) {
    if (s.error !== undefined) console.log(`(${impl}: the series broke off: ${s.error})`);
  }
}

// ---- CPU and memory ----

function manyInstancesConfig(role: Role, n: number, advertInt: string): string {
  const blocks: string[] = [];
  for (let i = 1; i <= n; i++) {
    // Mutual: node1 masters the odd VRIDs, node2 the even ones, so both send and both listen.
    const mine = (i % 2 === 1) === (role === 'master');
    blocks.push(vrrpInstance({ name: `VI_${i}`, state: mine ? 'MASTER' : 'BACKUP', vrid: i, priority: mine ? 100 : 99, advertInt, vips: [`10.10.10.${i}`] }));
  }
  return keepalivedConf({ routerId: `bench_${role}`, global: ['vrrp_version 3'], blocks });
}

interface ResourceCase {
  label: string;
  instances: number;
  config(role: Role): string;
  /** Time for every instance to settle after both started (master-down plus margin). */
  settleMs: number;
}

const RESOURCE_CASES: readonly ResourceCase[] = [
  { label: 'VRRPv2 1 s (mutual tutorial)', instances: 2, config: (r) => tutorialConfig(r, { mutual: true }), settleMs: 6_000 },
  { label: 'VRRPv3 100 ms', instances: 50, config: (r) => manyInstancesConfig(r, 50, '0.1'), settleMs: 3_000 },
];

const WINDOW_MS = 10_000;

async function measureResources(rc: ResourceCase, labIndex: number): Promise<string[][]> {
  const lab = await twoNodeLab(`fr${labIndex}`);
  const ours = createPeer(lab, 'vrrp-node', 'node1', rc.config('master'));
  const ka = createPeer(lab, 'keepalived', 'node2', rc.config('backup'));
  try {
    await ours.start();
    await ka.start();
    await sleep(rc.settleMs);
    const [u, k] = await Promise.all([measureUsage(ours.pids(), WINDOW_MS), measureUsage(ka.pids(), WINDOW_MS)]);
    const row = (impl: string, x: { cpuPercent: number; rssMiB: number }): string[] => [`${rc.instances}`, rc.label, impl, `${x.cpuPercent.toFixed(1)} %`, `${x.rssMiB.toFixed(1)} MiB`];
    return [row('vrrp-node', u), row('keepalived (parent + VRRP child)', k)];
  } finally {
    await ka.dispose();
    await ours.dispose();
    await lab.destroy();
  }
}

// ---- main ----

/** First line a tool prints about itself (keepalived prints its version on stderr). */
function version(argv: string[]): string {
  const r = spawnSync(argv[0]!, argv.slice(1), { encoding: 'utf8' });
  return `${r.stdout ?? ''}${r.stderr ?? ''}`.split('\n')[0]?.trim() || '?';
}

async function main(): Promise<void> {
  const o = parseArgs(process.argv.slice(2));
  const keepalivedVersion = version([KEEPALIVED_BIN, '--version']);
  console.log(`# failover bench — ${new Date().toISOString()}, node ${process.version}, ${keepalivedVersion}, kernel ${version(['uname', '-r'])}`);
  console.log(`# gap = old master's last advert (graceful: its priority-0 advert) → new master's first advert, from a capture of the LAN bridge; runs = ${o.runs} per row`);
  console.log('# the backup (priority 99) is the implementation in the row; the master (priority 100) is the other one; runs alternate between the implementations');
  console.log(`# vrrp-node runs as: ${vrrpNodeArgv().join(' ')}; load average at start ${loadAverage()}`);
  let labIndex = 0;
  if (o.failover) {
    for (const c of CASES) {
      if (o.only !== undefined && !o.only.split(',').includes(c.id)) continue;
      const results = await measureCase(c, o.impls, o.runs, labIndex);
      labIndex += o.impls.length;
      for (const kind of ['crash', 'graceful'] as const) {
        printCase(c, kind, new Map([...results].map(([impl, r]) => [impl, r[kind]])));
      }
    }
    console.log('\n(DESIGN.md, keepalived measured earlier on these machines: 3.613 s at advert_int 1, 0.361 s at VRRPv3 100 ms; 0.613 s / 0.061 s after a graceful stop; median |gap − formula| 0.17–0.22 ms)');
  }
  if (o.resources) {
    const rows: string[][] = [];
    for (const rc of RESOURCE_CASES) {
      try {
        rows.push(...(await measureResources(rc, labIndex++)));
      } catch (e) {
        // One broken measurement should not hide the others; say what broke, in the table.
        rows.push([`${rc.instances}`, rc.label, 'failed', (e as Error).message.split('\n')[0]!, '']);
      }
    }
    console.log(`\n### CPU and memory over ${WINDOW_MS / 1000} s (mutual: each implementation masters half the instances)`);
    console.log(table(['instances', 'protocol', 'impl', 'CPU (one core)', 'RSS'], rows));
    console.log(`(vrrp-node runs ${vrrpNodeArgv().includes('tsx') ? 'from source: node + the tsx loader (dist is stale; a built dist uses less memory)' : 'from the built dist'}; load average at the end ${loadAverage()})`);
  }
}

await main();
