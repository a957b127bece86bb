// The namespace lab every end-to-end test stands on: if these fail, no e2e result means anything.
// Needs root, iproute2, nftables, tcpdump and ping; without them createLab throws (no silent skip).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { once } from 'node:events';
import { createLab, sweepStale } from '../lab/lab.js';
import type { Lab } from '../lab/lab.js';
import { LAB_RUN_DIR, listNamespaces } from '../lab/registry.js';
import { run } from '../lab/command.js';

const probe = fileURLToPath(new URL('../lab/probe/proto112.ts', import.meta.url));

/** How many proto-112 packets sent by `from` to `dst` arrive at `to` (listening on 224.0.0.18). */
async function vrrpPacketsArriving(lab: Lab, from: string, to: string, dst = '224.0.0.18'): Promise<number> {
  const receiver = lab.spawn(to, [process.execPath, '--import', 'tsx', probe, 'recv'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const closed = once(receiver, 'close');
  let out = '';
  const ready = new Promise<void>((resolve, reject) => {
    receiver.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      if (out.includes('ready')) resolve();
    });
    receiver.once('exit', (code) => reject(new Error(`receiver exited (${code}) before it was ready`)));
  });
  await ready;
  try {
    await lab.exec(from, [process.execPath, '--import', 'tsx', probe, 'send', dst, '3']);
  } finally {
    receiver.stdin!.end(); // the receiver reports its count when its stdin closes
  }
  await closed;
  const last = out.trim().split('\n').at(-1)!;
  return (JSON.parse(last) as { count: number }).count;
}

async function pings(lab: Lab, from: string, to: string): Promise<boolean> {
  const r = await lab.exec(from, ['ping', '-c', '3', '-W', '1', '-i', '0.2', '-n', '-q', to], { check: false });
  return r.code === 0;
}

/** IP protocol numbers of the IPv4 packets in a classic Ethernet pcap. */
function ipProtocols(pcap: Uint8Array): number[] {
  const v = new DataView(pcap.buffer, pcap.byteOffset, pcap.byteLength);
  const protos: number[] = [];
  for (let off = 24; off + 16 <= pcap.length; ) {
    const caplen = v.getUint32(off + 8, true);
    const frame = off + 16;
    if (v.getUint16(frame + 12) === 0x0800) protos.push(pcap[frame + 14 + 9]!);
    off = frame + caplen;
  }
  return protos;
}

describe('network-namespace lab', () => {
  let lab: Lab;
  before(async () => {
    lab = await createLab({
      name: 'labtest',
      nodes: [
        { name: 'a', addresses: ['10.10.10.126/24'], ipv6: true },
        { name: 'b', addresses: ['10.10.10.127/24'], ipv6: true },
        { name: 'c', addresses: ['10.10.10.128/24'] },
      ],
    });
  });
  after(async () => {
    await lab?.destroy();
  });

  test('each node has eth0 with its address and a usable (non-tentative) IPv6 link-local', async () => {
    const addrs = await lab.addresses('a');
    assert.ok(addrs.some((x) => x.family === 4 && x.address === '10.10.10.126' && x.prefixLength === 24));
    const ll = addrs.find((x) => x.family === 6 && x.scope === 'link');
    assert.ok(ll, 'link-local present');
    assert.ok(!ll.flags.includes('tentative'), `link-local still in DAD: ${ll.flags.join(',')}`);
  });

  test('node a pings node b over the bridge', async () => {
    assert.equal(await pings(lab, 'a', '10.10.10.127'), true);
  });

  test('a VRRP multicast packet (224.0.0.18, protocol 112) from a reaches b', async () => {
    assert.ok((await vrrpPacketsArriving(lab, 'a', 'b')) >= 3);
  });

  test('partition() stops protocol 112 between nodes while ping still works; heal() restores it', async () => {
    await lab.partition();
    assert.equal(await vrrpPacketsArriving(lab, 'a', 'b'), 0);
    assert.equal(await pings(lab, 'a', '10.10.10.127'), true);
    await lab.heal();
    assert.ok((await vrrpPacketsArriving(lab, 'a', 'b')) >= 3);
    await lab.heal(); // healing twice is harmless
  });

  test('partition({ groups }) cuts VRRP only between the groups', async () => {
    await lab.partition({ groups: [['a', 'b'], ['c']] });
    try {
      assert.ok((await vrrpPacketsArriving(lab, 'a', 'b')) >= 3, 'same side still hears');
      assert.equal(await vrrpPacketsArriving(lab, 'a', 'c'), 0, 'other side does not');
    } finally {
      await lab.heal();
    }
  });

  test("partition({ traffic: 'all' }) cuts unicast too", async () => {
    await lab.partition({ traffic: 'all' });
    try {
      assert.equal(await pings(lab, 'a', '10.10.10.127'), false);
    } finally {
      await lab.heal();
    }
    assert.equal(await pings(lab, 'a', '10.10.10.127'), true);
  });

  test('a capture on the bridge records the VRRP packets as a classic pcap', async () => {
    const cap = await lab.capture({ filter: 'ip proto 112' });
    await lab.exec('a', [process.execPath, '--import', 'tsx', probe, 'send', '224.0.0.18', '2']);
    const pcap = await cap.stop();
    assert.equal(new DataView(pcap.buffer, pcap.byteOffset).getUint32(0, true), 0xa1b2c3d4, 'microsecond pcap magic');
    assert.deepEqual(ipProtocols(pcap), [112, 112]);
  });

  test('linkDown() takes the node off the LAN and linkUp() brings it back', async () => {
    await lab.linkDown('b');
    assert.equal(await pings(lab, 'a', '10.10.10.127'), false);
    await lab.linkUp('b');
    assert.equal(await pings(lab, 'a', '10.10.10.127'), true);
  });
});

describe('lab teardown', () => {
  test('destroy() kills what the lab started and leaves no namespace behind, twice over', async () => {
    const lab = await createLab({ nodes: [{ name: 'x', addresses: ['10.10.10.1/24'] }] });
    try {
      const sleeper = lab.spawn('x', ['sleep', '600']);
      const gone = once(sleeper, 'exit');
      assert.ok((await listNamespaces()).some((n) => n.startsWith(lab.prefix)));
      await lab.destroy();
      await gone;
      assert.equal(sleeper.exitCode === 0, false, 'sleep did not run to completion');
      assert.deepEqual((await listNamespaces()).filter((n) => n.startsWith(lab.prefix)), []);
    } finally {
      await lab.destroy();
    }
  });

  test('sweepStale removes namespaces of a dead creator and spares a live one', async () => {
    const live = await createLab({ nodes: [{ name: 'y' }] });
    const deadPrefix = `hs-dead${process.pid.toString(16)}-`;
    try {
      const corpse = spawn('true');
      await once(corpse, 'exit');
      mkdirSync(LAB_RUN_DIR, { recursive: true });
      writeFileSync(`${LAB_RUN_DIR}/${deadPrefix}.pid`, `${corpse.pid} 1\n`);
      await run(['ip', 'netns', 'add', `${deadPrefix}lan`]);
      const removed = await sweepStale();
      assert.ok(removed.includes(`${deadPrefix}lan`));
      const names = await listNamespaces();
      assert.equal(names.includes(`${deadPrefix}lan`), false);
      assert.ok(names.includes(live.netns('y')), 'live lab untouched');
    } finally {
      await live.destroy();
      await run(['ip', 'netns', 'del', `${deadPrefix}lan`]).catch(() => undefined);
    }
  });
});
