// Latency of VIP changes over rtnetlink (net/addresses.ts), next to iproute2's `ip addr` (the interim
// daemon/netlink-vips.ts spawns it per change), and how soon a separate monitor socket hears of a change.
// DESIGN.md's bar: add/delete under 1 ms. Needs root: it builds a one-node lab and re-runs itself inside.
// Run: node --conditions=source --import tsx services/vrrp-node/bench/netlink.bench.ts [iterations]
import { execFile } from 'node:child_process';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { AddressTable } from '../src/net/addresses.js';
import { LinkMonitor } from '../src/net/links.js';
import type { LinkMonitorEvent } from '../src/net/links.js';
import { createLab } from '@hotstandby/lab';

const INSIDE = 'HS_NETLINK_BENCH_NETNS';
const N = Number(process.argv[2] ?? 2000);
const SPAWN_N = Math.min(N, 100);

function nowUs(): number {
  return Number(process.hrtime.bigint()) / 1000;
}

function stats(name: string, samples: number[]): string[] {
  const s = [...samples].sort((a, b) => a - b);
  const q = (p: number): string => (s[Math.min(s.length - 1, Math.floor(p * s.length))] ?? NaN).toFixed(1);
  return [name, String(s.length), q(0.5), q(0.9), q(0.99), (s.at(-1) ?? NaN).toFixed(1)];
}

function ipCmd(args: string[]): Promise<void> {
  return new Promise((resolve, reject) => execFile('ip', args, (e) => (e ? reject(new Error(`ip ${args.join(' ')}`, { cause: e })) : resolve())));
}

async function timed(samples: number[], fn: () => Promise<unknown>): Promise<void> {
  const t0 = nowUs();
  await fn();
  samples.push(nowUs() - t0);
}

async function inside(): Promise<void> {
  const table = AddressTable.open();
  // ref: true — while we await its events, nothing else may hold the event loop open.
  const monitor = await LinkMonitor.open({ ref: true, links: false });
  monitor.on('error', (e) => console.error('monitor error', e));
  const v4 = { address: '10.10.10.129', prefixLength: 32 };
  const v6 = { address: 'fd00:10::129', prefixLength: 128 };
  const add4: number[] = [];
  const del4: number[] = [];
  const add6: number[] = [];
  const del6: number[] = [];
  const list: number[] = [];
  const heard: number[] = [];
  const ipAdd: number[] = [];
  const ipDel: number[] = [];

  for (let i = 0; i < 200; i++) {
    await table.add(v4, 'eth0');
    await table.remove(v4, 'eth0');
  } // warm up (JIT, socket buffers)

  for (let i = 0; i < N; i++) {
    await timed(add4, () => table.add(v4, 'eth0'));
    await timed(del4, () => table.remove(v4, 'eth0'));
    await timed(add6, () => table.add(v6, 'eth0'));
    await timed(del6, () => table.remove(v6, 'eth0'));
    if (i % 10 === 0) await timed(list, () => table.listAddresses('eth0'));
  }

  // From the start of an add to the monitor's event for it (a second socket in the same process).
  for (let i = 0; i < Math.min(N, 500); i++) {
    const t0 = nowUs();
    const got = new Promise<void>((resolve) => {
      const l = (e: LinkMonitorEvent): void => {
        if (e.kind === 'address' && e.change === 'new' && e.address.address === v4.address) {
          heard.push(nowUs() - t0);
          monitor.off('event', l);
          resolve();
        }
      };
      monitor.on('event', l);
    });
    await table.add(v4, 'eth0');
    await got;
    await table.remove(v4, 'eth0');
  }

  for (let i = 0; i < SPAWN_N; i++) {
    await timed(ipAdd, () => ipCmd(['addr', 'add', '10.10.10.129/32', 'dev', 'eth0']));
    await timed(ipDel, () => ipCmd(['addr', 'del', '10.10.10.129/32', 'dev', 'eth0']));
  }
  monitor.close();
  table.close();

  const rows = [
    ['operation', 'n', 'p50 µs', 'p90 µs', 'p99 µs', 'max µs'],
    stats('rtnetlink add 10.10.10.129/32', add4),
    stats('rtnetlink delete 10.10.10.129/32', del4),
    stats('rtnetlink add fd00:10::129/128', add6),
    stats('rtnetlink delete fd00:10::129/128', del6),
    stats('rtnetlink list eth0 addresses', list),
    stats('add → monitor event', heard),
    stats('`ip addr add` (spawned)', ipAdd),
    stats('`ip addr del` (spawned)', ipDel),
  ];
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  for (const r of rows) console.log(r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  '));
  console.log('\n(each rtnetlink add/delete includes the ifindex lookup by name: two round trips)');
  console.log(`load average while measuring: ${loadavg().map((l) => l.toFixed(2)).join(' ')} on this machine's cores (tails grow with it)`);
}

if (process.env[INSIDE] !== undefined) {
  await inside();
} else {
  const lab = await createLab({ name: 'bench', nodes: [{ name: 'a', addresses: ['10.10.10.126/24'], ipv6: true }] });
  try {
    const env: NodeJS.ProcessEnv = { ...process.env, [INSIDE]: lab.netns('a') };
    const r = await lab.exec('a', [process.execPath, '--conditions=source', '--import', 'tsx', fileURLToPath(import.meta.url), String(N)], { env, timeoutMs: 600_000, check: false });
    process.stdout.write(r.stdout);
    process.stderr.write(r.stderr);
    process.exitCode = r.code ?? 1;
  } finally {
    await lab.destroy();
  }
}
