// A tiny IP-protocol-112 sender/receiver, run INSIDE a lab node (lab.spawn / lab.exec) to check what crosses
// the LAN without a VRRP daemon. Not a VRRP implementation: the payload is opaque bytes.
//
//   node --import tsx proto112.ts send <dst> [count] [iface]   sends count packets (default 3), TTL 255
//   node --import tsx proto112.ts recv [group] [iface]         prints `ready`; when its stdin closes, one
//                                                             JSON line { count, sources: [...] }
//
// raw-socket has no typings and is CommonJS; the few calls used here are typed below.
// Pitfall: raw-socket's native socket is garbage-collected (and closed) once no JS value refers to it,
// even with a send pending, whose callback then never runs; hence `open` keeps every socket referenced.
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';

interface RawSocket {
  setOption(level: number, option: number, value: Buffer | number, length?: number): void;
  send(buf: Buffer, offset: number, length: number, address: string, cb: (error: Error | null, bytes: number) => void): void;
  on(event: 'message', cb: (buf: Buffer, source: string) => void): void;
  on(event: 'error', cb: (e: Error) => void): void;
  close(): void;
}
interface RawSocketModule {
  createSocket(options: { protocol: number; addressFamily?: number }): RawSocket;
}
const raw = createRequire(import.meta.url)('raw-socket') as RawSocketModule;

const IPPROTO_IP = 0;
const IP_MULTICAST_IF = 32;
const IP_MULTICAST_TTL = 33;
const IP_ADD_MEMBERSHIP = 35;
const VRRP = 112;

const open: RawSocket[] = [];
function createSocket(): RawSocket {
  const s = raw.createSocket({ protocol: VRRP });
  open.push(s);
  return s;
}

/** struct ip_mreqn { in_addr multiaddr; in_addr address; int ifindex } — selects the interface by index. */
function mreqn(group: string, ifindex: number): Buffer {
  const b = Buffer.alloc(12);
  group.split('.').forEach((o, i) => b.writeUInt8(Number(o), i));
  b.writeInt32LE(ifindex, 8); // host order on x86/arm little-endian Linux
  return b;
}

function ifindex(iface: string): number {
  // `ip netns exec` remounts /sys for the namespace, so this is the namespace's interface.
  return Number(readFileSync(`/sys/class/net/${iface}/ifindex`, 'utf8').trim());
}

async function send(dst: string, count: number, iface: string): Promise<void> {
  const s = createSocket();
  s.setOption(IPPROTO_IP, IP_MULTICAST_IF, mreqn('0.0.0.0', ifindex(iface)), 12);
  s.setOption(IPPROTO_IP, IP_MULTICAST_TTL, 255);
  const payload = Buffer.from('2133640101000000', 'hex'); // looks like a v2 advert header; content irrelevant
  for (let i = 0; i < count; i++) {
    await new Promise<void>((resolve, reject) => s.send(payload, 0, payload.length, dst, (e) => (e ? reject(e) : resolve())));
  }
  s.close();
}

function recv(group: string, iface: string): void {
  const s = createSocket();
  // Without membership the kernel drops 224.0.0.18 before raw sockets see it.
  s.setOption(IPPROTO_IP, IP_ADD_MEMBERSHIP, mreqn(group, ifindex(iface)), 12);
  const sources = new Set<string>();
  let count = 0;
  s.on('message', (_buf, source) => {
    count++;
    sources.add(source);
  });
  s.on('error', (e) => {
    console.error(e);
    process.exit(1);
  });
  console.log('ready');
  process.stdin.resume();
  process.stdin.once('end', () => {
    // A packet sent just before stdin closed may still be in the socket queue: give it a moment.
    setTimeout(() => {
      s.close();
      console.log(JSON.stringify({ count, sources: [...sources] }));
    }, 100);
  });
}

const [mode, a, b, c] = process.argv.slice(2);
if (mode === 'send' && a !== undefined) {
  await send(a, Number(b ?? 3), c ?? 'eth0');
} else if (mode === 'recv') {
  recv(a ?? '224.0.0.18', b ?? 'eth0');
} else {
  console.error('usage: proto112.ts send <dst> [count] [iface] | recv [group] [iface]');
  process.exit(2);
}
