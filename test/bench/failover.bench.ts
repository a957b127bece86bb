// npm run bench:failover [-- --runs N] [--only v2,v3-100ms,v3-10ms] [--no-resources] [--no-failover]
//
// Failover gaps of vrrp-node beside the real keepalived (Debian 2.2.7), on a namespace LAN, measured
// from a capture of the bridge as DESIGN.md measured keepalived: the old master's last advert (its
// priority-0 advert after a graceful stop) → the new master's first advert, and → its first gratuitous
// ARP. The backup (priority 99) is the implementation under test; the master (priority 100) is the
// other implementation, so both share every lab, and is crashed (kill -9; keepalived's VRRP child
// first) or stopped (SIGTERM) N times per case, restarting and preempting back in between.
// Then CPU and memory of both implementations side by side, each mastering half of the instances of a
// mutual setup: 2 instances at VRRPv2 1 s (the tutorial's mutual hot standby) and 50 at VRRPv3 100 ms.
//
// A bench is a script, not a test: it prints tables and asserts nothing. Every lab namespace and
// every process it starts is removed, also on errors and Ctrl-C (the lab's exit handlers).
import { spawnSync } from 'node:child_process';
import { createLab } from '../lab/lab.js';
import type { Lab } from '../lab/lab.js';
import { failoverGap } from '../support/failover-gap.js';
import type { Gap } from '../support/failover-gap.js';
import { keepalivedConf, vrrpInstance } from '../support/keepalived-conf.js';
import { tutorialConfig } from '../support/vrrp-node-process.js';
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
  failover: boolean;
  resources: boolean;
}

function parseArgs(argv: string[]): Options {
  const o: Options = { runs: 5, only: undefined, failover: true, resources: true };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--runs') o.runs = Number(argv[++i]);
    else if (a === '--only') o.only = argv[++i];
    else if (a === '--no-resources') o.resources = false;
    else if (a === '--no-failover') o.failover = false;
    else throw new Error(`unknown argument ${a} (want --runs N, --only ID, --no-resources, --no-failover)`);
  }
  if (!Number.isInteger(o.runs) || o.runs < 1) throw new Error('--runs wants a positive integer');
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

async function measureCase(c: Case, impl: Impl, runs: number, labIndex: number): Promise<Record<Kind, Series>> {
  const out: Record<Kind, Series> = { crash: { gaps: [], failed: 0 }, graceful: { gaps: [], failed: 0 } };
  const lab = await twoNodeLab(`fb${labIndex}`);
  const master = createPeer(lab, otherImpl(impl), 'node1', c.config('master'));
  const backup = createPeer(lab, impl, 'node2', c.config('backup'));
  try {
    await master.waitState('VI_1', 'MASTER', await master.start());
    await backup.waitState('VI_1', 'BACKUP', await backup.start());
    for (const kind of ['crash', 'graceful'] as const) {
      for (let i = 0; i < runs; i++) {
        const r = await oneRun(lab, c, kind, master, backup);
        if ('gap' in r) out[kind].gaps.push(r.gap);
        else out[kind].failed++;
        process.stderr.write(`  ${c.id} ${kind} backup=${impl} run ${i + 1}/${runs}: ${'gap' in r ? ms(r.gap.toAdvertUs) : r.miss}\n`);
      }
    }
  } catch (e) {
    // Keep what was measured; the table says the series broke off and why.
    const why = (e as Error).message.split('\n')[0]!;
    process.stderr.write(`  ${c.id} backup=${impl}: stopped: ${(e as Error).message}\n`);
    out.crash.error = why;
    out.graceful.error = why;
  } finally {
    await backup.dispose();
    await master.dispose();
    await lab.destroy();
  }
  return out;
}

function printCase(c: Case, kind: Kind, byImpl: Map<Impl, Series>): void {
  const formula = formulaUs(c, kind);
  const what = kind === 'crash' ? 'crash (kill -9 of the master): Master_Down_Interval' : 'graceful stop (SIGTERM, priority 0): Skew_Time';
  console.log(`\n### ${c.label} — ${what}`);
  const rows: string[][] = [];
  for (const impl of IMPLS) {
    const s = byImpl.get(impl);
    if (!s) continue;
    const adverts = s.gaps.map((g) => g.toAdvertUs);
    const garps = s.gaps.map((g) => g.toGarpUs).filter((x): x is number => x !== undefined);
    const med = adverts.length > 0 ? median(adverts) : NaN;
    // "Worst": the run farthest from the formula, either way (early is as wrong as late).
    const worst = adverts.length > 0 ? adverts.reduce((w, g) => (Math.abs(g - formula) > Math.abs(w - formula) ? g : w)) : NaN;
    rows.push([
      `${c.id} ${kind}`,
      `${impl} (backup)`,
      `${adverts.length}${s.failed > 0 ? ` (+${s.failed} failed)` : ''}${s.error !== undefined ? ' (broke off)' : ''}`,
      ms(med),
      ms(worst),
      ms(formula),
      adverts.length > 0 ? signedMs(med - formula) : '—',
      garps.length > 0 ? ms(median(garps)) : '—',
    ]);
  }
  console.log(table(['case', 'impl', 'runs', 'median gap', 'worst gap', 'formula', 'median−formula', '→GARP median'], rows));
  for (const impl of IMPLS) {
    const e = byImpl.get(impl)?.error;
    if (e !== undefined) console.log(`(${impl}: the series broke off: ${e})`);
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
  console.log('# the backup (priority 99) is the implementation in the row; the master (priority 100) is the other one');
  let labIndex = 0;
  if (o.failover) {
    for (const c of CASES) {
      if (o.only !== undefined && !o.only.split(',').includes(c.id)) continue;
      const results = new Map<Impl, Record<Kind, Series>>();
      for (const impl of IMPLS) results.set(impl, await measureCase(c, impl, o.runs, labIndex++));
      for (const kind of ['crash', 'graceful'] as const) {
        printCase(c, kind, new Map(IMPLS.map((impl) => [impl, results.get(impl)![kind]])));
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
    console.log('(vrrp-node runs from source: node + the tsx loader, as in the e2e tests; a built dist would use less memory)');
  }
}

await main();
