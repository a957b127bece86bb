// Ingest throughput: the real ingest step (validate with the contract schema, one transaction per
// batch: look up which ids are stored already, binary COPY of the others straight into `events`,
// projections, liveness, commit) versus the bare storing of the same rows, on the real Postgres. NATS
// is not in the loop (see serve.test.ts for that).
//   node --conditions=source --import tsx services/auditor/bench/ingest.bench.ts [events] [batch] [rounds]
//
// Paths:
// - real ingest: as the consumer runs it (consumer.ts): batch N+1 is validated and encoded while batch N
//   commits (CommitChain), commits strictly one after another;
// - the same, one batch at a time (ingestBatch): what the overlap is worth;
// - redelivery of all: the whole stream again into the same database (the lookup finds every id:
//   stores nothing, moves nothing);
// - bare: the best plain insert found for the same rows — the same binary COPY, straight into `events`,
//   one transaction per batch, no validation, no lookup, no projections (the rows are encoded from the
//   events, JSON.stringify included, inside the timing). The real path can only be slower; the ratio
//   says what the guarantees cost.
//
// The machine is shared (2 cores), so each path runs `rounds` times, interleaved, each time into a fresh
// database, and the table shows the best and the median round, plus CPU per event: this process (user +
// system) and the Postgres backend that served it (from /proc, so only for a local server). CPU per
// event moves much less with the machine's load than events/s does. The load average is printed too.
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { sql } from 'drizzle-orm';
import type { HsEvent } from '@hotstandby/events';
import { createTestDatabase } from '../../../test/support/postgres.js';
import { openDatabase } from '../src/db/database.js';
import { migrateDatabase } from '../src/db/migrate.js';
import { DEFAULT_DETECT_CONFIG } from '../src/detect/config.js';
import { emptyFleet } from '../src/detect/fleet.js';
import { commitBatch, ingestBatch, prepareBatchInSlices } from '../src/ingest/batch.js';
import type { IncomingMessage } from '../src/ingest/batch.js';
import { CommitChain } from '../src/ingest/commit-chain.js';
import { EVENT_COPY_COLUMNS, encodeEvent } from '../src/ingest/insert-events.js';
import { BinaryCopyWriter } from '../src/db/copy-binary.js';
import { copyIn } from '../src/db/copy-in.js';
import type { Database } from '../src/db/database.js';
import { Projector } from '../src/project/projector.js';
import { resultRows } from '../src/project/recordset.js';
import { FakeNode, T0, message } from '../test/support/events.js';

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

/** A fresh migrated database on the local server, its backend pid, and `work` measured on it. */
async function onFreshDatabase<T>(work: (database: Database, pid: number) => Promise<T>): Promise<T> {
  const pg = await createTestDatabase('hs_bench');
  try {
    const database = await openDatabase({ url: pg.url, max: 1 });
    try {
      await migrateDatabase(database);
      const [{ pid } = { pid: 0 }] = resultRows<{ pid: number }>(await database.db.execute(sql`select pg_backend_pid() as pid`));
      return await work(database, pid);
    } finally {
      await database.close();
    }
  } finally {
    await pg.drop();
  }
}

/** As the consumer does it: prepare batch N+1 while batch N commits. */
async function pipelined(database: Database, p: Projector, msgs: readonly IncomingMessage[]): Promise<void> {
  const chain = new CommitChain();
  for (let i = 0; i < msgs.length; i += BATCH) {
    const prepared = await prepareBatchInSlices(msgs.slice(i, i + BATCH));
    await chain.enqueue(async () => void (await commitBatch(database.db, p, prepared)));
  }
  await chain.drain();
}

/** The real path, then the whole stream again (a redelivery that inserts nothing). */
async function realRound(msgs: readonly IncomingMessage[]): Promise<{ real: Run; replay: Run }> {
  return onFreshDatabase(async (database, pid) => {
    const p = new Projector(emptyFleet(), DEFAULT_DETECT_CONFIG);
    const real = await measure(pid, () => pipelined(database, p, msgs));
    const replay = await measure(pid, () => pipelined(database, p, msgs));
    return { real, replay };
  });
}

/** The real path without the overlap: ingestBatch per batch. */
async function sequentialRound(msgs: readonly IncomingMessage[]): Promise<Run> {
  return onFreshDatabase(async (database, pid) => {
    const p = new Projector(emptyFleet(), DEFAULT_DETECT_CONFIG);
    return measure(pid, async () => {
      for (let i = 0; i < msgs.length; i += BATCH) await ingestBatch(database.db, p, msgs.slice(i, i + BATCH));
    });
  });
}

/** The bare path: the same rows (already valid events), encoded and COPYed straight into events. */
async function bareRound(events: readonly HsEvent[]): Promise<Run> {
  return onFreshDatabase((database, pid) =>
    measure(pid, async () => {
      for (let i = 0; i < events.length; i += BATCH) {
        const w = new BinaryCopyWriter(BATCH * 1024);
        for (let k = i; k < Math.min(i + BATCH, events.length); k++) encodeEvent(w, { event: events[k]!, streamSeq: k + 1, receivedAt: T0 });
        const data = w.finish();
        await database.db.transaction((tx) => copyIn(tx, `events ${EVENT_COPY_COLUMNS}`, data));
      }
    }),
  );
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
  const sequential: Run[] = [];
  const bare: Run[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const x = await realRound(msgs);
    real.push(x.real);
    replay.push(x.replay);
    sequential.push(await sequentialRound(msgs));
    bare.push(await bareRound(events));
  }
  const load1 = loadavg()[0]!;
  const rows: [string, Run[]][] = [
    ['real ingest (validate, tx, lookup + COPY, projections)', real],
    ['  the same, one batch at a time (no overlap)', sequential],
    ['redelivery of all (nothing new)', replay],
    ['bare binary COPY of the same rows into events', bare],
  ];
  console.log(`ingest: ${N} events (20 nodes, heartbeats with 2 instances + transitions), batches of ${BATCH}, ${ROUNDS} rounds, Postgres on 127.0.0.1`);
  console.log(`load average (1 min) ${load0.toFixed(2)} at start, ${load1.toFixed(2)} at end, on ${readFileSync('/proc/cpuinfo', 'utf8').match(/^processor/gm)?.length ?? '?'} CPUs`);
  console.log(`${'path'.padEnd(57)}best ev/s  median ev/s  node µs/ev  pg µs/ev`);
  for (const [name, runs] of rows) {
    const s = summary(runs);
    console.log(`${name.padEnd(56)} ${String(s.best).padStart(9)} ${String(s.median).padStart(12)} ${s.nodeUs.padStart(11)} ${s.pgUs.padStart(9)}`);
  }
  const r = summary(real);
  const b = summary(bare);
  console.log(`ratio real / bare: best ${(r.best / b.best).toFixed(2)}, median ${(r.median / b.median).toFixed(2)}`);
}

await main();
