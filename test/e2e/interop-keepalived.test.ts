// Interop with the real keepalived (Debian 2.2.7) on one namespace LAN, both implementations running
// the tutorial's configs verbatim (VRRPv2, PASS auth) and a VRRPv3 variant (advert_int 0.1, no auth;
// keepalived 2.2.7 checksums v3/IPv4 with the pseudo-header, as vrrp-node does by default):
// elections, crash and graceful failover in both directions, preemption back, mutual hot standby
// with one VIP on each implementation. After every scenario keepalived's log must hold no complaint
// about our packets, and our node's counters no anomaly for keepalived's.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { createLab } from '../lab/lab.js';
import type { Capture, Lab } from '../lab/lab.js';
import { VrrpNodeProcess, tutorialConfig } from '../support/vrrp-node-process.js';
import { KeepalivedProcess } from '../support/keepalived-process.js';
import { failoverGap } from '../support/failover-gap.js';
import { keepalivedConf, vrrpInstance } from '../support/keepalived-conf.js';

const NODE1 = '10.10.10.126';
const NODE2 = '10.10.10.127';
const VIP1 = '10.10.10.129';
const VIP2 = '10.10.10.130';

// The counters that count a received packet rejected or distrusted (keepalived's names).
const ANOMALY_COUNTERS = ['ip_ttl_err', 'auth_failure', 'addr_list_err', 'packet_len_err', 'advert_interval_err', 'invalid_type_rcvd', 'invalid_authtype', 'authtype_mismatch', 'other_err'] as const;

async function hasVip(lab: Lab, node: string, vip: string): Promise<boolean> {
  return (await lab.addresses(node)).some((a) => a.address === vip);
}

async function waitVip(lab: Lab, node: string, vip: string, present: boolean, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if ((await hasVip(lab, node, vip)) === present) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  assert.fail(`${vip} ${present ? 'never appeared on' : 'never left'} ${node}`);
}

async function sleep(ms: number): Promise<void> {
  await new Promise((r) => setTimeout(r, ms));
}

function createTutorialLab(name: string): Promise<Lab> {
  return createLab({
    name,
    nodes: [
      { name: 'node1', addresses: [`${NODE1}/24`] },
      { name: 'node2', addresses: [`${NODE2}/24`] },
    ],
  });
}

function v3Config(role: 'master' | 'backup'): string {
  return keepalivedConf({
    routerId: role === 'master' ? 'hs_v3_master' : 'hs_v3_backup',
    global: ['vrrp_version 3'],
    blocks: [vrrpInstance({ name: 'VI_1', state: role === 'master' ? 'MASTER' : 'BACKUP', vrid: 51, priority: role === 'master' ? 100 : 99, advertInt: '0.1', vips: [VIP1] })],
  });
}

type Impl = 'keepalived' | 'vrrp-node';
type Reason = 'master-no-response' | 'priority-zero-received' | 'other';

/** One node of the pair, whichever implementation runs on it: the steps a scenario needs. */
interface Side {
  readonly impl: Impl;
  readonly node: string;
  readonly address: string;
  /** Starts (or restarts) the implementation; resolves once it runs, with the log position of its start. */
  start(): Promise<number>;
  /** A log position; waits look only after it. */
  mark(): number;
  /** Waits for `instance` to enter `state` after `since`; resolves with why (for MASTER). */
  waitState(instance: string, state: 'MASTER' | 'BACKUP', since: number, timeoutMs?: number): Promise<Reason>;
  /** The state the instance is in now, as the implementation reports it. */
  state(instance: string): Promise<string | undefined>;
  crash(): Promise<void>;
  /** Graceful stop; resolves with the exit code. */
  stop(): Promise<number | null>;
  /** Nothing this side received from the other was rejected or distrusted. */
  assertContent(): Promise<void>;
  dispose(): Promise<void>;
}

class KeepalivedSide implements Side {
  readonly impl = 'keepalived';
  readonly proc: KeepalivedProcess;
  constructor(
    lab: Lab,
    readonly node: string,
    readonly address: string,
    config: string,
  ) {
    this.proc = new KeepalivedProcess(lab, node, config);
  }
  async start(): Promise<number> {
    const since = this.proc.logs.length;
    this.proc.start();
    await this.proc.waitFor((l) => l.msg.startsWith('Startup complete'), 10_000, 'Startup complete', since);
    return since;
  }
  mark(): number {
    return this.proc.logs.length;
  }
  async waitState(instance: string, state: 'MASTER' | 'BACKUP', since: number, timeoutMs = 15_000): Promise<Reason> {
    const line = await this.proc.waitState(instance, state, timeoutMs, since);
    // keepalived says why just before the transition (with -D): the reason a user would grep for.
    const before = this.proc.logs.slice(since, this.proc.logs.indexOf(line)).map((l) => l.msg);
    if (before.some((m) => m.startsWith(`(${instance}) Backup received priority 0 advertisement`))) return 'priority-zero-received';
    if (before.some((m) => m.startsWith(`(${instance}) Receive advertisement timeout`))) return 'master-no-response';
    return 'other';
  }
  state(instance: string): Promise<string | undefined> {
    return Promise.resolve(this.proc.running ? this.proc.lastState(instance) : undefined);
  }
  crash(): Promise<void> {
    return this.proc.crash();
  }
  stop(): Promise<number | null> {
    return this.proc.stop();
  }
  assertContent(): Promise<void> {
    // In an executor, so a failed assertion is a rejection like the vrrp-node side's.
    return new Promise((resolve) => {
      assert.deepEqual(this.proc.complaints(), [], `keepalived on ${this.node} complained about packets it received`);
      resolve();
    });
  }
  dispose(): Promise<void> {
    return this.proc.dispose();
  }
}

class VrrpNodeSide implements Side {
  readonly impl = 'vrrp-node';
  /** Every process started on this node: a restart is a new process with a fresh run dir. */
  readonly procs: VrrpNodeProcess[] = [];
  constructor(
    private readonly lab: Lab,
    readonly node: string,
    readonly address: string,
    private readonly config: string,
  ) {}
  get proc(): VrrpNodeProcess {
    const p = this.procs.at(-1);
    if (p === undefined) throw new Error(`vrrp-node on ${this.node} was never started`);
    return p;
  }
  async start(): Promise<number> {
    const p = new VrrpNodeProcess(this.lab, this.node, this.config);
    this.procs.push(p);
    p.start();
    await p.waitFor((l) => l.msg === 'vrrp-node started', 20_000, 'vrrp-node started');
    return 0; // a new process, a new log
  }
  mark(): number {
    return this.proc.logs.length;
  }
  async waitState(instance: string, state: 'MASTER' | 'BACKUP', since: number, timeoutMs = 15_000): Promise<Reason> {
    const line = await this.proc.waitState(instance, state, timeoutMs, since);
    const reason = line['reason'];
    return reason === 'master-no-response' || reason === 'priority-zero-received' ? reason : 'other';
  }
  async state(instance: string): Promise<string | undefined> {
    const st = await this.proc.status();
    return st.instances.find((i) => i.name === instance)?.state;
  }
  crash(): Promise<void> {
    return this.proc.crash();
  }
  stop(): Promise<number | null> {
    return this.proc.stop();
  }
  async assertContent(): Promise<void> {
    for (const p of this.procs) {
      const logged = p.logs.filter((l) => l.msg.startsWith('anomaly ')).map((l) => JSON.stringify(l));
      assert.deepEqual(logged, [], `vrrp-node on ${this.node} logged anomalies`);
    }
    const p = this.proc;
    if (p.pid === undefined) return;
    let st;
    try {
      st = await p.status();
    } catch {
      return; // not running (crashed or stopped): its log lines were checked above
    }
    for (const inst of st.instances) {
      for (const c of ANOMALY_COUNTERS) assert.equal(inst.counters[c], 0, `vrrp-node ${inst.name} counter ${c}`);
    }
  }
  async dispose(): Promise<void> {
    for (const p of this.procs) {
      await p.stop();
      rmSync(dirname(p.configPath), { recursive: true, force: true });
    }
  }
}

function makeSide(lab: Lab, impl: Impl, node: string, address: string, config: string): Side {
  return impl === 'keepalived' ? new KeepalivedSide(lab, node, address, config) : new VrrpNodeSide(lab, node, address, config);
}

async function assertBothContent(...sides: Side[]): Promise<void> {
  for (const s of sides) await s.assertContent();
}

interface PairScenario {
  title: string;
  labName: string;
  /** Which implementation has the higher priority (the MASTER config). */
  master: Impl;
  config(role: 'master' | 'backup'): string;
  /** For the printed gaps: Master_Down_Interval and Skew_Time of the backup (priority 99), µs. */
  masterDownUs: number;
  skewUs: number;
}

/**
 * The tutorial's story with one node of each implementation: the MASTER config wins the election;
 * kill -9 of it → the other takes the VIP (Master_Down_Interval); restart → it preempts back;
 * SIGTERM → the other takes over at Skew_Time. Gaps come from a capture of the LAN and are printed.
 */
function describePair(s: PairScenario): void {
  describe(s.title, () => {
    let lab: Lab;
    let master: Side;
    let backup: Side;
    const other = (impl: Impl): Impl => (impl === 'keepalived' ? 'vrrp-node' : 'keepalived');

    before(async () => {
      lab = await createTutorialLab(s.labName);
      master = makeSide(lab, s.master, 'node1', NODE1, s.config('master'));
      backup = makeSide(lab, other(s.master), 'node2', NODE2, s.config('backup'));
    });
    after(async () => {
      await Promise.allSettled([backup?.dispose(), master?.dispose()]);
      await lab?.destroy();
    });

    async function capturedGap(cap: Capture, what: string): Promise<void> {
      await sleep(300);
      const gap = failoverGap(await cap.stop(), { vrid: 51, oldMaster: NODE1, newMaster: NODE2, vips: [VIP1] });
      assert.ok(gap, 'the takeover is visible in the capture');
      assert.ok(gap.toGarpUs !== undefined, `${backup.impl} sent a gratuitous ARP for the VIP`);
      const formula = what === 'crash' ? s.masterDownUs : s.skewUs;
      console.log(`# ${what} of ${master.impl} → ${backup.impl}: advert gap ${(gap.toAdvertUs / 1000).toFixed(3)} ms, first GARP ${(gap.toGarpUs / 1000).toFixed(3)} ms (RFC ${(formula / 1000).toFixed(3)} ms)`);
    }

    test(`election: ${s.master} (priority 100) is MASTER with the VIP, ${other(s.master)} (99) is BACKUP`, async () => {
      await master.waitState('VI_1', 'MASTER', await master.start());
      await backup.waitState('VI_1', 'BACKUP', await backup.start());
      await waitVip(lab, 'node1', VIP1, true);
      await sleep(2_500); // adverts flow; a backup that distrusted them would take over by now
      assert.equal(await backup.state('VI_1'), 'BACKUP', `${backup.impl} stays BACKUP`);
      assert.equal(await master.state('VI_1'), 'MASTER', `${master.impl} stays MASTER`);
      assert.equal(await hasVip(lab, 'node2', VIP1), false, 'the VIP is on one node only');
      await assertBothContent(master, backup);
    });

    test(`kill -9 of ${s.master}: ${other(s.master)} takes the VIP at Master_Down_Interval`, async () => {
      const cap = await lab.capture({ filter: 'ip proto 112 or arp' });
      await sleep(1_200); // at least one advert of the old master (1 s at VRRPv2) in the capture
      const since = backup.mark();
      await master.crash();
      assert.equal(await backup.waitState('VI_1', 'MASTER', since), 'master-no-response');
      await waitVip(lab, 'node2', VIP1, true);
      await capturedGap(cap, 'crash');
      await assertBothContent(master, backup);
    });

    test(`restart of ${s.master}: it preempts back, ${other(s.master)} returns to BACKUP and releases the VIP`, async () => {
      const since = backup.mark();
      await master.waitState('VI_1', 'MASTER', await master.start());
      await backup.waitState('VI_1', 'BACKUP', since);
      await waitVip(lab, 'node1', VIP1, true);
      await waitVip(lab, 'node2', VIP1, false);
      await sleep(1_000);
      await assertBothContent(master, backup);
    });

    test(`SIGTERM of ${s.master}: priority 0, ${other(s.master)} takes over at Skew_Time`, async () => {
      const cap = await lab.capture({ filter: 'ip proto 112 or arp' });
      await sleep(1_200); // at least one advert of the old master (1 s at VRRPv2) in the capture
      await assertBothContent(master, backup); // while both still run (our status socket answers)
      const since = backup.mark();
      assert.equal(await master.stop(), 0, `${master.impl} exits 0 on SIGTERM`);
      assert.equal(await backup.waitState('VI_1', 'MASTER', since, 5_000), 'priority-zero-received');
      await waitVip(lab, 'node2', VIP1, true);
      assert.equal(await hasVip(lab, 'node1', VIP1), false, `${master.impl} released the VIP`);
      await capturedGap(cap, 'graceful stop');
      await assertBothContent(master, backup);
    });
  });
}

const V2_MASTER_DOWN_US = 3 * 1_000_000 + ((256 - 99) * 1_000_000) / 256;
const V2_SKEW_US = ((256 - 99) * 1_000_000) / 256;
const V3_MASTER_DOWN_US = 3 * 100_000 + ((256 - 99) * 100_000) / 256;
const V3_SKEW_US = ((256 - 99) * 100_000) / 256;

describePair({ title: 'interop VRRPv2 + PASS (tutorial): keepalived MASTER, vrrp-node BACKUP', labName: 'ika2', master: 'keepalived', config: (r) => tutorialConfig(r), masterDownUs: V2_MASTER_DOWN_US, skewUs: V2_SKEW_US });
describePair({ title: 'interop VRRPv2 + PASS (tutorial): vrrp-node MASTER, keepalived BACKUP', labName: 'ino2', master: 'vrrp-node', config: (r) => tutorialConfig(r), masterDownUs: V2_MASTER_DOWN_US, skewUs: V2_SKEW_US });
describePair({ title: 'interop VRRPv3 at 100 ms: keepalived MASTER, vrrp-node BACKUP', labName: 'ika3', master: 'keepalived', config: v3Config, masterDownUs: V3_MASTER_DOWN_US, skewUs: V3_SKEW_US });
describePair({ title: 'interop VRRPv3 at 100 ms: vrrp-node MASTER, keepalived BACKUP', labName: 'ino3', master: 'vrrp-node', config: v3Config, masterDownUs: V3_MASTER_DOWN_US, skewUs: V3_SKEW_US });

async function eventually(check: () => Promise<boolean>, what: string, timeoutMs = 20_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (await check()) return;
    await sleep(100);
  }
  assert.fail(`never: ${what}`);
}

describe('interop: mutual hot standby, VI_1 mastered by keepalived, VI_2 by vrrp-node (tutorial configs)', () => {
  let lab: Lab;
  let ka: KeepalivedSide;
  let ours: VrrpNodeSide;

  before(async () => {
    lab = await createTutorialLab('imut');
    ka = new KeepalivedSide(lab, 'node1', NODE1, tutorialConfig('master', { mutual: true }));
    ours = new VrrpNodeSide(lab, 'node2', NODE2, tutorialConfig('backup', { mutual: true }));
  });
  after(async () => {
    await Promise.allSettled([ours?.dispose(), ka?.dispose()]);
    await lab?.destroy();
  });

  const where = async (vip: string): Promise<string[]> => {
    const on: string[] = [];
    for (const n of ['node1', 'node2']) if (await hasVip(lab, n, vip)) on.push(n);
    return on;
  };

  test('each implementation is master of one VIP and backup of the other', async () => {
    await ka.start();
    await ours.start();
    await eventually(
      async () =>
        (await ka.state('VI_1')) === 'MASTER' &&
        (await ka.state('VI_2')) === 'BACKUP' &&
        (await ours.state('VI_1')) === 'BACKUP' &&
        (await ours.state('VI_2')) === 'MASTER' &&
        (await where(VIP1)).join() === 'node1' &&
        (await where(VIP2)).join() === 'node2',
      'VI_1/10.10.10.129 on keepalived (node1) and VI_2/10.10.10.130 on vrrp-node (node2)',
    );
    await sleep(2_500);
    assert.equal(await ka.state('VI_2'), 'BACKUP', 'keepalived stays BACKUP of VI_2');
    assert.equal(await ours.state('VI_1'), 'BACKUP', 'vrrp-node stays BACKUP of VI_1');
    await assertBothContent(ka, ours);
  });

  test('kill -9 of keepalived: vrrp-node takes VI_1 as well', async () => {
    const since = ours.mark();
    await ka.crash();
    assert.equal(await ours.waitState('VI_1', 'MASTER', since), 'master-no-response');
    await waitVip(lab, 'node2', VIP1, true);
    assert.equal(await ours.state('VI_2'), 'MASTER');
    await assertBothContent(ka, ours);
  });

  test('restart of keepalived: VI_1 comes back to it, VI_2 stays on vrrp-node', async () => {
    const since = ours.mark();
    await ka.waitState('VI_1', 'MASTER', await ka.start());
    await ours.waitState('VI_1', 'BACKUP', since);
    await waitVip(lab, 'node2', VIP1, false);
    await eventually(async () => (await where(VIP1)).join() === 'node1' && (await where(VIP2)).join() === 'node2', 'one VIP on each node again');
    assert.equal(await ka.state('VI_2'), 'BACKUP');
    await sleep(1_500);
    await assertBothContent(ka, ours);
  });

  test('kill -9 of vrrp-node: keepalived takes VI_2 as well', async () => {
    await assertBothContent(ka, ours); // our status answers only while it runs
    const since = ka.mark();
    await ours.crash();
    assert.equal(await ka.waitState('VI_2', 'MASTER', since), 'master-no-response');
    await waitVip(lab, 'node1', VIP2, true);
    assert.equal(await ka.state('VI_1'), 'MASTER');
    await assertBothContent(ka, ours);
  });
});

// The checks above would pass vacuously if neither side could see a bad packet: this shows both do.
describe('interop checks are live: a wrong auth_pass is reported by both implementations', () => {
  let lab: Lab;
  let ka: KeepalivedSide;
  let ours: VrrpNodeSide;

  before(async () => {
    lab = await createTutorialLab('iauth');
    ka = new KeepalivedSide(lab, 'node1', NODE1, tutorialConfig('backup'));
    ours = new VrrpNodeSide(lab, 'node2', NODE2, tutorialConfig('master').replace('auth_pass 1234', 'auth_pass 9999'));
  });
  after(async () => {
    await Promise.allSettled([ours?.dispose(), ka?.dispose()]);
    await lab?.destroy();
  });

  test('keepalived logs "invalid passwd" for our adverts, vrrp-node counts auth_failure for keepalived', async () => {
    await ours.waitState('VI_1', 'MASTER', await ours.start());
    await ka.start();
    await ka.proc.waitFor((l) => /invalid passwd/.test(l.msg), 10_000, 'a complaint about the password');
    await assert.rejects(ka.assertContent(), /complained/);
    // keepalived rejects every advert, so it becomes MASTER too (split brain) and we hear its adverts.
    await ka.waitState('VI_1', 'MASTER', 0);
    await eventually(async () => ((await ours.proc.status()).instances[0]!.counters['auth_failure'] ?? 0) > 0, 'vrrp-node counts auth_failure', 5_000);
    await assert.rejects(ours.assertContent(), /anomal|auth_failure/);
  });
});
