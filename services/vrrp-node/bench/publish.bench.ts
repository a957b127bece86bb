// Outbox → JetStream throughput and append → PubAck latency, against a real nats-server on loopback
// (started here, on a random port, with a temp store). Run:
//   node --conditions=source --import tsx services/vrrp-node/bench/publish.bench.ts
// Two runs: a burst (everything appended at once: throughput; latency includes queueing) and a paced
// run (a steady rate well below capacity: the latency one event sees).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NatsServer } from '../../../test/support/nats-server.js';
import { Outbox } from '../src/outbox/outbox.js';
import { Publisher } from '../src/publish/publisher.js';
import { transitionDraft } from '../test/outbox/drafts.js';

function pct(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function run(server: NatsServer, dir: string, name: string, count: number, ratePerS: number | undefined): Promise<string[]> {
  const latUs: number[] = [];
  const outbox = await Outbox.open({ dir: join(dir, name), nodeId: `bench@${name}` });
  const pub = new Publisher({
    outbox,
    connection: { servers: [server.url] },
    provision: {},
    onPublished: (rec) => latUs.push(Number(process.hrtime.bigint() - rec.appendedAtNs) / 1000),
  });
  pub.start();
  // Warm up: connect and provision.
  outbox.append(transitionDraft(0));
  while (pub.status().published < 1) await new Promise((r) => setTimeout(r, 5));
  latUs.length = 0;
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < count; i++) {
    outbox.append(transitionDraft(i));
    if (ratePerS) await new Promise((r) => setTimeout(r, 1000 / ratePerS));
  }
  while (pub.status().published < count + 1) await new Promise((r) => setTimeout(r, 1));
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  await pub.close();
  await outbox.close();
  latUs.sort((a, b) => a - b);
  return [
    name,
    String(count),
    ratePerS ? `${ratePerS}/s` : 'burst',
    (count / seconds).toFixed(0),
    (pct(latUs, 50) / 1000).toFixed(2),
    (pct(latUs, 99) / 1000).toFixed(2),
    (latUs[latUs.length - 1]! / 1000).toFixed(2),
  ];
}

const server = await NatsServer.start();
const dir = await mkdtemp(join(tmpdir(), 'hs-bench-'));
try {
  const rows = [
    ['run', 'events', 'offered', 'events/s', 'p50 ms', 'p99 ms', 'max ms'],
    await run(server, dir, 'burst', 20_000, undefined),
    await run(server, dir, 'paced', 2_000, 200),
  ];
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  console.log(`outbox → JetStream (nats-server ${server.url}, 1 in flight, fsync batches of ≤64 / 5 ms)`);
  for (const r of rows) console.log(r.map((v, c) => v.padStart(widths[c]!)).join('  '));
} finally {
  await server.dispose();
  await rm(dir, { recursive: true, force: true });
}
