// Ingest throughput: the real ingest step (validate with the contract schema, one transaction per
// batch: INSERT … ON CONFLICT DO NOTHING RETURNING, projections, liveness, commit) versus a bare batched
// INSERT of the same rows, on the real Postgres. NATS is not in the loop (see serve.test.ts for that).
//   node --conditions=source --import tsx services/auditor/bench/ingest.bench.ts [events] [batch] [rounds]
//
// The machine is shared (2 cores), so each path runs `rounds` times, interleaved, each time into a fresh
// database, and the table shows the best and the median round, plus CPU per event: this process (user +
// system) and the Postgres backend that served it (from /proc, so only for a local server). CPU per
// event moves much less with the machine's load than events/s does. The load average is printed too.
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import type { HsEvent } from '@hotstandby/events';
import { createTestDatabase } from '../../../test/support/postgres.js';
import { openDatabase } from '../src/db/database.js';
import { migrateDatabase } from '../src/db/migrate.js';
import { DEFAULT_DETECT_CONFIG } from '../src/detect/config.js';
import { emptyFleet } from '../src/detect/fleet.js';
import { eventRow, ingestBatch } from '../src/ingest/batch.js';
import type { IncomingMessage } from '../src/ingest/batch.js';
import { Projector } from '../src/project/projector.js';
import { resultRows } from '../src/project/recordset.js';
import { FakeNode, message } from '../test/support/events.js';

const N = Number(process.argv[2] ?? 100_000);
const BATCH = Number(process.argv[3] ?? 1000);
const ROUNDS = Number(process.argv[4] ?? 3);

function workload(n: number): HsEvent[] {
  const nodes = Array.from({ length: 20 }, (_, i) => new FakeNode(`node${i + 1}`));
  const out: HsEvent[] = [];
  for (let i = 0; out.length < n; i++) {
    const node = nodes[i % nodes.length]!;
    const t = i * 0.005;
    // Mostly heartbeats, a transition pair every 1000 events.
    if (i % 1000 === 0) out.push(node.transition(t, 'BACKUP', 'MASTER', { vrid: 1 + (i % 200) }), node.transition(t + 0.001, 'MASTER', 'BACKUP', { vrid: 1 + (i % 200) }));
    else out.push(node.heartbeat(t, [{ state: 'BACKUP', vrid: 51 }, { state: 'MASTER', vrid: 52, installedVips: ['10.10.10.130'], intendedVips: ['10.10.10.130'] }], 60_000));
  }
  return out.slice(0, n);
}

interface Run {
  ms: number;
  nodeCpuMs: number;
  pgCpuMs: number | undefined;
}

/** CPU ms (user + system) a local process has used, or undefined when it is not visible here. */
function processCpuMs(pid: number): number | undefined {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // USER_HZ is 100 on Linux
  } catch {
    return undefined;
  }
}

async function measure(pid: number, work: () => Promise<void>): Promise<Run> {
  const pg0 = processCpuMs(pid);
  const c0 = process.cpuUsage();
  const t = performance.now();
  await work();
  const ms = performance.now() - t;
  const c = process.cpuUsage(c0);
  const pg1 = processCpuMs(pid);
  return { ms, nodeCpuMs: (c.user + c.system) / 1000, pgCpuMs: pg0 === undefined || pg1 === undefined ? undefined : pg1 - pg0 };
}

/** The real path: ingestBatch per batch, then the whole stream again (a redelivery that inserts nothing). */
async function realRound(msgs: readonly IncomingMessage[]): Promise<{ real: Run; replay: Run }> {
  const pg = await createTestDatabase('hs_bench');
  try {
    const database = await openDatabase({ url: pg.url, max: 1 });
    try {
      await migrateDatabase(database);
      const [{ pid } = { pid: 0 }] = resultRows<{ pid: number }>(await database.db.execute(sql`select pg_backend_pid() as pid`));
      const p = new Projector(emptyFleet(), DEFAULT_DETECT_CONFIG);
      const real = await measure(pid, async () => {
        for (let i = 0; i < msgs.length; i += BATCH) await ingestBatch(database.db, p, msgs.slice(i, i + BATCH));
      });
      const replay = await measure(pid, async () => {
        for (let i = 0; i < msgs.length; i += BATCH) await ingestBatch(database.db, p, msgs.slice(i, i + BATCH));
      });
      return { real, replay };
    } finally {
      await database.close();
    }
  } finally {
    await pg.drop();
  }
}

/** The bare path: postgres.js multi-row INSERT of the same rows, no transaction around it, nothing else. */
async function bareRound(events: readonly HsEvent[]): Promise<Run> {
  const pg = await createTestDatabase('hs_bench');
  try {
    const migrated = await openDatabase({ url: pg.url });
    await migrateDatabase(migrated);
    await migrated.close();
    const pgsql = postgres(pg.url, { max: 1, onnotice: () => {} });
    try {
      const [{ pid } = { pid: 0 }] = await pgsql<{ pid: number }[]>`select pg_backend_pid() as pid`;
      const rows = events.map((e, i) => {
        const r = eventRow(e, i + 1, Date.now() * 1000);
        return { id: r.id, node_id: r.nodeId, boot_id: r.bootId, seq: r.seq, kind: r.kind, domain: r.domain ?? null, vrid: r.vrid ?? null, instance: r.instance ?? null, at: r.at, stream_seq: r.streamSeq ?? null, received_at: r.receivedAt, payload: pgsql.json(e) };
      });
      return await measure(pid, async () => {
        for (let i = 0; i < rows.length; i += BATCH) await pgsql`insert into events ${pgsql(rows.slice(i, i + BATCH))}`;
      });
    } finally {
      await pgsql.end();
    }
  } finally {
    await pg.drop();
  }
}

function summary(runs: Run[]): { best: number; median: number; nodeUs: string; pgUs: string } {
  const rates = runs.map((r) => (N / r.ms) * 1000).sort((a, b) => b - a);
  const median = <T>(xs: T[], f: (x: T) => number) => xs.map(f).sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const pg = runs.every((r) => r.pgCpuMs !== undefined) ? ((median(runs, (r) => r.pgCpuMs!) * 1000) / N).toFixed(1) : 'n/a';
  return { best: Math.round(rates[0]!), median: Math.round(rates[Math.floor(rates.length / 2)]!), nodeUs: ((median(runs, (r) => r.nodeCpuMs) * 1000) / N).toFixed(1), pgUs: pg };
}

async function main(): Promise<void> {
  const events = workload(N);
  const msgs = events.map((e, i) => message(e, i + 1));
  const load0 = loadavg()[0]!;
  const real: Run[] = [];
  const replay: Run[] = [];
  const bare: Run[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const x = await realRound(msgs);
    real.push(x.real);
    replay.push(x.replay);
    bare.push(await bareRound(events));
  }
  const load1 = loadavg()[0]!;
  const rows: [string, Run[]][] = [
    ['real ingest (validate, tx, ON CONFLICT, projections)', real],
    ['redelivery of all (nothing new)', replay],
    ['bare batched INSERT of the same rows', bare],
  ];
  console.log(`ingest: ${N} events (20 nodes, heartbeats with 2 instances + transitions), batches of ${BATCH}, ${ROUNDS} rounds, Postgres on 127.0.0.1`);
  console.log(`load average (1 min) ${load0.toFixed(2)} at start, ${load1.toFixed(2)} at end, on ${readFileSync('/proc/cpuinfo', 'utf8').match(/^processor/gm)?.length ?? '?'} CPUs`);
  console.log('path                                                  best ev/s  median ev/s  node µs/ev  pg µs/ev');
  for (const [name, runs] of rows) {
    const s = summary(runs);
    console.log(`${name.padEnd(53)} ${String(s.best).padStart(9)} ${String(s.median).padStart(12)} ${s.nodeUs.padStart(11)} ${s.pgUs.padStart(9)}`);
  }
  const r = summary(real);
  const b = summary(bare);
  console.log(`ratio real / bare: best ${(r.best / b.best).toFixed(2)}, median ${(r.median / b.median).toFixed(2)}`);
}

await main();
