// The instance's own interface going down (keepalived tracks it unless dont_track_primary): the
// instance goes FAULT and gives up its VIP, the peer takes over; when the link comes back the instance
// goes BACKUP and, having the higher priority, preempts.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createLab } from '../lab/lab.js';
import type { Lab } from '../lab/lab.js';
import { VrrpNodeProcess } from '../support/vrrp-node-process.js';
import { keepalivedConf, vrrpInstance } from '../support/keepalived-conf.js';
import { hasVip, waitVip } from '../support/lab-vips.js';

const VIP = '10.10.10.129';

function config(role: 'master' | 'backup'): string {
  return keepalivedConf({
    routerId: `link_${role}`,
    blocks: [vrrpInstance({ name: 'VI_1', state: role === 'master' ? 'MASTER' : 'BACKUP', vrid: 51, priority: role === 'master' ? 100 : 99, advertInt: '0.1', version: 3, vips: [VIP] })],
  });
}

describe('interface down → FAULT', () => {
  let lab: Lab;
  let node1: VrrpNodeProcess;
  let node2: VrrpNodeProcess;

  before(async () => {
    lab = await createLab({
      name: 'link',
      nodes: [
        { name: 'node1', addresses: ['10.10.10.126/24'] },
        { name: 'node2', addresses: ['10.10.10.127/24'] },
      ],
    });
    node1 = new VrrpNodeProcess(lab, 'node1', config('master'));
    node2 = new VrrpNodeProcess(lab, 'node2', config('backup'));
  });
  after(async () => {
    await node1?.stop();
    await node2?.stop();
    await lab?.destroy();
  });

  test('eth0 down on the master: FAULT, VIP removed, node2 takes over', async () => {
    node1.start();
    node2.start();
    await node1.waitState('VI_1', 'MASTER');
    await node2.waitState('VI_1', 'BACKUP');
    await waitVip(lab, 'node1', VIP, true);
    await waitVip(lab, 'node2', VIP, false);
    const since1 = node1.logs.length;
    const since2 = node2.logs.length;
    await lab.linkDown('node1');
    const fault = await node1.waitState('VI_1', 'FAULT', 5_000, since1);
    assert.equal(fault.reason, 'fault');
    await waitVip(lab, 'node1', VIP, false); // IPv4 addresses survive a link down: the daemon removed it
    await node2.waitState('VI_1', 'MASTER', 5_000, since2);
    await waitVip(lab, 'node2', VIP, true);
    const st = (await node1.status()).instances[0]!;
    assert.equal(st.state, 'FAULT');
    assert.equal(st.counters.release_master, 1);
  });

  test('eth0 up again: BACKUP, then preempts back to MASTER', async () => {
    const since1 = node1.logs.length;
    const since2 = node2.logs.length;
    await lab.linkUp('node1');
    const backup = await node1.waitState('VI_1', 'BACKUP', 5_000, since1);
    assert.equal(backup.reason, 'fault-cleared');
    const master = await node1.waitState('VI_1', 'MASTER', 10_000, since1);
    assert.equal(master.reason, 'preempted');
    await node2.waitState('VI_1', 'BACKUP', 5_000, since2);
    await waitVip(lab, 'node1', VIP, true);
    await waitVip(lab, 'node2', VIP, false);
    assert.equal(await hasVip(lab, 'node1', VIP), true);
  });
});
