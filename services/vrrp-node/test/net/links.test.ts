// Interface facts and rtnetlink events: what track_interface and VIP supervision stand on.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { AddressTable } from '../../src/net/addresses.js';
import { LinkMonitor, LinkTable, getLink } from '../../src/net/links.js';
import type { LinkMonitorEvent } from '../../src/net/links.js';
import { insideLab } from './in-lab.js';

function ip(...args: string[]): void {
  execFileSync('ip', args, { stdio: ['ignore', 'ignore', 'inherit'] });
}
function sys(file: string): string {
  return readFileSync(`/sys/class/net/eth0/${file}`, 'utf8').trim();
}

/** The first event matching `match`; a generous deadline only turns a hang into a failure. */
function nextEvent<E extends LinkMonitorEvent>(monitor: LinkMonitor, match: (e: LinkMonitorEvent) => e is E): Promise<E>;
function nextEvent(monitor: LinkMonitor, match: (e: LinkMonitorEvent) => boolean): Promise<LinkMonitorEvent>;
function nextEvent(monitor: LinkMonitor, match: (e: LinkMonitorEvent) => boolean): Promise<LinkMonitorEvent> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      monitor.off('event', listener);
      reject(new Error('no matching rtnetlink event within 10 s'));
    }, 10_000);
    const listener = (e: LinkMonitorEvent): void => {
      if (!match(e)) return;
      clearTimeout(timer);
      monitor.off('event', listener);
      resolve(e);
    };
    monitor.on('event', listener);
  });
}

if (insideLab(import.meta.url)) {
  describe('LinkTable', () => {
    test('reports eth0 as the kernel has it: index, MAC, MTU, up with carrier', async () => {
      const link = await getLink('eth0');
      assert.ok(link);
      assert.equal(link.ifindex, Number(sys('ifindex')));
      assert.equal(link.mac, sys('address'));
      assert.equal(link.mtu, Number(sys('mtu')));
      assert.deepEqual([link.adminUp, link.running, link.lowerUp, link.carrier, link.operstate, link.up], [true, true, true, true, 'up', true]);
      const table = LinkTable.open();
      try {
        assert.equal((await table.get(link.ifindex))?.name, 'eth0', 'lookup by index');
        assert.deepEqual((await table.list()).map((l) => l.name).sort(), ['eth0', 'lo']);
      } finally {
        table.close();
      }
    });

    test('an interface that does not exist is undefined, not an exception', async () => {
      assert.equal(await getLink('nosuch0'), undefined);
    });
  });

  describe('LinkMonitor', () => {
    let monitor: LinkMonitor;
    before(async () => {
      monitor = await LinkMonitor.open({ ref: false });
    });
    after(() => monitor.close());

    test('knows the current state of every link from the start', () => {
      assert.equal(monitor.isUp('eth0'), true);
      assert.equal(monitor.isUp(Number(sys('ifindex'))), true);
      assert.equal(monitor.isUp('nosuch0'), undefined);
    });

    test('eth0 going down and coming back up is reported once each way (track_interface)', async () => {
      const down = nextEvent(monitor, (e) => e.kind === 'state' && e.name === 'eth0');
      ip('link', 'set', 'eth0', 'down');
      assert.deepEqual(await down, { kind: 'state', ifindex: Number(sys('ifindex')), name: 'eth0', up: false, removed: false });
      assert.equal(monitor.isUp('eth0'), false);
      const up = nextEvent(monitor, (e) => e.kind === 'state' && e.name === 'eth0');
      ip('link', 'set', 'eth0', 'up');
      assert.equal(((await up) as { up: boolean }).up, true);
      assert.equal(monitor.isUp('eth0'), true);
    });

    test('a change that keeps the link up (MTU) is a link event but no state flip', async () => {
      const flips: LinkMonitorEvent[] = [];
      const onState = (e: LinkMonitorEvent): void => void flips.push(e);
      monitor.on('state', onState);
      try {
        const changed = nextEvent(monitor, (e) => e.kind === 'link' && e.link.name === 'eth0' && e.link.mtu === 1400);
        ip('link', 'set', 'eth0', 'mtu', '1400');
        await changed;
        assert.deepEqual(flips, []);
      } finally {
        monitor.off('state', onState);
        ip('link', 'set', 'eth0', 'mtu', '1500');
      }
    });

    test('a VIP we add is seen, and the same VIP deleted by hand is noticed', async () => {
      const table = AddressTable.open();
      try {
        // Our own change arrives too: the monitor's socket is not the one that made it.
        const added = nextEvent(monitor, (e) => e.kind === 'address' && e.address.address === '10.10.10.129');
        await table.add({ address: '10.10.10.129', prefixLength: 32 }, 'eth0');
        const a = await added;
        assert.equal(a.kind === 'address' && a.change, 'new');

        const deleted = nextEvent(monitor, (e) => e.kind === 'address' && e.change === 'del' && e.address.address === '10.10.10.129');
        ip('addr', 'del', '10.10.10.129/32', 'dev', 'eth0');
        const d = await deleted;
        assert.deepEqual(d.kind === 'address' && [d.address.prefixLength, d.address.ifindex], [32, Number(sys('ifindex'))]);
      } finally {
        await table.remove({ address: '10.10.10.129', prefixLength: 32 }, 'eth0');
        table.close();
      }
    });

    test('IPv6 address changes are reported too', async () => {
      const added = nextEvent(monitor, (e) => e.kind === 'address' && e.change === 'new' && e.address.address === 'fd00:10::129');
      ip('addr', 'add', 'fd00:10::129/128', 'dev', 'eth0', 'nodad');
      assert.equal(((await added) as { address: { family: string } }).address.family, 'ipv6');
      const removed = nextEvent(monitor, (e) => e.kind === 'address' && e.change === 'del' && e.address.address === 'fd00:10::129');
      ip('addr', 'del', 'fd00:10::129/128', 'dev', 'eth0');
      await removed;
    });

    test('can be consumed as an async iterator, which ends on close()', async () => {
      const own = await LinkMonitor.open({ ref: false });
      const seen: LinkMonitorEvent[] = [];
      const consumer = (async () => {
        for await (const e of own) {
          seen.push(e);
          if (e.kind === 'state' && e.name === 'eth0' && e.up) own.close();
        }
      })();
      ip('link', 'set', 'eth0', 'down');
      ip('link', 'set', 'eth0', 'up');
      await consumer; // returns only because close() ended the iteration
      const flips = seen.filter((e) => e.kind === 'state').map((e) => e.kind === 'state' && e.up);
      assert.deepEqual(flips, [false, true]);
    });
  });
}
