// VRRPv3 over IPv6 (RFC 9568 §5.1.2): adverts from the link-local to ff02::12 with hop limit 255,
// VIPs fe80::129 and 2001:db8:10::129 as in the captured keepalived config, unsolicited Neighbour
// Advertisements on takeover, and the hop-limit rule checked for real (a packet at hop limit 64 is
// an anomaly, not an advert).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createLab } from '../lab/lab.js';
import type { Lab } from '../lab/lab.js';
import { VrrpNodeProcess } from '../support/vrrp-node-process.js';
import { keepalivedConf, vrrpInstance } from '../support/keepalived-conf.js';
import { parseCapture } from '../support/failover-gap.js';
import { waitVip } from '../support/lab-vips.js';

const VIPS = ['fe80::129/64', '2001:db8:10::129/64'];

function conf(state: 'MASTER' | 'BACKUP', priority: number): string {
  return keepalivedConf({ routerId: 'V6', blocks: [vrrpInstance({ name: 'VI_6', state, vrid: 51, priority, advertInt: '0.1', vips: VIPS })] });
}

describe('VRRPv3 over IPv6', () => {
  let lab: Lab;
  let node1: VrrpNodeProcess;
  let node2: VrrpNodeProcess;

  before(async () => {
    lab = await createLab({
      name: 'v6',
      nodes: [
        { name: 'node1', addresses: ['2001:db8:10::126/64'], ipv6: true },
        { name: 'node2', addresses: ['2001:db8:10::127/64'], ipv6: true },
      ],
    });
    node1 = new VrrpNodeProcess(lab, 'node1', conf('MASTER', 100));
    node2 = new VrrpNodeProcess(lab, 'node2', conf('BACKUP', 99));
  });
  after(async () => {
    await node1?.stop();
    await node2?.stop();
    await lab?.destroy();
  });

  test('election: adverts from the link-local to ff02::12 at hop limit 255; the master holds both VIPs', async () => {
    const cap = await lab.capture({ filter: 'ip6 proto 112' });
    node1.start();
    node2.start();
    await node1.waitState('VI_6', 'MASTER');
    await node2.waitState('VI_6', 'BACKUP');
    await waitVip(lab, 'node1', '2001:db8:10::129', true);
    await waitVip(lab, 'node1', 'fe80::129', true);
    await new Promise((r) => setTimeout(r, 500));
    const { adverts } = parseCapture(await cap.stop());
    const fromMaster = adverts.filter((a) => a.priority === 100);
    assert.ok(fromMaster.length > 0, 'master adverts captured');
    for (const a of fromMaster) {
      assert.match(a.source, /^fe80:/, 'source is the link-local (RFC 9568 §5.1.2.1)');
      assert.equal(a.destination, 'ff02::12');
      assert.equal(a.ttl, 255);
    }
    const st = await node2.status();
    assert.equal(st.instances[0]!.counters.other_err, 0, 'the backup accepts the checksums (IPv6 pseudo-header)');
    assert.ok(st.instances[0]!.counters.advert_rcvd! > 0);
  });

  test('kill -9 of the master: the backup takes both VIPs and sends unsolicited NAs for them', async () => {
    const cap = await lab.capture({ filter: 'icmp6 or ip6 proto 112' });
    await new Promise((r) => setTimeout(r, 300));
    const since = node2.logs.length;
    await node1.crash();
    const line = await node2.waitState('VI_6', 'MASTER', 10_000, since);
    assert.equal(line.reason, 'master-no-response');
    await waitVip(lab, 'node2', '2001:db8:10::129', true);
    await new Promise((r) => setTimeout(r, 300));
    const { garps } = parseCapture(await cap.stop());
    const targets = new Set(garps.map((g) => g.address));
    assert.ok(targets.has('2001:db8:10::129') && targets.has('fe80::129'), `unsolicited NAs for both VIPs (saw ${[...targets].join(', ')})`);
  });
});
