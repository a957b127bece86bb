// The tutorial's "mutual hot standby": VI_1 (VRID 51, 10.10.10.129) is MASTER on node1, VI_2 (VRID 52,
// 10.10.10.130) MASTER on node2, each node the other's backup. Each VIP moves on its own when its
// master fails, and comes back when that node returns (priority 100 preempts 99).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createLab } from '../lab/lab.js';
import type { Lab } from '../lab/lab.js';
import { VrrpNodeProcess, tutorialConfig } from '../support/vrrp-node-process.js';
import { hasVip, waitVip } from '../support/lab-vips.js';

const VIP1 = '10.10.10.129';
const VIP2 = '10.10.10.130';

describe('mutual hot standby (VI_1 on node1, VI_2 on node2)', () => {
  let lab: Lab;
  let node1: VrrpNodeProcess;
  let node2: VrrpNodeProcess;

  before(async () => {
    lab = await createLab({
      name: 'mutual',
      nodes: [
        { name: 'node1', addresses: ['10.10.10.126/24'] },
        { name: 'node2', addresses: ['10.10.10.127/24'] },
      ],
    });
    node1 = new VrrpNodeProcess(lab, 'node1', tutorialConfig('master', { mutual: true }));
    node2 = new VrrpNodeProcess(lab, 'node2', tutorialConfig('backup', { mutual: true }));
  });
  after(async () => {
    await node1?.stop();
    await node2?.stop();
    await lab?.destroy();
  });

  test('each node is master of one VIP and backup of the other', async () => {
    node1.start();
    node2.start();
    await node1.waitState('VI_1', 'MASTER');
    await node2.waitState('VI_2', 'MASTER');
    await node1.waitState('VI_2', 'BACKUP');
    await node2.waitState('VI_1', 'BACKUP');
    await waitVip(lab, 'node1', VIP1, true);
    await waitVip(lab, 'node2', VIP2, true);
    assert.equal(await hasVip(lab, 'node1', VIP2), false);
    assert.equal(await hasVip(lab, 'node2', VIP1), false);
    const st1 = await node1.status();
    const byName = new Map(st1.instances.map((i) => [i.name, i]));
    assert.equal(byName.get('VI_1')!.state, 'MASTER');
    assert.equal(byName.get('VI_2')!.state, 'BACKUP');
    assert.equal(byName.get('VI_2')!.masterAddress, '10.10.10.127', 'node1 hears node2 as master of VI_2');
  });

  test('kill -9 of node1: node2 becomes master of both VIPs', async () => {
    const since = node2.logs.length;
    await node1.crash();
    const line = await node2.waitState('VI_1', 'MASTER', 10_000, since);
    assert.equal(line.reason, 'master-no-response');
    await waitVip(lab, 'node2', VIP1, true);
    assert.equal(await hasVip(lab, 'node2', VIP2), true, 'node2 kept VI_2');
    const st = await node2.status();
    assert.deepEqual(st.instances.map((i) => [i.name, i.state]), [['VI_1', 'MASTER'], ['VI_2', 'MASTER']]);
  });

  test('restart of node1: it takes VI_1 back (preempt) and stays backup of VI_2', async () => {
    node1 = new VrrpNodeProcess(lab, 'node1', tutorialConfig('master', { mutual: true }));
    const since2 = node2.logs.length;
    node1.start();
    await node1.waitState('VI_2', 'BACKUP');
    await node1.waitState('VI_1', 'MASTER', 10_000);
    await node2.waitState('VI_1', 'BACKUP', 5_000, since2);
    await waitVip(lab, 'node1', VIP1, true);
    await waitVip(lab, 'node2', VIP1, false);
    assert.equal(await hasVip(lab, 'node2', VIP2), true, 'VI_2 never left node2');
    assert.equal(await hasVip(lab, 'node1', VIP2), false);
    assert.equal(node2.logs.slice(since2).some((l) => l.msg === '(VI_2) Entering BACKUP STATE'), false, 'node2 kept VI_2 throughout');
  });

  test('kill -9 of node2: VI_2 moves to node1, which now holds both', async () => {
    const since = node1.logs.length;
    await node2.crash();
    const line = await node1.waitState('VI_2', 'MASTER', 10_000, since);
    assert.equal(line.reason, 'master-no-response');
    await waitVip(lab, 'node1', VIP2, true);
    assert.equal(await hasVip(lab, 'node1', VIP1), true);
  });
});
