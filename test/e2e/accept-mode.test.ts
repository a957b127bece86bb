// accept / no_accept (RFC 9568 Accept_Mode): a non-owner MASTER with accept mode off does not accept
// traffic addressed to its VIP — keepalived installs an nftables drop for it, vrrp-node a table
// `inet hotstandby` — while with `accept` the VIP answers. vrrp_strict implies no_accept. A graceful
// stop removes the table; one a crash (kill -9) left is removed at the next start. ARP is untouched
// (the inet family never sees it), so the client still resolves the VIP's MAC.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createLab } from '../lab/lab.js';
import type { Lab } from '../lab/lab.js';
import { VrrpNodeProcess } from '../support/vrrp-node-process.js';
import { keepalivedConf, vrrpInstance } from '../support/keepalived-conf.js';
import { sleep, waitVip } from '../support/lab-vips.js';

const VIP = '10.10.10.129';

function config(mode: 'strict' | 'no_accept' | 'accept'): string {
  return keepalivedConf({
    routerId: `accept_${mode}`,
    global: mode === 'strict' ? ['vrrp_strict'] : [],
    blocks: [vrrpInstance({ name: 'VI_1', state: 'MASTER', vrid: 51, priority: 100, advertInt: '0.1', version: 3, vips: [VIP], extra: mode === 'strict' ? [] : [mode] })],
  });
}

/** One echo request from the client to the VIP: answered or not. */
async function pingAnswered(lab: Lab): Promise<boolean> {
  const r = await lab.exec('client', ['ping', '-n', '-c', '1', '-W', '1', VIP], { check: false });
  return r.code === 0;
}

async function table(lab: Lab): Promise<string | undefined> {
  const r = await lab.exec('node1', ['nft', 'list', 'table', 'inet', 'hotstandby'], { check: false });
  return r.code === 0 ? r.stdout : undefined;
}

async function waitTable(lab: Lab, pred: (t: string | undefined) => boolean, what: string): Promise<string | undefined> {
  const until = Date.now() + 10_000;
  for (;;) {
    const t = await table(lab);
    if (pred(t)) return t;
    if (Date.now() > until) assert.fail(`${what}: nft list table inet hotstandby → ${t ?? '(no table)'}`);
    await sleep(50);
  }
}

describe('accept mode', () => {
  let lab: Lab;
  let node: VrrpNodeProcess | undefined;

  before(async () => {
    lab = await createLab({
      name: 'accept',
      nodes: [
        { name: 'node1', addresses: ['10.10.10.126/24'] },
        { name: 'client', addresses: ['10.10.10.200/24'] },
      ],
    });
  });
  after(async () => {
    await node?.stop();
    await lab?.destroy();
  });

  async function startMaster(mode: 'strict' | 'no_accept' | 'accept'): Promise<VrrpNodeProcess> {
    node = new VrrpNodeProcess(lab, 'node1', config(mode));
    node.start();
    await node.waitState('VI_1', 'MASTER');
    await waitVip(lab, 'node1', VIP, true);
    return node;
  }

  test('vrrp_strict (no_accept): the master drops traffic to its VIP; ARP still resolves it', async () => {
    const n = await startMaster('strict');
    const t = await waitTable(lab, (x) => x?.includes(VIP) === true, 'VIP in the drop set');
    assert.match(t!, /ip daddr @vips4 drop/);
    assert.equal(await pingAnswered(lab), false, 'the VIP does not answer');
    const neigh = await lab.exec('client', ['ip', 'neigh', 'show', VIP]);
    assert.match(neigh.stdout, /lladdr/, 'ARP for the VIP was answered');
    const own = await lab.exec('client', ['ping', '-n', '-c', '1', '-W', '1', '10.10.10.126'], { check: false });
    assert.equal(own.code, 0, 'the node\'s own address answers');
    const st = await n.status();
    assert.deepEqual(st.vipFilter.dropped, [VIP]);
    assert.equal(st.vipFilter.errors, 0);
  });

  test('graceful stop: the table is gone', async () => {
    assert.equal(await node!.stop(), 0);
    assert.equal(await table(lab), undefined);
  });

  test('accept: the VIP answers, and no table is made', async () => {
    await startMaster('accept');
    assert.equal(await pingAnswered(lab), true);
    assert.equal(await table(lab), undefined);
    await node!.stop();
  });

  test('no_accept after a crash: the table stays with the VIP; the next start removes it', async () => {
    const n = await startMaster('no_accept');
    await waitTable(lab, (x) => x?.includes(VIP) === true, 'VIP in the drop set');
    assert.equal(await pingAnswered(lab), false);
    await n.crash();
    assert.ok((await table(lab))?.includes(VIP), 'kill -9 leaves the table, as it leaves the VIP');
    const next = await startMaster('accept');
    assert.ok(next.logs.some((l) => l.msg === 'removed nftables table inet hotstandby left from a previous run'));
    assert.equal(await table(lab), undefined);
    assert.equal(await pingAnswered(lab), true);
  });
});
