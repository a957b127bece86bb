// The tutorial's two-node hot standby, configs verbatim, with real vrrp-node processes on a
// namespace LAN: VIP on the master; kill -9 → the backup takes the VIP at Master_Down_Interval;
// restart → preempted back; SIGTERM → takeover at Skew_Time. Gaps are measured from a capture of the
// LAN and printed (benchmarks compare them; tests assert behaviour, not timing).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createLab } from '../lab/lab.js';
import type { Lab } from '../lab/lab.js';
import { VrrpNodeProcess, tutorialConfig } from '../support/vrrp-node-process.js';
import { failoverGap } from '../support/failover-gap.js';

const VIP = '10.10.10.129';
const MASTER_DOWN_US = 3 * 1_000_000 + ((256 - 99) * 1_000_000) / 256; // 3.61328125 s
const SKEW_US = ((256 - 99) * 1_000_000) / 256; // 0.61328125 s

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

describe('tutorial: two-node hot standby (VI_1, VIP 10.10.10.129)', () => {
  let lab: Lab;
  let master: VrrpNodeProcess;
  let backup: VrrpNodeProcess;

  before(async () => {
    lab = await createLab({
      name: 'tut',
      nodes: [
        { name: 'node1', addresses: ['10.10.10.126/24'] },
        { name: 'node2', addresses: ['10.10.10.127/24'] },
      ],
    });
    master = new VrrpNodeProcess(lab, 'node1', tutorialConfig('master'));
    backup = new VrrpNodeProcess(lab, 'node2', tutorialConfig('backup'));
  });
  after(async () => {
    await master?.stop();
    await backup?.stop();
    await lab?.destroy();
  });

  test('the config is accepted by -t, as keepalived -t would', async () => {
    const r = await lab.exec('node1', [process.execPath, '--conditions=source', '--import', 'tsx', new URL('../../services/vrrp-node/src/cli/run.ts', import.meta.url).pathname, '-t', '-f', master.configPath]);
    assert.match(r.stderr, /configuration OK/);
  });

  test('the MASTER node takes the VIP; the BACKUP node does not', async () => {
    master.start();
    backup.start();
    await master.waitState('VI_1', 'MASTER');
    await backup.waitState('VI_1', 'BACKUP');
    await waitVip(lab, 'node1', VIP, true);
    assert.equal(await hasVip(lab, 'node2', VIP), false);
    const st = await backup.status();
    assert.equal(st.instances[0]!.state, 'BACKUP');
    assert.equal(st.instances[0]!.masterAddress, '10.10.10.126');
    assert.ok(st.instances[0]!.counters.advert_rcvd! > 0, 'the backup hears the master');
    assert.equal(st.instances[0]!.counters.auth_failure, 0);
  });

  test('kill -9 of the master: the backup takes over at Master_Down_Interval', async () => {
    const cap = await lab.capture({ filter: 'ip proto 112 or arp' });
    await new Promise((r) => setTimeout(r, 1500));
    const since = backup.logs.length;
    await master.crash();
    const line = await backup.waitState('VI_1', 'MASTER', 10_000, since);
    assert.equal(line.reason, 'master-no-response');
    await waitVip(lab, 'node2', VIP, true);
    await new Promise((r) => setTimeout(r, 300));
    const gap = failoverGap(await cap.stop(), { vrid: 51, oldMaster: '10.10.10.126', newMaster: '10.10.10.127', vips: [VIP] });
    assert.ok(gap, 'takeover visible in the capture');
    assert.ok(gap.toGarpUs !== undefined, 'a gratuitous ARP for the VIP followed');
    console.log(`# crash failover: advert gap ${(gap.toAdvertUs / 1000).toFixed(3)} ms, to first GARP ${(gap.toGarpUs / 1000).toFixed(3)} ms (RFC ${(MASTER_DOWN_US / 1000).toFixed(3)} ms)`);
    const st = await backup.status();
    assert.equal(st.instances[0]!.state, 'MASTER');
    assert.ok(st.instances[0]!.lastFailoverLatencyMs !== null, 'status shows the measured failover latency');
  });

  test('restart of the old master: its stale VIP is removed, then it preempts back', async () => {
    master = new VrrpNodeProcess(lab, 'node1', tutorialConfig('master'));
    master.start();
    await master.waitFor((l) => l.msg === '(VI_1) Entering BACKUP STATE');
    const line = await master.waitState('VI_1', 'MASTER', 10_000);
    assert.equal(line.reason, 'preempted');
    await backup.waitState('VI_1', 'BACKUP', 5_000, 2);
    await waitVip(lab, 'node1', VIP, true);
    await waitVip(lab, 'node2', VIP, false);
  });

  test('SIGTERM of the master: priority 0, VIP removed, the backup takes over at Skew_Time', async () => {
    const cap = await lab.capture({ filter: 'ip proto 112 or arp' });
    await new Promise((r) => setTimeout(r, 1500));
    const since = backup.logs.length;
    const code = await master.stop();
    assert.equal(code, 0, 'graceful stop exits 0');
    const line = await backup.waitState('VI_1', 'MASTER', 5_000, since);
    assert.equal(line.reason, 'priority-zero-received');
    await waitVip(lab, 'node2', VIP, true);
    assert.equal(await hasVip(lab, 'node1', VIP), false, 'the stopped node released the VIP');
    await new Promise((r) => setTimeout(r, 300));
    const pcap = await cap.stop();
    const gap = failoverGap(pcap, { vrid: 51, oldMaster: '10.10.10.126', newMaster: '10.10.10.127', vips: [VIP] });
    assert.ok(gap);
    console.log(`# graceful failover: advert gap ${(gap.toAdvertUs / 1000).toFixed(3)} ms (RFC Skew_Time ${(SKEW_US / 1000).toFixed(3)} ms)`);
  });
});
