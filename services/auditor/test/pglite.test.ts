// The embedded default (no DATABASE_URL): PGlite with btree_gist runs the same migrations, ingest and
// "master at T" query on Node 20.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../src/db/database.js';
import { migrateDatabase } from '../src/db/migrate.js';
import { DEFAULT_DETECT_CONFIG } from '../src/detect/config.js';
import { emptyFleet } from '../src/detect/fleet.js';
import { ingestBatch } from '../src/ingest/batch.js';
import { Projector } from '../src/project/projector.js';
import { masterAt } from '../src/query/master-at.js';
import { FakeNode, T0, message } from './support/events.js';

test('PGlite: migrate, ingest twice (stored once), who was master', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'hs-auditor-pglite-'));
  const database = await openDatabase({ dataDir: dir });
  try {
    assert.equal(database.kind, 'pglite');
    await migrateDatabase(database);
    const a = new FakeNode('node1');
    const b = new FakeNode('node2');
    const msgs = [a.transition(0, 'INIT', 'MASTER', { reason: 'startup' }), a.transition(5, 'MASTER', 'BACKUP', { reason: 'shutdown' }), b.transition(5.0001, 'BACKUP', 'MASTER')].map((e, i) => message(e, i + 1));
    const p = new Projector(emptyFleet(), DEFAULT_DETECT_CONFIG);
    assert.equal((await ingestBatch(database.db, p, msgs)).inserted, 3);
    assert.equal((await ingestBatch(database.db, p, msgs)).inserted, 0);
    assert.deepEqual((await masterAt(database.db, { vrid: 51, at: T0 + 4_999_999 })).map((r) => r.node), ['node1']);
    assert.deepEqual((await masterAt(database.db, { vrid: 51, at: T0 + 5_000_100 })).map((r) => r.node), ['node2']);
  } finally {
    await database.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
