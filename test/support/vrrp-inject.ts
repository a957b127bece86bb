// A hostile third node on the LAN: sends the VRRP messages it is given, as they are, through
// @hotstandby/netio's raw socket — with a chosen TTL, so RFC 9568 §7.1's TTL check can be exercised.
// Run INSIDE a lab node (lab.exec), reading a JSON array of packets on stdin:
//
//   [{ "hex": "2133...", "destination": "224.0.0.18", "hopLimit": 255 }, ...]
//
// and printing one JSON line { sent: N } when done. The bytes are built by the test with
// @hotstandby/protocol (vrrp.withChecksum / encode) and then damaged on purpose.
import { VrrpSocket } from '@hotstandby/netio';

export interface InjectedPacket {
  /** The VRRP message (no IP header), hex. */
  hex: string;
  destination: string;
  /** IPv4 TTL (default 255). */
  hopLimit?: number;
}

async function readStdin(): Promise<string> {
  let text = '';
  for await (const chunk of process.stdin) text += String(chunk);
  return text;
}

const packets = JSON.parse(await readStdin()) as InjectedPacket[];
const socket = new VrrpSocket({ family: 4, interface: process.argv[2] ?? 'eth0', joinGroup: false, onPacket: () => {} });
let sent = 0;
for (const p of packets) {
  socket.send(Buffer.from(p.hex, 'hex'), p.destination, { hopLimit: p.hopLimit ?? 255 });
  sent++;
  await new Promise((r) => setTimeout(r, 5)); // paced, like a misbehaving router rather than a flood
}
socket.close();
console.log(JSON.stringify({ sent }));
