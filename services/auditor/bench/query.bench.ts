// "Master at T" latency over a large mastership table, through the same query the API uses
// (drizzle + postgres.js, GiST index on (vrid, tstzrange)). Intervals are generated in SQL.
// Two views of each query: the client's (what an API caller waits for: planning, execution, the round
// trip, row decoding — and, on a busy machine, waiting for a CPU) and the server's execution time from
// EXPLAIN ANALYZE of the same statement (the index's share). The load average is printed beside them.
//   node --conditions=source --import tsx services/auditor/bench/query.bench.ts [intervals] [queries]
import { loadavg } from 'node:os';
import { sql } from 'drizzle-orm';
import { createTestDatabase } from '../../../test/support/postgres.js';
import { openDatabase } from '../src/db/database.js';
import { migrateDatabase } from '../src/db/migrate.js';
import { resultRows } from '../src/project/recordset.js';
import { masterAt } from '../src/query/master-at.js';

const INTERVALS = Number(process.argv[2] ?? 1_000_000);
const QUERIES = Number(process.argv[3] ?? 5000);
const VRIDS = 200;
const T0 = Date.UTC(2025, 0, 1) * 1000;

async function main(): Promise<void> {
  const pg = await createTestDatabase('hs_bench');
  const database = await openDatabase({ url: pg.url, max: 1 });
  try {
    await migrateDatabase(database);
    const db = database.db;
    let t = performance.now();
    // Per vrid, alternating node-a/node-b masters; each interval 60 s, back to back.
    const perVrid = Math.ceil(INTERVALS / VRIDS);
    await db.execute(sql`
      insert into mastership (domain, vrid, node_id, instance, from_at, to_at, start_reason, end_reason, start_event_id, end_event_id, interval_cs)
      select '10.10.10.0/24', v, case when i % 2 = 0 then 'node-a' else 'node-b' end, 'VI_' || v,
             to_timestamp(${T0 / 1e6} + i * 60), case when i = ${perVrid - 1} then null else to_timestamp(${T0 / 1e6} + (i + 1) * 60) end,
             'master-no-response', case when i = ${perVrid - 1} then null else 'priority' end, 'n.b.' || i, 'n.b.' || (i + 1), 100
      from generate_series(1, ${VRIDS}) v, generate_series(0, ${perVrid - 1}) i`);
    await db.execute(sql`analyze mastership`);
    const loadMs = performance.now() - t;
    const span = perVrid * 60e6;
    // Warm up, then measure.
    const lat: number[] = [];
    for (let q = 0; q < QUERIES + 200; q++) {
      const vrid = 1 + Math.floor(Math.random() * VRIDS);
      const at = T0 + Math.floor(Math.random() * span);
      t = performance.now();
      const r = await masterAt(db, { vrid, at });
      const ms = performance.now() - t;
      if (r.length !== 1) throw new Error(`expected one master, got ${r.length}`);
      if (q >= 200) lat.push(ms);
    }
    const load0 = loadavg()[0]!;
    // Server-side execution time of the same statement (parameters bound as the API binds them).
    const exec: number[] = [];
    for (let q = 0; q < Math.min(QUERIES, 1000); q++) {
      const vrid = 1 + Math.floor(Math.random() * VRIDS);
      const at = new Date((T0 + Math.floor(Math.random() * span)) / 1000).toISOString();
      const plan = resultRows<Record<string, unknown>>(
        await db.execute(sql`explain (analyze, format json) select * from mastership where vrid = ${vrid} and tstzrange(from_at, coalesce(to_at, 'infinity'::timestamptz), '[)') @> ${at}::timestamptz order by from_at, node_id`),
      );
      exec.push((Object.values(plan[0]!)[0] as { 'Execution Time': number }[])[0]!['Execution Time']);
    }
    const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!.toFixed(3);
    const max = (xs: number[]) => Math.max(...xs).toFixed(3);
    console.log(`master-at-T: ${perVrid * VRIDS} intervals (${VRIDS} VRIDs × ${perVrid}), generated in ${Math.round(loadMs)} ms; ${QUERIES} random (vrid, T) queries`);
    console.log(`load average (1 min) ${load0.toFixed(2)} after the client run, ${loadavg()[0]!.toFixed(2)} at end, on 2 CPUs`);
    console.log('view                               p50 ms   p90 ms   p99 ms   max ms');
    console.log(`client (masterAt, round trip)      ${pct(lat, 50).padEnd(8)} ${pct(lat, 90).padEnd(8)} ${pct(lat, 99).padEnd(8)} ${max(lat)}`);
    console.log(`server (EXPLAIN ANALYZE execution) ${pct(exec, 50).padEnd(8)} ${pct(exec, 90).padEnd(8)} ${pct(exec, 99).padEnd(8)} ${max(exec)}`);
  } finally {
    await database.close();
    await pg.drop();
  }
}

await main();
