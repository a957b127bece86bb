// kill -9 right after append(), before the batched segment write: the journal (written at append
// time) brings every event back at the next open, once, in order.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Outbox } from '../../src/outbox/outbox.js';

const CHILD = fileURLToPath(new URL('./children/append-and-die.ts', import.meta.url));

test('events appended in the batching window survive kill -9, once, in order', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'hs-journal-'));
  const r = spawnSync(process.execPath, ['--conditions=source', '--import', 'tsx', CHILD, dir, '7'], { encoding: 'utf8' });
  assert.equal(r.signal, 'SIGKILL', `the child died by SIGKILL (stderr: ${r.stderr})`);
  const ids = JSON.parse(r.stdout.trim()) as string[];
  assert.equal(ids.length, 7);

  const outbox = await Outbox.open({ dir, nodeId: 'LVS_DEVEL@10.10.10.126' });
  try {
    await outbox.flush();
    const got: string[] = [];
    for (let rec = outbox.takeNext(); rec; rec = outbox.takeNext()) {
      got.push(rec.id);
      outbox.ack(rec);
    }
    assert.deepEqual(got, ids);
    assert.equal(outbox.status().replayed, 7);
  } finally {
    await outbox.close();
  }

  // Acked and reopened: nothing comes back a second time.
  const again = await Outbox.open({ dir, nodeId: 'LVS_DEVEL@10.10.10.126' });
  try {
    await again.flush();
    assert.equal(again.takeNext(), undefined);
  } finally {
    await again.close();
  }
});
