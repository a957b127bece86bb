// Ingest throughput: the real ingest step (validate with the contract schema, one transaction per
// batch: INSERT … ON CONFLICT DO NOTHING RETURNING, projections, liveness) versus a bare batched
// INSERT of the same rows, on the real Postgres. NATS is not in the loop (see serve.test.ts for that).
//   node --conditions=source --import tsx services/auditor/bench/ingest.bench.ts [events] [batch]
import postgres from 'postgres';
import type { HsEvent } from '@hotstandby/events';
import { createTestDatabase } from '../../../test/support/postgres.js';
import { openDatabase } from '../src/db/database.js';
import { migrateDatabase } from '../src/db/migrate.js';
import { DEFAULT_DETECT_CONFIG } from '../src/detect/config.js';
import { emptyFleet } from '../src/detect/fleet.js';
import { eventRow, ingestBatch } from '../src/ingest/batch.js';
import { Projector } from '../src/project/projector.js';
import { FakeNode, message } from '../test/support/events.js';

const N = Number(process.argv[2] ?? 100_000);
const BATCH = Number(process.argv[3] ?? 1000);

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

async function main(): Promise<void> {
  const events = workload(N);
  const msgs = events.map((e, i) => message(e, i + 1));
  const pg = await createTestDatabase('hs_bench');
  const pg2 = await createTestDatabase('hs_bench');
  try {
    const database = await openDatabase({ url: pg.url });
    await migrateDatabase(database);
    const p = new Projector(emptyFleet(), DEFAULT_DETECT_CONFIG);
    let t = performance.now();
    for (let i = 0; i < msgs.length; i += BATCH) await ingestBatch(database.db, p, msgs.slice(i, i + BATCH));
    const realMs = performance.now() - t;
    // Redelivery of everything: the cost of a replay that inserts nothing.
    t = performance.now();
    for (let i = 0; i < msgs.length; i += BATCH) await ingestBatch(database.db, p, msgs.slice(i, i + BATCH));
    const replayMs = performance.now() - t;
    await database.close();

    const bare = await openDatabase({ url: pg2.url });
    await migrateDatabase(bare);
    await bare.close();
    const sql = postgres(pg2.url, { max: 1, onnotice: () => {} });
    const rows = events.map((e, i) => {
      const r = eventRow(e, i + 1, Date.now() * 1000);
      return { id: r.id, node_id: r.nodeId, boot_id: r.bootId, seq: r.seq, kind: r.kind, domain: r.domain ?? null, vrid: r.vrid ?? null, instance: r.instance ?? null, at: r.at, stream_seq: r.streamSeq ?? null, received_at: r.receivedAt, payload: sql.json(e) };
    });
    t = performance.now();
    for (let i = 0; i < rows.length; i += BATCH) await sql`insert into events ${sql(rows.slice(i, i + BATCH))}`;
    const bareMs = performance.now() - t;
    await sql.end();

    const rate = (ms: number) => Math.round((N / ms) * 1000);
    console.log(`ingest: ${N} events (20 nodes, heartbeats with 2 instances + transitions), batches of ${BATCH}, Postgres 15 on 127.0.0.1`);
    console.log('path                                               events/s   total ms');
    console.log(`real ingest (validate, tx, ON CONFLICT, projections) ${String(rate(realMs)).padStart(8)} ${String(Math.round(realMs)).padStart(10)}`);
    console.log(`redelivery of all (nothing new)                      ${String(rate(replayMs)).padStart(8)} ${String(Math.round(replayMs)).padStart(10)}`);
    console.log(`bare batched INSERT of the same rows                 ${String(rate(bareMs)).padStart(8)} ${String(Math.round(bareMs)).padStart(10)}`);
    console.log(`ratio real / bare: ${(rate(realMs) / rate(bareMs)).toFixed(2)}`);
  } finally {
    await pg.drop();
    await pg2.drop();
  }
}

await main();
