// global_defs vrrp_mcast_group4 other than 224.0.0.18: as keepalived does, adverts go to the configured
// group, the socket joins that group (and only it) on eth0, and a node elects through it — with another
// vrrp-node and with the real keepalived 2.2.7 configured the same way. A node still on the default
// group does not hear them (its adverts to 224.0.0.18 are dropped as multicast-unicast-mismatch if
// they reach the socket at all), so it becomes a second master: the group really separates them.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createLab } from '../lab/lab.js';
import type { Lab } from '../lab/lab.js';
import { VrrpNodeProcess } from '../support/vrrp-node-process.js';
import { KeepalivedProcess } from '../support/keepalived-process.js';
import { keepalivedConf, vrrpInstance } from '../support/keepalived-conf.js';
import { parseCapture } from '../support/failover-gap.js';
import { sleep, waitVip } from '../support/lab-vips.js';

const GROUP = '224.0.0.100';
const VIP = '10.10.10.129';

function config(role: 'master' | 'backup', group: string | undefined): string {
  return keepalivedConf({
    routerId: `mcast_${role}`,
    global: group === undefined ? [] : [`vrrp_mcast_group4 ${group}`],
    blocks: [vrrpInstance({ name: 'VI_1', state: role === 'master' ? 'MASTER' : 'BACKUP', vrid: 51, priority: role === 'master' ? 100 : 99, advertInt: '0.1', version: 3, vips: [VIP] })],
  });
}

/** The IPv4 groups joined on a node's eth0, as `ip maddr` reports them. */
async function groups(lab: Lab, node: string): Promise<string[]> {
  const r = await lab.exec(node, ['ip', '-4', 'maddr', 'show', 'dev', 'eth0']);
  return [...r.stdout.matchAll(/inet\s+(\S+)/g)].map((m) => m[1]!);
}

describe('vrrp_mcast_group4 224.0.0.100', () => {
  let lab: Lab;
  const nodes: VrrpNodeProcess[] = [];
  let keepalived: KeepalivedProcess | undefined;

  before(async () => {
    lab = await createLab({
      name: 'mcast',
      nodes: [
        { name: 'node1', addresses: ['10.10.10.126/24'] },
        { name: 'node2', addresses: ['10.10.10.127/24'] },
      ],
    });
  });
  after(async () => {
    for (const n of nodes) await n.stop();
    await keepalived?.dispose();
    await lab?.destroy();
  });

  test('two vrrp-nodes elect through the group: adverts go to 224.0.0.100, the socket joins it, the backup takes over on a crash', async () => {
    const node1 = new VrrpNodeProcess(lab, 'node1', config('master', GROUP));
    const node2 = new VrrpNodeProcess(lab, 'node2', config('backup', GROUP));
    nodes.push(node1, node2);
    const cap = await lab.capture({ filter: 'ip proto 112' });
    node1.start();
    await node1.waitState('VI_1', 'MASTER');
    node2.start();
    await node2.waitState('VI_1', 'BACKUP');
    // Master_Down_Interval at 0.1 s is ~0.36 s: a backup that did not hear the group would be master by now.
    await sleep(1_500);
    assert.equal(node2.logs.some((l) => l.msg === '(VI_1) Entering MASTER STATE'), false, 'node2 hears node1 through 224.0.0.100');
    assert.ok((await groups(lab, 'node2')).includes(GROUP), 'node2 joined 224.0.0.100 on eth0');
    assert.equal((await groups(lab, 'node2')).includes('224.0.0.18'), false, 'and not 224.0.0.18');
    const { adverts } = parseCapture(await cap.stop());
    assert.ok(adverts.length > 5, `adverts captured: ${adverts.length}`);
    assert.deepEqual([...new Set(adverts.map((a) => a.destination))], [GROUP]);
    const st = (await node2.status()).instances[0]!;
    assert.ok((st.counters.advert_rcvd ?? 0) > 5);
    assert.equal(st.counters.other_err, 0, 'no advert rejected');

    const since = node2.logs.length;
    await node1.crash();
    await node2.waitState('VI_1', 'MASTER', 5_000, since);
    await waitVip(lab, 'node2', VIP, true);
  });

  test('a node on the default group does not hear the 224.0.0.100 master', async () => {
    for (const n of nodes.splice(0)) await n.stop();
    const node1 = new VrrpNodeProcess(lab, 'node1', config('master', GROUP));
    const node2 = new VrrpNodeProcess(lab, 'node2', config('backup', undefined));
    nodes.push(node1, node2);
    node1.start();
    await node1.waitState('VI_1', 'MASTER');
    node2.start();
    const master = await node2.waitState('VI_1', 'MASTER', 5_000);
    assert.equal(master.reason, 'master-no-response');
  });

  test('interop: keepalived 2.2.7 master and a vrrp-node backup on 224.0.0.100', async () => {
    for (const n of nodes.splice(0)) await n.stop();
    keepalived = new KeepalivedProcess(lab, 'node1', config('master', GROUP));
    const node2 = new VrrpNodeProcess(lab, 'node2', config('backup', GROUP));
    nodes.push(node2);
    const cap = await lab.capture({ filter: 'ip proto 112' });
    keepalived.start();
    await keepalived.waitState('VI_1', 'MASTER');
    node2.start();
    await node2.waitState('VI_1', 'BACKUP');
    await sleep(1_500);
    assert.equal(node2.logs.some((l) => l.msg === '(VI_1) Entering MASTER STATE'), false, 'node2 hears keepalived through 224.0.0.100');
    const { adverts } = parseCapture(await cap.stop());
    const fromKeepalived = adverts.filter((a) => a.source === '10.10.10.126');
    assert.ok(fromKeepalived.length > 5, `keepalived adverts captured: ${fromKeepalived.length}`);
    assert.deepEqual([...new Set(adverts.map((a) => a.destination))], [GROUP], 'keepalived sends to the same group');
    assert.deepEqual(keepalived.complaints(), []);

    // keepalived resigns (priority 0 to the group): vrrp-node takes over at once.
    const since = node2.logs.length;
    await keepalived.stop();
    const took = await node2.waitState('VI_1', 'MASTER', 5_000, since);
    assert.equal(took.reason, 'priority-zero-received');
  });
});
