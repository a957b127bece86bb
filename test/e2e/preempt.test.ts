// Preemption controls (keepalived.conf(5)): with `nopreempt` a returning higher-priority node stays
// BACKUP and the VIP stays where it is; with `preempt_delay N` it takes over, but only N seconds after
// it first hears the weaker master. Both nodes are `state BACKUP`, as keepalived requires for these.
// VRRPv3 at 100 ms keeps the scenario short.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createLab } from '../lab/lab.js';
import type { Lab } from '../lab/lab.js';
import { VrrpNodeProcess } from '../support/vrrp-node-process.js';
import { keepalivedConf, vrrpInstance } from '../support/keepalived-conf.js';
import { hasVip, sleep, waitVip } from '../support/lab-vips.js';

const VIP = '10.10.10.129';
const PREEMPT_DELAY_S = 2;

function config(priority: number, mode: { nopreempt: true } | { preemptDelay: number }): string {
  return keepalivedConf({
    routerId: `pre_${priority}`,
    blocks: [vrrpInstance({ name: 'VI_1', state: 'BACKUP', vrid: 51, priority, advertInt: '0.1', version: 3, vips: [VIP], ...mode })],
  });
}

async function pairAfterFailover(lab: Lab, mode: { nopreempt: true } | { preemptDelay: number }): Promise<{ node1: VrrpNodeProcess; node2: VrrpNodeProcess }> {
  // node1 (100) first, so it is the master; then node2 (99) joins as backup; node1 crashes.
  const node1 = new VrrpNodeProcess(lab, 'node1', config(100, mode)).start();
  await node1.waitState('VI_1', 'MASTER');
  const node2 = new VrrpNodeProcess(lab, 'node2', config(99, mode)).start();
  await node2.waitState('VI_1', 'BACKUP');
  await waitVip(lab, 'node1', VIP, true);
  const since = node2.logs.length;
  await node1.crash();
  await node2.waitState('VI_1', 'MASTER', 10_000, since);
  await waitVip(lab, 'node2', VIP, true);
  return { node1, node2 };
}

describe('nopreempt and preempt_delay', () => {
  let lab: Lab;
  const procs: VrrpNodeProcess[] = [];

  before(async () => {
    lab = await createLab({
      name: 'preempt',
      nodes: [
        { name: 'node1', addresses: ['10.10.10.126/24'] },
        { name: 'node2', addresses: ['10.10.10.127/24'] },
      ],
    });
  });
  after(async () => {
    for (const p of procs) await p.stop();
    await lab?.destroy();
  });

  test('nopreempt: the restarted priority-100 node stays BACKUP; the VIP stays on node2', async () => {
    const { node1, node2 } = await pairAfterFailover(lab, { nopreempt: true });
    procs.push(node1, node2);
    const again = new VrrpNodeProcess(lab, 'node1', config(100, { nopreempt: true })).start();
    procs.push(again);
    await again.waitState('VI_1', 'BACKUP');
    await sleep(2000); // 20 advert intervals, > 5 × Master_Down_Interval
    const st = await again.status();
    assert.equal(st.instances[0]!.state, 'BACKUP');
    assert.equal(st.instances[0]!.masterAddress, '10.10.10.127', 'it follows the lower-priority master');
    assert.equal(again.logs.some((l) => l.msg === '(VI_1) Entering MASTER STATE'), false, 'never became master');
    assert.equal(await hasVip(lab, 'node2', VIP), true);
    assert.equal(await hasVip(lab, 'node1', VIP), false);
    await again.stop();
    await node2.stop();
    await waitVip(lab, 'node2', VIP, false);
  });

  test(`preempt_delay ${PREEMPT_DELAY_S}: the restarted node takes over, but only after the delay`, async () => {
    const mode = { preemptDelay: PREEMPT_DELAY_S };
    const { node1, node2 } = await pairAfterFailover(lab, mode);
    procs.push(node1, node2);
    const again = new VrrpNodeProcess(lab, 'node1', config(100, mode)).start();
    procs.push(again);
    const backupLine = await again.waitState('VI_1', 'BACKUP');
    await sleep(1000);
    assert.equal(again.logs.some((l) => l.msg === '(VI_1) Entering MASTER STATE'), false, 'no preemption within the delay');
    assert.equal(await hasVip(lab, 'node2', VIP), true, 'the VIP stays on node2 during the delay');
    const masterLine = await again.waitState('VI_1', 'MASTER', 10_000);
    assert.equal(masterLine.reason, 'preempted');
    const waitedMs = Date.parse(masterLine.time) - Date.parse(backupLine.time);
    console.log(`# preempt_delay ${PREEMPT_DELAY_S} s: BACKUP → MASTER after ${waitedMs} ms (delay + Master_Down_Interval ≈ ${PREEMPT_DELAY_S * 1000 + 361} ms)`);
    assert.ok(waitedMs >= PREEMPT_DELAY_S * 1000, `took over ${waitedMs} ms after entering BACKUP, before the ${PREEMPT_DELAY_S} s delay`);
    await waitVip(lab, 'node1', VIP, true);
    await waitVip(lab, 'node2', VIP, false);
    await node2.waitState('VI_1', 'BACKUP', 5_000, 3);
  });
});
