// PacketSocket between two namespaces: a gratuitous ARP built by the caller leaves A as-is and is
// seen by B; interfaceInfo reports the MAC that frame should carry.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { ETH_P_ARP } from '@hotstandby/netio';
import { IFNAME, Lab } from './lab.js';

let lab: Lab;
before(() => {
  lab = new Lab();
});
after(() => lab.dispose());

function macOf(node: Lab['a']): string {
  const link = JSON.parse(lab.exec(node, 'ip', '-j', 'link', 'show', IFNAME)) as Array<{ address: string }>;
  return link[0]!.address;
}

test('interfaceInfo reports ifindex, the MAC ip(8) shows, MTU and the addresses', async () => {
  const child = lab.child(lab.a, 'info', IFNAME);
  const info = await child.expect('info');
  assert.equal(info.macText, macOf(lab.a));
  assert.equal(info.mtu, 1500);
  assert.deepEqual(info.ipv4, [lab.a.v4]);
  assert.equal(info.linkLocal6, lab.a.ll);
  assert.equal(info.up, true);
  assert.equal(info.multicast, true);
});

test('a gratuitous ARP frame sent from A arrives in B byte for byte', async () => {
  const mac = macOf(lab.a).replaceAll(':', '');
  // keepalived's GARP for VIP 10.10.10.129: broadcast ARP request, sender IP = target IP = VIP,
  // target MAC ff:ff:ff:ff:ff:ff (fixtures/keepalived-v2-garp.txt), from the interface's own MAC.
  const vip = '0a0a0a81';
  const frame = `ffffffffffff${mac}0806` + `0001080006040001${mac}${vip}ffffffffffff${vip}`;
  const receiver = lab.child(lab.b, 'recv-frames', IFNAME, String(ETH_P_ARP), '1');
  await receiver.expect('ready');
  const sender = lab.child(lab.a, 'send-frame', IFNAME, frame);
  assert.equal((await sender.expect('sent')).bytes, frame.length / 2);
  const got = await receiver.expect('frame');
  assert.equal(got.data, frame);
  assert.equal(got.ethertype, ETH_P_ARP);
  assert.equal(got.pktType, 1, 'broadcast');
});
