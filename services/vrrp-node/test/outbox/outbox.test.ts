import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseEventJson } from '@hotstandby/events';
import type { GapEvent, HsEvent } from '@hotstandby/events';
import { Outbox } from '../../src/outbox/outbox.js';
import type { OutboxRecord } from '../../src/outbox/outbox.js';
import { nodeOutboxFiles } from '../../src/outbox/outbox-files.js';
import type { OutboxFiles } from '../../src/outbox/outbox-files.js';
import { heartbeatDraft, transitionDraft } from './drafts.js';

const NODE = 'LVS_DEVEL@node1';

async function withDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'hs-outbox-'));
  try {
    await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function decode(r: OutboxRecord): HsEvent {
  const p = parseEventJson(r.payload);
  assert.ok(p.ok, p.ok ? '' : p.reason);
  return p.value;
}

/** Takes and acks everything ready; returns the events in order. */
async function drainAll(outbox: Outbox): Promise<HsEvent[]> {
  await outbox.flush();
  const out: HsEvent[] = [];
  for (let r = outbox.takeNext(); r; r = outbox.takeNext()) {
    out.push(decode(r));
    outbox.ack(r);
  }
  return out;
}

describe('Outbox', () => {
  test('ids are nodeId.bootId.seq with seq from 0, gap-free; events are valid and in order', async () => {
    await withDir(async (dir) => {
      const outbox = await Outbox.open({ dir, nodeId: NODE });
      const ids = [0, 1, 2].map((n) => outbox.append(transitionDraft(n)));
      assert.deepEqual(ids, [0, 1, 2].map((s) => `${NODE}.${outbox.bootId}.${s}`));
      const events = await drainAll(outbox);
      assert.deepEqual(events.map((e) => e.seq), [0, 1, 2]);
      assert.equal(outbox.status().depth, 0);
      await outbox.close();
    });
  });

  test('nothing is handed to the publisher before it is on disk', async () => {
    await withDir(async (dir) => {
      const outbox = await Outbox.open({ dir, nodeId: NODE, flushIntervalMs: 50 });
      outbox.append(transitionDraft(0));
      assert.equal(outbox.takeNext(), undefined);
      await outbox.whenReadable();
      const r = outbox.takeNext();
      assert.ok(r);
      const onDisk = (await readdir(dir)).filter((f) => f.startsWith('seg-'));
      const text = await readFile(join(dir, onDisk[0]!), 'utf8');
      assert.ok(text.includes(r.id));
      await outbox.close();
    });
  });

  test('a restart replays unacked events with their old ids, and the new boot starts at seq 0 with a new bootId', async () => {
    await withDir(async (dir) => {
      const first = await Outbox.open({ dir, nodeId: NODE });
      for (let i = 0; i < 5; i++) first.append(transitionDraft(i));
      await first.flush();
      const r0 = first.takeNext()!;
      first.ack(r0);
      const r1 = first.takeNext()!;
      first.ack(r1);
      await first.close();

      const second = await Outbox.open({ dir, nodeId: NODE });
      assert.notEqual(second.bootId, first.bootId);
      second.append(transitionDraft(9));
      const events = await drainAll(second);
      assert.deepEqual(
        events.map((e) => `${e.bootId === first.bootId ? 'old' : 'new'}:${e.seq}`),
        ['old:2', 'old:3', 'old:4', 'new:0'],
      );
      assert.equal(second.status().replayed, 3);
      await second.close();
    });
  });

  test('acked segments are deleted (compaction) and not replayed', async () => {
    await withDir(async (dir) => {
      const outbox = await Outbox.open({ dir, nodeId: NODE, segmentBytes: 2000 });
      for (let i = 0; i < 50; i++) outbox.append(transitionDraft(i));
      await drainAll(outbox);
      for (let i = 0; i < 50; i++) outbox.append(transitionDraft(i));
      await outbox.flush();
      await outbox.close();
      const segs = (await readdir(dir)).filter((f) => f.startsWith('seg-'));
      assert.ok(segs.length <= 20, `${segs.length} segments left`);
      const again = await Outbox.open({ dir, nodeId: NODE });
      assert.equal(again.status().replayed, 50);
      await again.close();
    });
  });

  test('over the size cap the oldest unpublished events are dropped and reported in a gap event with exact counts', async () => {
    await withDir(async (dir) => {
      const outbox = await Outbox.open({ dir, nodeId: NODE, maxBytes: 20_000 });
      const appended = 300;
      for (let i = 0; i < appended; i++) outbox.append(i % 3 === 0 ? heartbeatDraft() : transitionDraft(i));
      const events = await drainAll(outbox);
      const gaps = events.filter((e): e is GapEvent => e.kind === 'gap');
      assert.ok(gaps.length >= 1);
      // Every seq is either delivered or reported lost by exactly one delivered gap event (a gap event that
      // was itself dropped had its report carried into a later one).
      const lostSeqs = new Map<number, number>();
      for (const g of gaps) for (const r of g.ranges) for (let s = r.fromSeq; s <= r.toSeq; s++) lostSeqs.set(s, (lostSeqs.get(s) ?? 0) + 1);
      const deliveredSeqs = new Set(events.map((e) => e.seq));
      const total = outbox.status().nextSeq;
      for (let s = 0; s < total; s++) {
        assert.equal((deliveredSeqs.has(s) ? 1 : 0) + (lostSeqs.get(s) ?? 0), 1, `seq ${s} must be delivered or reported lost, once`);
      }
      assert.equal(gaps.reduce((n, g) => n + g.lost, 0), lostSeqs.size);
      const lostTransitions = gaps.reduce((n, g) => n + g.lostByKind.transition + g.lostByKind.heartbeat, 0);
      assert.equal(events.filter((e) => e.kind !== 'gap').length + lostTransitions, appended);
      assert.equal(outbox.status().lost, total - events.length);
      await outbox.close();
    });
  });

  test('records dropped for the size cap stay dropped after a restart', async () => {
    await withDir(async (dir) => {
      const first = await Outbox.open({ dir, nodeId: NODE, maxBytes: 10_000 });
      for (let i = 0; i < 100; i++) first.append(transitionDraft(i));
      await first.close();
      const lostBefore = first.status().lost;
      assert.ok(lostBefore > 0);
      const second = await Outbox.open({ dir, nodeId: NODE, maxBytes: 10_000 });
      const events = await drainAll(second);
      const gaps = events.filter((e): e is GapEvent => e.kind === 'gap');
      const replayedTransitions = events.filter((e) => e.kind === 'transition').length;
      assert.equal(replayedTransitions + gaps.reduce((n, g) => n + g.lostByKind.transition, 0), 100);
      await second.close();
    });
  });

  test('a damaged record is reported as a corrupt-record gap, the rest replay', async () => {
    await withDir(async (dir) => {
      const first = await Outbox.open({ dir, nodeId: NODE });
      for (let i = 0; i < 3; i++) first.append(transitionDraft(i));
      await first.close();
      const seg = (await readdir(dir)).find((f) => f.startsWith('seg-'))!;
      const lines = (await readFile(join(dir, seg), 'utf8')).split('\n');
      lines[1] = lines[1]!.replace('MASTER', 'MASTEX');
      await writeFile(join(dir, seg), lines.join('\n'));
      const second = await Outbox.open({ dir, nodeId: NODE });
      const events = await drainAll(second);
      assert.deepEqual(events.map((e) => e.kind), ['transition', 'transition', 'gap']);
      const gap = events[2] as GapEvent;
      assert.equal(gap.cause, 'corrupt-record');
      assert.equal(gap.lost, 1);
      await second.close();
    });
  });

  test('a torn last line (killed mid-write) is not replayed and not reported as a loss', async () => {
    await withDir(async (dir) => {
      const first = await Outbox.open({ dir, nodeId: NODE });
      first.append(transitionDraft(0));
      await first.close();
      const seg = (await readdir(dir)).find((f) => f.startsWith('seg-'))!;
      await writeFile(join(dir, seg), (await readFile(join(dir, seg), 'utf8')) + '1234abcd {"id":"half');
      const second = await Outbox.open({ dir, nodeId: NODE });
      const events = await drainAll(second);
      assert.deepEqual(events.map((e) => e.kind), ['transition']);
      await second.close();
    });
  });

  test('a full disk never throws into append: events go on in memory, counted, and the disk is retried', async () => {
    await withDir(async (dir) => {
      let full = false;
      const errors: string[] = [];
      const files: OutboxFiles = {
        ...nodeOutboxFiles,
        async openAppend(path) {
          const h = await nodeOutboxFiles.openAppend(path);
          return {
            write: async (data) => {
              if (full) throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
              await h.write(data);
            },
            datasync: () => h.datasync(),
            close: () => h.close(),
          };
        },
      };
      const outbox = await Outbox.open({ dir, nodeId: NODE, files, diskRetryMs: 0, onError: (e) => errors.push(e.message) });
      outbox.append(transitionDraft(0));
      await outbox.flush();
      full = true;
      for (let i = 1; i <= 3; i++) outbox.append(transitionDraft(i));
      await outbox.flush();
      assert.equal(outbox.status().durability, 'memory');
      assert.equal(outbox.status().unpersisted, 3);
      assert.match(errors.join('\n'), /ENOSPC/);
      full = false;
      outbox.append(transitionDraft(4));
      const events = await drainAll(outbox);
      assert.deepEqual(events.map((e) => e.seq), [0, 1, 2, 3, 4]);
      assert.equal(outbox.status().durability, 'disk');
      await outbox.close();
    });
  });

  test('an unwritable directory starts in memory mode instead of failing start-up', async () => {
    await withDir(async (dir) => {
      await writeFile(join(dir, 'file'), 'x');
      const outbox = await Outbox.open({ dir: join(dir, 'file', 'outbox'), nodeId: NODE, onError: () => undefined });
      outbox.append(transitionDraft(0));
      const events = await drainAll(outbox);
      assert.equal(events.length, 1);
      assert.equal(outbox.status().durability, 'memory');
      await outbox.close();
    });
  });
});
