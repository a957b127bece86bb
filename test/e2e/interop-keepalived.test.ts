// Interop with the real keepalived (Debian 2.2.7) on one namespace LAN, both implementations running
// the tutorial's configs verbatim (VRRPv2, PASS auth) and a VRRPv3 variant (advert_int 0.1, no auth;
// keepalived 2.2.7 checksums v3/IPv4 with the pseudo-header, as vrrp-node does by default):
// elections, crash and graceful failover in both directions, preemption back, mutual hot standby
// with one VIP on each implementation. After every scenario keepalived's log must hold no complaint
// about our packets, and our node's counters no anomaly for keepalived's.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createLab } from '../lab/lab.js';
import type { Lab } from '../lab/lab.js';
import { VrrpNodeProcess, tutorialConfig } from '../support/vrrp-node-process.js';
import { KeepalivedProcess } from '../support/keepalived-process.js';
import { failoverGap } from '../support/failover-gap.js';

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

/** keepalived said nothing bad about what it received. */
function assertKeepalivedContent(ka: KeepalivedProcess): void {
  assert.deepEqual(ka.complaints(), [], `keepalived on ${ka.node} complained about received packets`);
}

/** Our node counted no anomaly and logged none (it heard keepalived's adverts while running). */
async function assertNodeContent(node: VrrpNodeProcess): Promise<void> {
  const logged = node.logs.filter((l) => l.msg.startsWith('anomaly '));
  assert.deepEqual(logged, [], `vrrp-node on ${node.node} logged anomalies`);
  const st = await node.status();
  for (const inst of st.instances) {
    for (const c of ANOMALY_COUNTERS) assert.equal(inst.counters[c], 0, `${inst.name} ${c}`);
  }
}

/** Counters from a node's log, for a node that is no longer running (its status socket is gone). */
function assertNodeLogContent(node: VrrpNodeProcess): void {
  const logged = node.logs.filter((l) => l.msg.startsWith('anomaly '));
  assert.deepEqual(logged, [], `vrrp-node on ${node.node} logged anomalies`);
}

function v3Config(state: 'MASTER' | 'BACKUP', priority: number): string {
  return `global_defs {
    vrrp_version 3
}
vrrp_instance VI_1 {
    state ${state}
    interface eth0
    virtual_router_id 51
    priority ${priority}
    advert_int 0.1
    virtual_ipaddress {
        ${VIP1}
    }
}
`;
}

describe('interop: keepalived MASTER (100), vrrp-node BACKUP (99), tutorial VRRPv2 + PASS', () => {
  let lab: Lab;
  let ka: KeepalivedProcess;
  let ours: VrrpNodeProcess;

  before(async () => {
    lab = await createTutorialLab('ika');
    ka = new KeepalivedProcess(lab, 'node1', tutorialConfig('master'));
    ours = new VrrpNodeProcess(lab, 'node2', tutorialConfig('backup'));
  });
  after(async () => {
    await ours?.stop();
    await ka?.dispose();
    await lab?.destroy();
  });

  test('election: keepalived is MASTER and holds the VIP, vrrp-node is BACKUP and hears it', async () => {
    ka.start();
    ours.start();
    await ka.waitState('VI_1', 'MASTER');
    await ours.waitState('VI_1', 'BACKUP');
    await waitVip(lab, 'node1', VIP1, true);
    await sleep(2_500); // a few adverts each way
    assert.equal(await hasVip(lab, 'node2', VIP1), false);
    const st = await ours.status();
    assert.equal(st.instances[0]!.state, 'BACKUP');
    assert.equal(st.instances[0]!.masterAddress, NODE1);
    assert.ok(st.instances[0]!.counters['advert_rcvd']! >= 2, 'vrrp-node accepts keepalived adverts');
    assert.equal(ka.lastState('VI_1'), 'MASTER', 'keepalived stays MASTER');
    assertKeepalivedContent(ka);
    await assertNodeContent(ours);
  });

  test('keepalived crashes (VRRP child kill -9): vrrp-node takes the VIP at Master_Down_Interval', async () => {
    const cap = await lab.capture({ filter: 'ip proto 112 or arp' });
    await sleep(1_200);
    const since = ours.logs.length;
    await ka.crash();
    const line = await ours.waitState('VI_1', 'MASTER', 10_000, since);
    assert.equal(line['reason'], 'master-no-response');
    await waitVip(lab, 'node2', VIP1, true);
    await sleep(300);
    const gap = failoverGap(await cap.stop(), { vrid: 51, oldMaster: NODE1, newMaster: NODE2, vips: [VIP1] });
    assert.ok(gap, 'takeover visible in the capture');
    assert.ok(gap.toGarpUs !== undefined, 'vrrp-node sent a gratuitous ARP for the VIP');
    console.log(`# keepalived crash → vrrp-node: advert gap ${(gap.toAdvertUs / 1000).toFixed(3)} ms, first GARP ${(gap.toGarpUs / 1000).toFixed(3)} ms`);
    await assertNodeContent(ours);
  });

  test('keepalived restarts: it drops its stale VIP and preempts back; vrrp-node releases the VIP', async () => {
    const kaSince = ka.logs.length;
    const since = ours.logs.length;
    ka.start();
    await ka.waitState('VI_1', 'MASTER', 10_000, kaSince);
    await ours.waitState('VI_1', 'BACKUP', 10_000, since);
    await waitVip(lab, 'node1', VIP1, true);
    await waitVip(lab, 'node2', VIP1, false);
    await sleep(1_500);
    assertKeepalivedContent(ka);
    await assertNodeContent(ours);
  });

  test('keepalived stops gracefully (SIGTERM): priority 0, vrrp-node takes over at Skew_Time', async () => {
    const cap = await lab.capture({ filter: 'ip proto 112 or arp' });
    await sleep(1_200);
    const since = ours.logs.length;
    const code = await ka.stop();
    assert.equal(code, 0, 'keepalived exits 0 on SIGTERM');
    const line = await ours.waitState('VI_1', 'MASTER', 5_000, since);
    assert.equal(line['reason'], 'priority-zero-received');
    await waitVip(lab, 'node2', VIP1, true);
    assert.equal(await hasVip(lab, 'node1', VIP1), false, 'keepalived released the VIP');
    await sleep(300);
    const gap = failoverGap(await cap.stop(), { vrid: 51, oldMaster: NODE1, newMaster: NODE2, vips: [VIP1] });
    assert.ok(gap, 'takeover visible in the capture');
    console.log(`# keepalived SIGTERM → vrrp-node: advert gap ${(gap.toAdvertUs / 1000).toFixed(3)} ms`);
    assertKeepalivedContent(ka);
    await assertNodeContent(ours);
  });
});
