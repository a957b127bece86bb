// Issue 5 proof, end to end in the namespace lab: the tutorial pair publishes to a real nats-server, a
// real vrrp-auditor (Postgres through its Unix socket) consumes the stream. The pair fails over twice
// (kill -9 of the master, restart, preempt back); the API and the CLI say who was MASTER before, between
// and after, to the millisecond of the transitions. Then a partition of the VRRP LAN (management path
// to NATS intact) makes two masters: exactly one split-brain alert, raised about a second after the
// second master appeared, in the API and on the alert stream; healing resolves it.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Lab } from '../lab/lab.js';
import type { VrrpNodeProcess } from '../support/vrrp-node-process.js';
import { PublishingPair } from '../support/publishing-pair.js';
import { LabAuditor, eventsOf } from '../support/lab-services.js';
import type { LabNats } from '../support/lab-services.js';
import type { StreamEvent } from '../support/lab-services.js';
import { createTestDatabase } from '../support/postgres.js';
import type { TestDatabase } from '../support/postgres.js';

interface ApiInterval {
  node: string;
  from: string;
  to: string | null;
}
interface ApiAlert {
  id: string;
  kind: string;
  state: string;
  vrid: number | null;
  nodes: string[];
  firstSeen: string | null;
  raisedAt: string | null;
  resolvedAt: string | null;
}

/** ISO-8601 with µs → µs since the epoch (exact: no float ms). */
function micros(iso: string): number {
  const m = /^(.*T\d\d:\d\d:\d\d)(?:\.(\d{1,6}))?Z$/.exec(iso);
  assert.ok(m, `not an ISO time: ${iso}`);
  return Date.parse(`${m[1]}Z`) * 1000 + Number((m[2] ?? '').padEnd(6, '0'));
}
function iso(us: number): string {
  return `${new Date(Math.floor(us / 1000)).toISOString().slice(0, 19)}.${String(us % 1_000_000).padStart(6, '0')}Z`;
}
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('pipeline: who was master when, and split brain, end to end', () => {
  let pair: PublishingPair;
  let lab: Lab;
  let nats: LabNats;
  let auditor: LabAuditor;
  let db: TestDatabase;
  let node1: VrrpNodeProcess;
  let node2: VrrpNodeProcess;
  let id1: string;
  let id2: string;

  before(async () => {
    db = await createTestDatabase('hs_pipe');
    pair = await PublishingPair.open('psb');
    ({ lab, nats, node1, node2 } = pair);
    auditor = await LabAuditor.start(lab, { natsUrl: nats.url, database: db });
  });
  after(async () => {
    try {
      await pair?.dispose(() => auditor?.stop() ?? Promise.resolve());
    } finally {
      await db?.drop();
    }
  });

  /** The auditor has stored every transition the stream holds. */
  async function transitionsIngested(): Promise<StreamEvent['event'][]> {
    const want = eventsOf(await nats.readStream('HOTSTANDBY_EVENTS')).filter((e) => e.event.kind === 'transition');
    for (let i = 0; i < 100; i++) {
      const r = await auditor.get<{ events: StreamEvent['event'][] }>('/api/v1/events?kind=transition&limit=1000');
      assert.equal(r.status, 200);
      if (r.body.events.length >= want.length) {
        assert.deepEqual(new Set(r.body.events.map((e) => e.id)), new Set(want.map((e) => e.event.id)));
        return r.body.events;
      }
      await sleep(200);
    }
    assert.fail(`the auditor did not ingest ${want.length} transitions`);
  }

  test('two failovers: API and CLI name the master before, between and after, to the millisecond', { timeout: 150_000 }, async () => {
    node1.start();
    node2.start();
    await node1.waitState('VI_1', 'MASTER', 20_000);
    await node2.waitState('VI_1', 'BACKUP', 20_000);
    id1 = (await node1.status()).nodeId;
    id2 = (await node2.status()).nodeId;
    for (let i = 0; i < 2; i++) {
      await sleep(2_500); // a heartbeat in between, as in real life
      let since2 = node2.logs.length;
      await node1.crash();
      await node2.waitState('VI_1', 'MASTER', 10_000, since2);
      const since1 = node1.logs.length;
      since2 = node2.logs.length;
      node1.start(); // same run dir: the crashed boot's outbox is replayed
      await node1.waitState('VI_1', 'MASTER', 20_000, since1);
      await node2.waitState('VI_1', 'BACKUP', 10_000, since2);
    }
    await sleep(1_000);
    const transitions = (await transitionsIngested()).filter((e) => e.to === 'MASTER' || e.from === 'MASTER');
    // The MASTER hand-overs, in time order: node1 (startup/preempt) and node2 (master-no-response).
    const becomes = transitions.filter((e) => e.to === 'MASTER').sort((a, b) => micros(a.at) - micros(b.at));
    // Both start BACKUP; whichever hears no advert first may be MASTER for a moment before node1
    // preempts. After that: node2 on each crash, node1 on each preempt.
    assert.deepEqual(
      becomes.slice(-5).map((e) => e.nodeId),
      [id1, id2, id1, id2, id1],
      'node1, then node2 after each crash, then node1 again after each preempt',
    );
    const history = (await auditor.get<{ intervals: (ApiInterval & { endReason: string | null })[] }>('/api/v1/history?vrid=51&from=2000-01-01T00:00:00Z')).body.intervals;
    const context = `transitions ${JSON.stringify(transitions.map((e) => [e.nodeId, e.from, e.to, e.reason, e.at]))}; intervals ${JSON.stringify(history.map((i) => [i.node, i.from, i.to, i.endReason]))}`;
    const mastersAt = async (us: number): Promise<string[]> => {
      const r = await auditor.get<{ masters: ApiInterval[] }>(`/api/v1/master?vrid=51&at=${encodeURIComponent(iso(us))}`);
      assert.equal(r.status, 200);
      return r.body.masters.map((m) => m.node);
    };
    const MS = 1_000;
    // Around each transition, to the millisecond (intervals are [from, to): the transition's own µs
    // belongs to what it started).
    for (const e of transitions as (StreamEvent['event'] & { from: string; to: string })[]) {
      const t = micros(e.at);
      const up = e.to === 'MASTER';
      assert.equal((await mastersAt(t - MS)).includes(e.nodeId), !up, `${e.nodeId} 1 ms before its ${e.from}→${e.to} at ${e.at}; ${context}`);
      assert.equal((await mastersAt(t)).includes(e.nodeId), up, `${e.nodeId} at its ${e.from}→${e.to} at ${e.at}; ${context}`);
      assert.equal((await mastersAt(t + MS)).includes(e.nodeId), up, `${e.nodeId} 1 ms after its ${e.from}→${e.to} at ${e.at}; ${context}`);
    }
    // Between the transitions: exactly one master, the one whose interval it is.
    for (const i of history.filter((h) => h.to !== null)) {
      const mid = Math.round((micros(i.from) + micros(i.to!)) / 2);
      assert.deepEqual(await mastersAt(mid), [i.node], `between ${i.from} and ${i.to}; ${context}`);
    }
    // A crash emits no transition: the crashed master's interval ends when it was last heard (closed
    // when its next boot is heard, or when it is declared lost), before its backup took over: within
    // Master_Down_Interval (3.61 s) plus one heartbeat period (2 s, the node's last sign of life).
    const crashEnded = history.filter((h) => h.endReason === 'node-restarted' || h.endReason === 'node-lost');
    assert.equal(crashEnded.length, 2, `two crashes; ${context}`);
    for (const c of crashEnded) {
      const successor = becomes.find((e) => micros(e.at) >= micros(c.to!));
      assert.ok(successor && successor.nodeId !== c.node && micros(successor.at) - micros(c.to!) < 6_200_000, `crash of ${c.node} at ${c.to}; ${context}`);
    }
    // Before anything, and now.
    assert.deepEqual(await mastersAt(micros(becomes[0]!.at) - MS), []);
    assert.deepEqual(await mastersAt(Date.now() * 1000), [id1]);
    // The CLI answers the same, as a table and as JSON.
    const takeover = becomes.at(-4)!; // node2 after the first crash
    const json = JSON.parse(await auditor.cli(['who', '--vrid', '51', '--at', iso(micros(takeover.at) + MS), '--json'])) as ApiInterval[];
    assert.deepEqual(
      json.map((m) => [m.node, micros(m.from)]),
      [[id2, micros(takeover.at)]],
    );
    const table = await auditor.cli(['who', '--vrid', '51', '--at', iso(micros(takeover.at) + MS)]);
    assert.ok(table.includes(id2) && table.includes(takeover.at), table);
    console.log(`# MASTER of VRID 51: ${becomes.map((e) => `${e.nodeId} from ${e.at}`).join('; ')}`);
  });

  test('a partition raises exactly one split-brain alert, about a second after the second master; heal resolves it', { timeout: 60_000 }, async () => {
    const before = (await auditor.get<{ alerts: ApiAlert[] }>('/api/v1/alerts?state=all')).body.alerts.filter((a) => a.kind === 'split-brain');
    const since2 = node2.logs.length;
    await lab.partition();
    const second = await node2.waitState('VI_1', 'MASTER', 10_000, since2);
    let alert: ApiAlert | undefined;
    for (let i = 0; i < 100 && !alert; i++) {
      const r = await auditor.get<{ alerts: ApiAlert[] }>('/api/v1/alerts?state=open');
      alert = r.body.alerts.find((a) => a.kind === 'split-brain' && !before.some((b) => b.id === a.id));
      if (!alert) await sleep(100);
    }
    assert.ok(alert, 'a split-brain alert is open');
    assert.deepEqual([...alert.nodes].sort(), [id1, id2].sort());
    assert.equal(alert.vrid, 51);
    const secondAt = micros(second.time.replace(/Z$/, '000Z'));
    const delayMs = (micros(alert.raisedAt!) - secondAt) / 1000;
    console.log(`# split brain raised ${delayMs.toFixed(0)} ms after the second master appeared (grace 600 ms)`);

    const sinceHeal = node2.logs.length;
    await lab.heal();
    await node2.waitState('VI_1', 'BACKUP', 10_000, sinceHeal);
    let resolved: ApiAlert | undefined;
    for (let i = 0; i < 100 && !resolved; i++) {
      const r = await auditor.get<{ alerts: ApiAlert[] }>('/api/v1/alerts?state=resolved');
      resolved = r.body.alerts.find((a) => a.id === alert.id);
      if (!resolved) await sleep(100);
    }
    assert.ok(resolved, 'healing resolves the alert');
    const all = (await auditor.get<{ alerts: ApiAlert[] }>('/api/v1/alerts?state=all')).body.alerts.filter((a) => a.kind === 'split-brain');
    assert.deepEqual(
      all.map((a) => a.id),
      [alert.id],
      'exactly one split-brain alert over the whole drill (the crash failovers raised none)',
    );
    // The alert stream: raised once, resolved once.
    await sleep(500);
    const published = (await nats.readStream('HOTSTANDBY_ALERTS')).filter((m) => m.subject.startsWith('hs.alert.split-brain.'));
    const states = published.map((m) => (JSON.parse(m.data) as { id: string; state: string }).state);
    assert.deepEqual(states, ['raised', 'resolved']);
  });
});
