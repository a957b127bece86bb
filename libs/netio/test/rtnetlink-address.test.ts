// RtnlSocket (synchronous RTM_NEWADDR / RTM_DELADDR) inside a fresh namespace of the lab, checked
// against what iproute2 reads back from the kernel (`ip -j addr`).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { IFNAME, Lab } from './lab.js';

interface IpAddr {
  family: string;
  local: string;
  prefixlen: number;
  scope: string;
  label?: string;
  broadcast?: string;
  nodad?: boolean;
  tentative?: boolean;
  noprefixroute?: boolean;
  preferred_life_time?: number;
}

let lab: Lab;
before(() => {
  lab = new Lab();
});
after(() => lab.dispose());

function addresses(): IpAddr[] {
  const links = JSON.parse(lab.exec(lab.a, 'ip', '-j', 'addr', 'show', 'dev', IFNAME)) as Array<{ addr_info?: IpAddr[] }>;
  return links.flatMap((l) => l.addr_info ?? []);
}
const find = (local: string): IpAddr | undefined => addresses().find((a) => a.local === local);

async function rtnl(ops: unknown[]): Promise<string[]> {
  const reply = await lab.child(lab.a, 'rtnl', IFNAME, JSON.stringify(ops)).expect('rtnl');
  return reply.outcomes as string[];
}

// 10.10.10.129 = 0a0a0a81, 10.10.10.250 = 0a0a0afa, fd00:10::129
const V4 = '0a0a0a81';
const V6 = 'fd000010000000000000000000000129';

test('an IPv4 address is added with its prefix, label, broadcast and scope; a second add is EEXIST', async () => {
  // Host scope on a /32 (the kernel refuses it with a /24: EINVAL from the prefix route).
  const add = { op: 'add', family: 4, local: V4, prefixLength: 32, scope: 254, label: `${IFNAME}:vip`, broadcast: '0a0a0afa' };
  assert.deepEqual(await rtnl([add, add]), ['ok', 'EEXIST']);
  const a = find('10.10.10.129');
  assert.deepEqual(a && [a.prefixlen, a.scope, a.label, a.broadcast], [32, 'host', `${IFNAME}:vip`, '10.10.10.250']);
  assert.equal(addresses().filter((x) => x.local === '10.10.10.129').length, 1, 'EXCL: nothing duplicated or replaced');
});

test('deleting removes the address and leaves the node address; deleting again is EADDRNOTAVAIL', async () => {
  const del = { op: 'del', family: 4, local: V4, prefixLength: 32 };
  assert.deepEqual(await rtnl([del, del]), ['ok', 'EADDRNOTAVAIL']);
  assert.equal(find('10.10.10.129'), undefined);
  assert.ok(find(lab.a.v4), 'the node address is untouched');
});

test('an IPv6 address takes IFA_F_NODAD, NOPREFIXROUTE and lifetimes (deprecated, valid forever)', async () => {
  // IFA_F_NODAD 0x02 | IFA_F_NOPREFIXROUTE 0x200
  const add = { op: 'add', family: 6, local: V6, prefixLength: 128, flags: 0x202, lifetimes: { preferred: 0, valid: 0xffffffff } };
  assert.deepEqual(await rtnl([add]), ['ok']);
  const a = find('fd00:10::129');
  assert.ok(a, 'kernel has the address');
  assert.deepEqual([a.prefixlen, a.nodad, a.tentative, a.noprefixroute, a.preferred_life_time], [128, true, undefined, true, 0]);
  assert.deepEqual(await rtnl([{ op: 'del', family: 6, local: V6, prefixLength: 128 }]), ['ok']);
  assert.equal(find('fd00:10::129'), undefined);
});

test('an interface index that does not exist is the kernel\'s ENODEV; an unknown name is ENODEV too', async () => {
  assert.deepEqual(await rtnl([{ op: 'add', family: 4, local: V4, prefixLength: 32, ifindex: 99_999 }]), ['ENODEV']);
  const missing = await lab.child(lab.a, 'rtnl', 'nosuch0', '[]').next();
  assert.deepEqual([missing.event, missing.code], ['error', 'ENODEV']);
});
