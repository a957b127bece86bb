#!/usr/bin/env node
// `npm run bench`: every benchmark of the project, one after the other, each printing its own tables,
// then one summary table (bench, what it measures, status, wall time, its headline line). Needs root
// (labs, raw sockets), Postgres on 127.0.0.1:5432 and nats-server, like the tests.
//   npm run bench                 everything (several minutes)
//   npm run bench -- --quick      smaller runs (for a look, not for a report)
//   npm run bench -- codec fsm    only the named ones
import { spawn } from 'node:child_process';
import { loadavg } from 'node:os';

const quick = process.argv.includes('--quick');
const only = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const TSX = ['--conditions=source', '--import', 'tsx'];

/** name, what it measures, argv, and how to pick the headline out of its output. */
const BENCHES = [
  { name: 'codec', what: 'VRRP decode/encode/validate, packets/s', argv: [...TSX, 'libs/protocol/bench/codec.bench.ts'], headline: /^v2 \(1 VIP, PASS\).*$/m },
  { name: 'fsm', what: 'state machine step(), steps/s', argv: [...TSX, 'libs/protocol/bench/fsm.bench.ts'], headline: /^\|\s*MASTER\s+timer-fired adver.*$/m },
  { name: 'timer', what: 'precise timer lateness vs setTimeout', argv: [...TSX, 'libs/netio/bench/timer.bench.ts'], headline: /PreciseTimer.*$/m },
  { name: 'netlink', what: 'VIP add/delete latency over rtnetlink', argv: [...TSX, 'services/vrrp-node/bench/netlink.bench.ts', quick ? '200' : '2000'], headline: /add.*IPv4.*$/im },
  { name: 'publish', what: 'outbox → JetStream events/s, publish latency', argv: [...TSX, 'services/vrrp-node/bench/publish.bench.ts'], headline: /^\s*paced.*$/m },
  { name: 'ingest', what: 'auditor ingest vs bare batched INSERT', argv: [...TSX, 'services/auditor/bench/ingest.bench.ts', quick ? '10000' : '100000', '5000', quick ? '1' : '3'], headline: /ratio.*$/im },
  // Full size: 10M events / 1M intervals, generated once (~30 min, 11.6 GiB) into a kept database, reused after.
  { name: 'query', what: quick ? 'auditor API "master at T", 2e5 events' : 'auditor API "master at T" at 10M events', argv: [...TSX, 'services/auditor/bench/query.bench.ts', quick ? '--quick' : '--keep'], headline: /^\| GET \/api\/v1\/master.*$/m },
  { name: 'failover', what: 'vrrp-node vs keepalived failover gaps, CPU/RSS', argv: [...TSX, 'test/bench/failover.bench.ts', '--runs', quick ? '2' : '5'], headline: /^\| v2 crash \| vrrp-node.*$/m },
  { name: 'pipeline', what: 'failover timing with NATS up / down / black-holed', argv: [...TSX, 'test/bench/pipeline.bench.ts'], headline: /down.*$/im },
];

function run(argv) {
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn(process.execPath, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      process.stdout.write(d);
    });
    child.stderr.on('data', (d) => process.stderr.write(d));
    child.on('close', (code) => resolve({ code, out, seconds: (Date.now() - started) / 1000 }));
  });
}

const rows = [];
for (const b of BENCHES) {
  if (only.length > 0 && !only.includes(b.name)) continue;
  process.stdout.write(`\n===== ${b.name}: ${b.what} =====\n`);
  const r = await run(b.argv);
  const headline = (r.out.match(b.headline)?.[0] ?? '').replace(/\s+/g, ' ').trim();
  rows.push({ name: b.name, what: b.what, status: r.code === 0 ? 'ok' : `exit ${r.code}`, seconds: r.seconds.toFixed(0), headline });
}

const load = loadavg().map((l) => l.toFixed(2)).join(' ');
process.stdout.write(`\n===== summary (load average now ${load}) =====\n`);
const w = (k) => Math.max(k.length, ...rows.map((r) => String(r[k]).length));
const cols = ['name', 'what', 'status', 'seconds', 'headline'];
const widths = Object.fromEntries(cols.map((c) => [c, Math.min(w(c), c === 'headline' ? 100 : 60)]));
const line = (r) => '| ' + cols.map((c) => String(r[c]).slice(0, widths[c]).padEnd(widths[c])).join(' | ') + ' |';
process.stdout.write(line(Object.fromEntries(cols.map((c) => [c, c]))) + '\n');
process.stdout.write('| ' + cols.map((c) => '-'.repeat(widths[c])).join(' | ') + ' |\n');
for (const r of rows) process.stdout.write(line(r) + '\n');
process.exitCode = rows.every((r) => r.status === 'ok') ? 0 : 1;
