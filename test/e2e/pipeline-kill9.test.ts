// Issue 4 proof, kill -9 while publishing: node2 of the tutorial pair is killed with SIGKILL the moment
// it logs a transition (no settle delay, so the event is at best just appended to its outbox), three
// times, and restarted on the same run dir each time. After NATS has drained, the stream holds every
// transition node2 logged, exactly once, in order, with every boot's seqs gap-free from 0.
//
// This drill found that the "Entering X STATE" line used to be written before the event reached the
// outbox journal (1–3 of 5 kills lost the logged transition); the daemon now journals first.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Lab } from '../lab/lab.js';
import type { VrrpNodeProcess } from '../support/vrrp-node-process.js';
import { loggedTransitions, waitDrained } from '../support/vrrp-node-process.js';
import { PublishingPair } from '../support/publishing-pair.js';
import type { LabNats } from '../support/lab-services.js';
import { assertExactlyOnceInOrder, eventsOf } from '../support/lab-services.js';

const KILLS = 3;



describe('pipeline: kill -9 right after a transition loses and doubles nothing', () => {
  let pair: PublishingPair;
  let lab: Lab;
  let nats: LabNats;
  let node1: VrrpNodeProcess;
  let node2: VrrpNodeProcess;

  before(async () => {
    pair = await PublishingPair.open('pk9');
    ({ lab, nats, node1, node2 } = pair);
  });
  after(() => pair?.dispose());

  test(`${KILLS} kills of node2 right after it logs a transition: every logged transition is in the stream once`, { timeout: 180_000 }, async () => {
    await pair.startSettled();
    const id2 = (await node2.status()).nodeId;

    for (let i = 0; i < KILLS; i++) {
      // Partition: node2 stops hearing node1 and takes over. Kill it the instant the line is read.
      let since2 = node2.logs.length;
      await lab.partition();
      await node2.waitState('VI_1', 'MASTER', 10_000, since2);
      await node2.crash();
      // Restart on the same run dir (the outbox and journal replay), still partitioned: BACKUP, then
      // MASTER again after master_down_interval. Heal: node1 (priority 100) wins, node2 goes BACKUP —
      // on alternate rounds kill it the instant that transition is logged, too.
      since2 = node2.logs.length;
      node2.start();
      await node2.waitState('VI_1', 'MASTER', 15_000, since2);
      since2 = node2.logs.length;
      await lab.heal();
      await node2.waitState('VI_1', 'BACKUP', 10_000, since2);
      if (i % 2 === 0) {
        await node2.crash();
        since2 = node2.logs.length;
        node2.start();
        await node2.waitState('VI_1', 'BACKUP', 15_000, since2);
      }
    }
    await waitDrained(node1);
    await waitDrained(node2);

    const events = eventsOf(await nats.readStream('HOTSTANDBY_EVENTS'));
    const mine = assertExactlyOnceInOrder(events, id2);
    const streamed = mine
      .filter((e) => e.event.kind === 'transition')
      .map((e) => {
        const t = e.event as unknown as { from: string; to: string; reason: string };
        return { from: t.from, to: t.to, reason: t.reason };
      });
    const logged = loggedTransitions(node2.logs);
    const boots = new Set(mine.map((e) => e.event.bootId)).size;
    console.log(`# node2: ${logged.length} transitions logged over ${boots} boots (${KILLS + Math.ceil(KILLS / 2)} kill -9); stream holds ${mine.length} node2 events, ${streamed.length} transitions`);
    const short = (t: { from: string; to: string }): string => `${t.from[0]!}>${t.to[0]!}`;
    console.log(`# logged:   ${logged.map(short).join(' ')}`);
    console.log(`# streamed: ${mine.filter((e) => e.event.kind === 'transition').map((e) => `${short(e.event as unknown as { from: string; to: string })}@${e.event.bootId.slice(-4)}.${e.event.seq}`).join(' ')}`);
    assert.deepEqual(streamed, logged, `${id2}: the stream's transitions are the ones node2 logged`);
    assert.equal(boots, 1 + KILLS + Math.ceil(KILLS / 2), 'every boot published');
  });
});
