// Bad VRRP packets from a third node on the LAN (RFC 9568 §7.1 receive checks, keepalived
// vrrp_check_packet): each would win the election if it were believed (priority 200 > 100), so the
// test shows both that it is counted under keepalived's counter name and that the master stays master.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { vrrp } from '@hotstandby/protocol';
import type { AdvertisementFields } from '@hotstandby/protocol';
import { createLab } from '../lab/lab.js';
import type { Lab } from '../lab/lab.js';
import { VrrpNodeProcess, tutorialConfig } from '../support/vrrp-node-process.js';
import type { LogLine, StatusJson } from '../support/vrrp-node-process.js';
import type { InjectedPacket } from '../support/vrrp-inject.js';
import { hasVip, sleep, waitVip } from '../support/lab-vips.js';

const INJECT_TS = fileURLToPath(new URL('../support/vrrp-inject.ts', import.meta.url));
const VIP = '10.10.10.129';
const EVIL = '10.10.10.128';
const GROUP = '224.0.0.18';
const COUNT = 3;

/** A VRRPv2 advert that node1 and node2 would accept (tutorial instance) but for priority 200. */
function advert(over: Partial<AdvertisementFields> & { pass?: string } = {}): Uint8Array {
  const { pass, ...fields } = over;
  return vrrp.encode(
    vrrp.withChecksum(
      {
        version: 2,
        family: 'ipv4',
        vrid: 51,
        priority: 200,
        intervalCs: 100,
        addresses: [VIP],
        authType: vrrp.VRRP_AUTH_PASS,
        authData: vrrp.passwordAuthData(pass ?? '1234'),
        ...fields,
      },
      { source: EVIL, destination: GROUP },
    ),
  );
}

function hex(b: Uint8Array): string {
  return Buffer.from(b).toString('hex');
}

interface BadCase {
  what: string;
  packet: InjectedPacket;
  /** status counter that must grow by COUNT on both nodes */
  counter?: string;
  /** anomaly class in the node's log */
  anomaly: string;
}

function cases(): BadCase[] {
  const badChecksum = advert();
  badChecksum[7] = (badChecksum[7]! ^ 0xff) & 0xff;
  return [
    { what: 'TTL 64 instead of 255', packet: { hex: hex(advert()), destination: GROUP, hopLimit: 64 }, counter: 'ip_ttl_err', anomaly: 'ttl' },
    { what: 'wrong auth_pass', packet: { hex: hex(advert({ pass: 'wrong' })), destination: GROUP }, counter: 'auth_failure', anomaly: 'auth-failure' },
    { what: 'a different advert_int', packet: { hex: hex(advert({ intervalCs: 300 })), destination: GROUP }, counter: 'advert_interval_err', anomaly: 'interval-mismatch' },
    { what: 'a different VIP list', packet: { hex: hex(advert({ addresses: ['10.10.10.200'] })), destination: GROUP }, counter: 'addr_list_err', anomaly: 'address-list-mismatch' },
    { what: 'truncated (header only)', packet: { hex: hex(advert().subarray(0, 8)), destination: GROUP }, counter: 'packet_len_err', anomaly: 'length' },
    { what: 'a bad checksum', packet: { hex: hex(badChecksum), destination: GROUP }, counter: 'other_err', anomaly: 'checksum' },
    { what: 'an unknown VRID (99)', packet: { hex: hex(advert({ vrid: 99 })), destination: GROUP }, anomaly: 'vrid-unknown' },
  ];
}

describe('malformed VRRP packets from a third node', () => {
  let lab: Lab;
  let node1: VrrpNodeProcess;
  let node2: VrrpNodeProcess;

  before(async () => {
    lab = await createLab({
      name: 'malformed',
      nodes: [
        { name: 'node1', addresses: ['10.10.10.126/24'] },
        { name: 'node2', addresses: ['10.10.10.127/24'] },
        { name: 'evil', addresses: [`${EVIL}/24`] },
      ],
    });
    node1 = new VrrpNodeProcess(lab, 'node1', tutorialConfig('master'));
    node2 = new VrrpNodeProcess(lab, 'node2', tutorialConfig('backup'));
    node1.start();
    node2.start();
    await node1.waitState('VI_1', 'MASTER');
    await node2.waitState('VI_1', 'BACKUP');
    await waitVip(lab, 'node1', VIP, true);
  });
  after(async () => {
    await node1?.stop();
    await node2?.stop();
    await lab?.destroy();
  });

  test('the undamaged packet is a valid advert that would win the election (priority 200)', () => {
    // Every bad packet below is this one with one thing wrong, so each rejection is due to that thing.
    const d = vrrp.decode(advert());
    assert.ok(d.ok);
    assert.equal(d.value.priority, 200);
    assert.equal(d.value.vrid, 51);
  });

  // One burst of every bad packet (COUNT of each), then one status per node: each case below reads
  // its own counter from the same before/after snapshots.
  let before1: Record<string, number>;
  let before2: Record<string, number>;
  let after1: StatusJson['instances'][number];
  let after2: StatusJson['instances'][number];
  let since1 = 0;
  let since2 = 0;

  test(`the third node sends ${COUNT} of each bad packet`, async () => {
    before1 = (await node1.status()).instances[0]!.counters;
    before2 = (await node2.status()).instances[0]!.counters;
    since1 = node1.logs.length;
    since2 = node2.logs.length;
    const burst = cases().flatMap((c) => Array<InjectedPacket>(COUNT).fill(c.packet));
    const r = await lab.exec('evil', [process.execPath, '--conditions=source', '--import', 'tsx', INJECT_TS], { input: JSON.stringify(burst) });
    assert.deepEqual(JSON.parse(r.stdout), { sent: burst.length });
    await sleep(1500); // more than an advert interval (and the 100 ms anomaly report period)
    after1 = (await node1.status()).instances[0]!;
    after2 = (await node2.status()).instances[0]!;
  });

  for (const c of cases()) {
    test(`${c.what}: ${c.counter !== undefined ? `counted as ${c.counter}, ` : 'no instance to count it, '}logged as anomaly ${c.anomaly} from the sender`, async () => {
      for (const [node, since] of [[node1, since1], [node2, since2]] as const) {
        // The first of a kind is logged at once, the rest summed into one line per 5 s (rate limit):
        // the counts add up to every packet (nothing lost).
        const logged = (): LogLine[] => node.logs.slice(since).filter((l) => l.msg === `anomaly ${c.anomaly}`);
        const total = (): number => logged().reduce((n, l) => n + Number(l.count), 0);
        for (const until = Date.now() + 8_000; total() < COUNT && Date.now() < until; ) await sleep(100);
        assert.ok(logged().length > 0, `${node.node} logged anomaly ${c.anomaly}`);
        assert.ok(logged().every((l) => l.source === EVIL));
        assert.equal(total(), COUNT, `${node.node}: logged counts add up`);
      }
      if (c.counter !== undefined) {
        assert.equal(after1.counters[c.counter]! - before1[c.counter]!, COUNT, `node1 ${c.counter}`);
        assert.equal(after2.counters[c.counter]! - before2[c.counter]!, COUNT, `node2 ${c.counter}`);
      }
    });
  }

  test('mastership is unaffected: node1 MASTER with the VIP, node2 BACKUP following node1', async () => {
    assert.equal(after1.state, 'MASTER');
    assert.equal(after2.state, 'BACKUP');
    assert.equal(after2.masterAddress, '10.10.10.126');
    assert.equal(after1.counters.release_master, before1.release_master);
    assert.equal(after2.counters.become_master, before2.become_master);
    assert.equal(node1.logs.slice(since1).some((l) => /Entering/.test(l.msg)), false, 'node1 never changed state');
    assert.equal(node2.logs.slice(since2).some((l) => /Entering/.test(l.msg)), false, 'node2 never changed state');
    assert.equal(await hasVip(lab, 'node1', VIP), true);
    assert.equal(await hasVip(lab, 'node2', VIP), false);
  });
});
