// "Who was master at T" through the prepared statements (src/query/master-at.ts), on real Postgres and on
// PGlite: a split brain answers every interval containing T, an interval opened long before T and still
// open is found past the many shorter intervals of another node that started after it, [from, to) bounds,
// the domain filter, and the same handle used from a transaction.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { createTestDatabase } from '../../../test/support/postgres.js';
import type { TestDatabase } from '../../../test/support/postgres.js';
import { openDatabase } from '../src/db/database.js';
import type { Database } from '../src/db/database.js';
import { migrateDatabase } from '../src/db/migrate.js';
import { masterAt } from '../src/query/master-at.js';

const T0 = Date.UTC(2026, 0, 1) / 1000;
const at = (s: number) => (T0 + s) * 1e6;

/** Router (lan-a, 51): node-x holds [0, 100) then [200, open); node-y has 900 short intervals from 10 s on,
 * each [10 + 0.1·i, 10.05 + 0.1·i) — all inside node-x's first interval, a split brain each time. (lan-b, 51)
 * has node-z open from 0; (lan-a, 52) node-w [0, 50). */
async function fill(database: Database): Promise<void> {
  await database.db.execute(sql`
    insert into mastership (domain, vrid, node_id, instance, from_at, to_at, start_reason, end_reason, start_event_id, end_event_id, interval_cs)
    values ('lan-a', 51, 'node-x', 'VI_51', to_timestamp(${T0}), to_timestamp(${T0 + 100}), 'startup', 'shutdown', 'x.b.1', 'x.b.2', 100),
           ('lan-a', 51, 'node-x', 'VI_51', to_timestamp(${T0 + 200}), null, 'priority', null, 'x.b.3', null, 100),
           ('lan-b', 51, 'node-z', 'VI_51', to_timestamp(${T0}), null, 'startup', null, 'z.b.1', null, 100),
           ('lan-a', 52, 'node-w', 'VI_52', to_timestamp(${T0}), to_timestamp(${T0 + 50}), 'startup', 'shutdown', 'w.b.1', 'w.b.2', 100)`);
  await database.db.execute(sql`
    insert into mastership (domain, vrid, node_id, instance, from_at, to_at, start_reason, end_reason, start_event_id, end_event_id, interval_cs)
    select 'lan-a', 51, 'node-y', 'VI_51', to_timestamp(${T0} + 10 + 0.1 * i), to_timestamp(${T0} + 10.05 + 0.1 * i), 'master-no-response', 'higher-priority-received', 'y.b.' || (2 * i), 'y.b.' || (2 * i + 1), 100
    from generate_series(0, 899) i`);
}

async function answers(database: Database): Promise<void> {
  const who = async (s: number, domain?: string, vrid = 51) => (await masterAt(database.db, { vrid, at: at(s), domain })).map((r) => `${r.domain}/${r.node}`);
  assert.deepEqual(await who(5, 'lan-a'), ['lan-a/node-x']);
  // Split brain: node-x (since 0) and node-y's interval [60, 60.05).
  assert.deepEqual(await who(60.02, 'lan-a'), ['lan-a/node-x', 'lan-a/node-y']);
  assert.deepEqual(await who(60.07, 'lan-a'), ['lan-a/node-x']);
  // [from, to): the end instant belongs to the next interval only.
  assert.deepEqual(await who(60.05, 'lan-a'), ['lan-a/node-x']);
  assert.deepEqual(await who(60, 'lan-a'), ['lan-a/node-x', 'lan-a/node-y']);
  assert.deepEqual(await who(100, 'lan-a'), []);
  assert.deepEqual(await who(150, 'lan-a'), []);
  // Open interval: master until now and after.
  assert.deepEqual(await who(1e7, 'lan-a'), ['lan-a/node-x']);
  // Without a domain, every LAN's VRID 51, oldest first.
  assert.deepEqual(await who(60.02), ['lan-a/node-x', 'lan-b/node-z', 'lan-a/node-y']);
  assert.deepEqual(await who(10, 'lan-a', 52), ['lan-a/node-w']);
  assert.deepEqual(await who(10, 'lan-b', 52), []);
  // The same query from inside a transaction (another executor: its own prepared statement).
  await database.db.transaction(async (tx) => {
    assert.deepEqual((await masterAt(tx, { vrid: 51, at: at(60.02), domain: 'lan-a' })).map((r) => r.node), ['node-x', 'node-y']);
  });
  const [first] = await masterAt(database.db, { vrid: 51, at: at(60.02), domain: 'lan-a' });
  assert.deepEqual(first, {
    domain: 'lan-a',
    vrid: 51,
    node: 'node-x',
    instance: 'VI_51',
    from: '2026-01-01T00:00:00.000000Z',
    to: '2026-01-01T00:01:40.000000Z',
    startReason: 'startup',
    endReason: 'shutdown',
    startEventId: 'x.b.1',
    endEventId: 'x.b.2',
  });
}

describe('master at T (real Postgres)', () => {
  let pg: TestDatabase;
  let database: Database;
  before(async () => {
    pg = await createTestDatabase();
    database = await openDatabase({ url: pg.url, max: 2 });
    await migrateDatabase(database);
    await fill(database);
  });
  after(async () => {
    await database.close();
    await pg.drop();
  });
  test('split brain, long-open interval, [from, to), domain, transaction', () => answers(database));
  test('the same answers after the plan cache switched to a generic plan (more than 5 executions)', async () => {
    for (let i = 0; i < 3; i++) await answers(database);
  });
});

test('master at T (PGlite)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'hs-auditor-master-at-'));
  const database = await openDatabase({ dataDir: dir });
  try {
    await migrateDatabase(database);
    await fill(database);
    await answers(database);
  } finally {
    await database.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
