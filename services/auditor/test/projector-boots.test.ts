// The projector and node restarts (boots), pure: events in, mastership intervals out.
//
// The rule under test (project/projector.ts, ordering rules): per node, events are ordered by
// (boot, seq). A new boot closes what the old one held when it was last heard — a crash emits no
// transition. Events of the PREVIOUS boot that arrive after the new boot's first one (the old outbox
// drained late) still count for that boot's own history: its intervals end at its own transitions, or
// else when it was last heard, and never after the new boot's first event (a crash ends mastership at
// the latest when the node restarts). They never touch the new boot's intervals, the node's liveness or
// the detectors. So late and on-time arrival of the same events give the same intervals.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { HsEvent } from '@hotstandby/events';
import { DEFAULT_DETECT_CONFIG } from '../src/detect/config.js';
import { emptyFleet } from '../src/detect/fleet.js';
import { Projector } from '../src/project/projector.js';
import type { Change } from '../src/project/projector.js';
import { FakeNode, T0 } from './support/events.js';

const BOOT_A = '0192f0a0b0c0aabbccdd';
const BOOT_B = '0192f0a0b9c0aabbccdd';
const BOOT_C = '0192f0a0c9c0aabbccdd';
/** Heartbeats every 100 s: nobody is declared lost in these short stories. */
const PERIOD_MS = 100_000;

/** The mastership table a run of changes leaves behind (what store.ts writes), one line per row. */
function table(changes: readonly Change[]): string[] {
  interface Row { node: string; vrid: number; from: number; to: number | null; why: string; end: string | null; start: string; endId: string | null }
  const rows: Row[] = [];
  for (const c of changes) {
    if (c.type === 'open' || c.type === 'past') {
      const i = c.interval;
      rows.push({ node: i.nodeId, vrid: i.vrid, from: i.fromAt, to: c.type === 'past' ? c.toAt : null, why: i.startReason, end: c.type === 'past' ? c.endReason : null, start: i.startEventId, endId: c.type === 'past' ? c.endEventId : null });
    } else if (c.type === 'close') {
      const r = rows.find((x) => x.node === c.nodeId && x.vrid === c.vrid && x.to === null);
      assert.ok(r, `close of an interval that is not open: ${JSON.stringify(c)}`);
      Object.assign(r, { to: c.toAt, end: c.endReason, endId: c.endEventId });
    } else if (c.type === 'reclose') {
      const r = rows.find((x) => x.node === c.nodeId && x.vrid === c.vrid && x.start === c.startEventId);
      assert.ok(r && r.to !== null, `re-close of an interval that is not closed: ${JSON.stringify(c)}`);
      Object.assign(r, { to: c.toAt, end: c.endReason, endId: c.endEventId });
    }
  }
  const s = (us: number) => ((us - T0) / 1e6).toString();
  return rows
    .sort((a, b) => a.from - b.from || a.node.localeCompare(b.node))
    .map((r) => `${r.node} VRID ${r.vrid} [${s(r.from)}, ${r.to === null ? 'open' : s(r.to)}) ${r.why} / ${r.end ?? '-'} (ended by ${r.endId ?? '-'})`);
}

function run(events: readonly HsEvent[]): { p: Projector; changes: Change[] } {
  const p = new Projector(emptyFleet(), DEFAULT_DETECT_CONFIG);
  const changes: Change[] = [];
  for (const e of events) changes.push(...p.apply(e));
  return { p, changes };
}

const hb = (n: FakeNode, t: number, state: 'MASTER' | 'BACKUP') => n.heartbeat(t, [{ state }], PERIOD_MS);

/** node1 is MASTER in boot A and crashes; node2 takes over; node1 comes back as boot B, BACKUP. */
function crashStory() {
  const n1 = new FakeNode('node1', BOOT_A);
  const n2 = new FakeNode('node2', BOOT_A);
  const early = [n1.transition(0, 'INIT', 'MASTER', { reason: 'startup' }), n2.transition(0.01, 'INIT', 'BACKUP', { reason: 'startup' }), hb(n1, 1, 'MASTER'), hb(n2, 1, 'BACKUP')];
  // The last things node1's boot A said before it crashed: its outbox may drain them late.
  const tail = [hb(n1, 2, 'MASTER'), hb(n1, 3, 'MASTER')];
  const takeover = [n2.transition(6.6, 'BACKUP', 'MASTER', { reason: 'master-no-response' })];
  n1.reboot(BOOT_B);
  const reboot = [n1.transition(10, 'INIT', 'BACKUP', { reason: 'startup' }), hb(n1, 11, 'BACKUP')];
  return { n1, n2, early, tail, takeover, reboot };
}

describe('projector: a node restarts (new boot)', () => {
  test('on time: the old boot held mastership until it was last heard, ended by the new boot', () => {
    const s = crashStory();
    const { changes } = run([...s.early, ...s.tail, ...s.takeover, ...s.reboot]);
    assert.deepEqual(table(changes), [
      `node1 VRID 51 [0, 3) startup / node-restarted (ended by ${s.reboot[0]!.id})`,
      'node2 VRID 51 [6.6, open) master-no-response / - (ended by -)',
    ]);
  });

  test('late: the old boot\'s tail after the new boot\'s first event gives the same intervals as on time', () => {
    const s = crashStory();
    const onTime = run([...s.early, ...s.tail, ...s.takeover, ...s.reboot]);
    const late = run([...s.early, ...s.takeover, ...s.reboot, ...s.tail]);
    assert.deepEqual(table(late.changes), table(onTime.changes));
  });

  test('late: every tail event arriving after the restart moves the end, never the new boot\'s state', () => {
    const s = crashStory();
    const { p, changes } = run([...s.early, ...s.takeover, ...s.reboot]);
    p.touchedNodes.clear(); // (what writeLiveness does after each batch)
    assert.deepEqual(table(changes)[0], `node1 VRID 51 [0, 1) startup / node-restarted (ended by ${s.reboot[0]!.id})`);
    const first = p.apply(s.tail[0]!);
    assert.deepEqual(first.map((c) => c.type === 'reclose' && [c.nodeId, (c.toAt - T0) / 1e6, c.endReason]), [['node1', 2, 'node-restarted']]);
    p.apply(s.tail[1]!);
    // The node is still in boot B at its seq, BACKUP, not lost; node2 is the only live master.
    const node = p.view.nodes.get('node1')!;
    assert.deepEqual([node.bootId, node.lastSeq, node.lost, node.lastEventId], [BOOT_B, 2, false, s.reboot[1]!.id]);
    assert.deepEqual([...(p.view.masters.get('51|10.10.10.0/24')?.keys() ?? [])], ['node2']);
    // Late events are not liveness news: nothing to write for node1.
    assert.equal(p.touchedNodes.has('node1'), false);
  });

  test('late: a transition of the old boot ends its interval there, with its own reason', () => {
    const n1 = new FakeNode('node1', BOOT_A);
    const a = [n1.transition(0, 'INIT', 'MASTER', { reason: 'startup' }), hb(n1, 1, 'MASTER')];
    const release = n1.transition(2.5, 'MASTER', 'BACKUP', { reason: 'shutdown' });
    n1.reboot(BOOT_B);
    const b = [n1.transition(10, 'INIT', 'MASTER', { reason: 'startup' })];
    const onTime = run([...a, release, ...b]);
    const late = run([...a, ...b, release]);
    assert.deepEqual(table(late.changes), table(onTime.changes));
    assert.deepEqual(table(late.changes), [
      `node1 VRID 51 [0, 2.5) startup / shutdown (ended by ${release.id})`,
      'node1 VRID 51 [10, open) startup / - (ended by -)', // the new boot's interval is untouched
    ]);
  });

  test('late: mastership the auditor never saw (the old boot became MASTER just before it crashed) is added, closed', () => {
    const n1 = new FakeNode('node1', BOOT_A);
    const a = [n1.transition(0, 'INIT', 'BACKUP', { reason: 'startup' }), hb(n1, 1, 'BACKUP')];
    const lateTail = [n1.transition(4, 'BACKUP', 'MASTER', { reason: 'master-no-response' }), hb(n1, 5, 'MASTER')];
    n1.reboot(BOOT_B);
    const b = [n1.transition(10, 'INIT', 'BACKUP', { reason: 'startup' })];
    const late = run([...a, ...b, ...lateTail]);
    assert.deepEqual(table(late.changes), [`node1 VRID 51 [4, 5) master-no-response / node-restarted (ended by ${b[0]!.id})`]);
    assert.deepEqual(table(late.changes), table(run([...a, ...lateTail, ...b]).changes));
    assert.equal(late.changes.some((c) => c.type === 'open' || c.type === 'alert'), false); // nothing live
  });

  test('the new boot\'s first event bounds the old boot, even when the old boot\'s clock ran ahead of it', () => {
    // An interval the old boot stamped after the new boot's first event is empty ([13, 13)): no "master
    // at T" answer includes it.
    const n1 = new FakeNode('node1', BOOT_A);
    const a = [n1.transition(0, 'INIT', 'MASTER', { reason: 'startup' })];
    const ahead = [hb(n1, 12, 'MASTER'), n1.transition(13, 'BACKUP', 'MASTER', { reason: 'master-no-response', vrid: 52 })];
    n1.reboot(BOOT_B);
    const b = [n1.transition(10, 'INIT', 'BACKUP', { reason: 'startup' })];
    const late = run([...a, ...b, ...ahead]);
    assert.deepEqual(table(late.changes), [
      `node1 VRID 51 [0, 10) startup / node-restarted (ended by ${b[0]!.id})`,
      `node1 VRID 52 [13, 13) master-no-response / node-restarted (ended by ${b[0]!.id})`,
    ]);
    assert.deepEqual(table(late.changes), table(run([...a, ...ahead, ...b]).changes));
  });

  test('late events of a boot older than the previous one are stored only', () => {
    const n1 = new FakeNode('node1', BOOT_A);
    const a = [n1.transition(0, 'INIT', 'MASTER', { reason: 'startup' })];
    const aLate = hb(n1, 1, 'MASTER');
    n1.reboot(BOOT_B);
    const b = [n1.transition(10, 'INIT', 'BACKUP', { reason: 'startup' })];
    n1.reboot(BOOT_C);
    const c = [n1.transition(20, 'INIT', 'BACKUP', { reason: 'startup' })];
    const { p } = run([...a, ...b, ...c]);
    assert.deepEqual(p.apply(aLate), []);
  });

  test('a boot never heard before, arriving entirely late, is the previous boot', () => {
    const n1 = new FakeNode('node1', BOOT_A);
    const a = [n1.transition(0, 'INIT', 'MASTER', { reason: 'startup' }), hb(n1, 1, 'MASTER')];
    n1.reboot(BOOT_B);
    const b = [n1.transition(10, 'INIT', 'BACKUP', { reason: 'startup' })];
    const late = run([...b, ...a]);
    assert.deepEqual(table(late.changes), [`node1 VRID 51 [0, 1) startup / node-restarted (ended by ${b[0]!.id})`]);
  });
});
