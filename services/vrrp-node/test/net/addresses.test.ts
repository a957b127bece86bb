// VIPs on eth0 through rtnetlink, checked against what iproute2 reads back from the kernel.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { AddressTable, listAddresses } from '../../src/net/addresses.js';
import { RtnetlinkError } from '../../src/net/rtnetlink.js';
import { insideLab } from './in-lab.js';

interface IpAddr {
  family: string;
  local: string;
  prefixlen: number;
  scope: string;
  label?: string;
  broadcast?: string;
  tentative?: boolean;
  nodad?: boolean;
  secondary?: boolean;
  preferred_life_time?: number;
}

/** What `ip -j addr show dev eth0` says: an independent reading of the kernel's table. */
function ipAddr(dev = 'eth0'): IpAddr[] {
  const links = JSON.parse(execFileSync('ip', ['-j', 'addr', 'show', 'dev', dev], { encoding: 'utf8' })) as Array<{ addr_info?: IpAddr[] }>;
  return links.flatMap((l) => l.addr_info ?? []);
}
function find(address: string): IpAddr | undefined {
  return ipAddr().find((a) => a.local === address);
}

if (insideLab(import.meta.url)) {
  describe('AddressTable (rtnetlink) on eth0', () => {
    let table: AddressTable;
    before(() => {
      table = AddressTable.open();
    });
    after(() => table.close());

    test('adds the tutorial VIP 10.10.10.129 as /32 scope global, as keepalived does', async () => {
      assert.equal(await table.add({ address: '10.10.10.129', prefixLength: 32 }, 'eth0'), 'added');
      const a = find('10.10.10.129');
      assert.ok(a, 'kernel has the VIP');
      assert.equal(a.prefixlen, 32);
      assert.equal(a.scope, 'global');
    });

    test('adding a VIP the kernel already has reports "present" and duplicates nothing', async () => {
      assert.equal(await table.add({ address: '10.10.10.129', prefixLength: 32 }, 'eth0'), 'present');
      assert.equal(ipAddr().filter((a) => a.local === '10.10.10.129').length, 1);
    });

    test('listAddresses reads back the node address, the VIP and the IPv6 link-local', async () => {
      const list = await table.listAddresses('eth0');
      const vip = list.find((a) => a.address === '10.10.10.129');
      assert.deepEqual(vip && { family: vip.family, prefixLength: vip.prefixLength, scope: vip.scope }, { family: 'ipv4', prefixLength: 32, scope: 'global' });
      assert.ok(list.some((a) => a.address === '10.10.10.126' && a.prefixLength === 24));
      assert.ok(list.some((a) => a.family === 'ipv6' && a.scope === 'link'));
      assert.deepEqual(
        (await listAddresses('eth0')).map((a) => a.address).sort(),
        list.map((a) => a.address).sort(),
        'the one-shot function agrees',
      );
    });

    test('removing the VIP takes it off the interface; removing it again reports "absent"', async () => {
      assert.equal(await table.remove({ address: '10.10.10.129', prefixLength: 32 }, 'eth0'), 'removed');
      assert.equal(find('10.10.10.129'), undefined);
      assert.equal(await table.remove({ address: '10.10.10.129', prefixLength: 32 }, 'eth0'), 'absent');
      assert.ok(find('10.10.10.126'), 'the node address is untouched');
    });

    test('an IPv6 VIP is added without duplicate-address detection, so it is usable at once', async () => {
      assert.equal(await table.add({ address: 'fd00:10::129', prefixLength: 128 }, 'eth0'), 'added');
      const a = find('fd00:10::129');
      assert.ok(a);
      assert.equal(a.tentative, undefined, 'not tentative');
      assert.equal(a.nodad, true);
      assert.equal(a.preferred_life_time, 0, 'a /128 VIP is deprecated (never a source address), as keepalived makes it');
      assert.equal(await table.remove({ address: 'fd00:10::129', prefixLength: 128 }, 'eth0'), 'removed');
      assert.equal(await table.remove({ address: 'fd00:10::129', prefixLength: 128 }, 'eth0'), 'absent');
      assert.equal(find('fd00:10::129'), undefined);
    });

    test('prefix length, label, computed broadcast and scope are installed as written', async () => {
      await table.add({ address: '10.10.10.130', prefixLength: 24, label: 'eth0:vi2', broadcast: '+' }, 'eth0');
      await table.add({ address: '10.10.10.131', prefixLength: 32, scope: 'host', broadcast: '10.10.10.250' }, 'eth0');
      const a = find('10.10.10.130');
      assert.deepEqual(a && [a.prefixlen, a.label, a.broadcast, a.secondary], [24, 'eth0:vi2', '10.10.10.255', true]);
      const b = find('10.10.10.131');
      assert.deepEqual(b && [b.scope, b.broadcast], ['host', '10.10.10.250']);
      const ours = (await table.listAddresses('eth0')).find((x) => x.address === '10.10.10.130');
      assert.deepEqual(ours && [ours.label, ours.broadcast, ours.flags.includes('secondary')], ['eth0:vi2', '10.10.10.255', true]);
      assert.equal(await table.remove({ address: '10.10.10.130', prefixLength: 24 }, 'eth0'), 'removed');
      assert.equal(await table.remove({ address: '10.10.10.131', prefixLength: 32 }, 'eth0'), 'removed');
    });

    test('a VIP on an interface that does not exist is a kernel error (ENODEV), not a silent no-op', async () => {
      await assert.rejects(table.add({ address: '10.10.10.129', prefixLength: 32 }, 'nosuch0'), (e) => e instanceof RtnetlinkError && e.code === 'ENODEV');
    });

    test('a prefix length the family cannot have is refused before anything is sent', async () => {
      await assert.rejects(table.add({ address: '10.10.10.129', prefixLength: 33 }, 'eth0'), RangeError);
      assert.equal(find('10.10.10.129'), undefined);
    });
  });
}
