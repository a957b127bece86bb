// A hostile third node flooding the LAN: sends one VRRP message as fast as it can for a while, through
// @hotstandby/netio's raw socket with a chosen TTL. Run INSIDE a lab node (lab.exec):
//
//   node --import tsx vrrp-flood.ts IFACE HEX DESTINATION HOP_LIMIT DURATION_MS
//
// and prints one JSON line { sent, failed, ms } when done: `sent` counts sendto calls that succeeded
// (the kernel may still drop some under load; receivers count what they got), `failed` those that threw
// (ENOBUFS and the like).
import { VrrpSocket } from '@hotstandby/netio';

const [iface = 'eth0', hex = '', destination = '224.0.0.18', hopArg = '255', msArg = '3000'] = process.argv.slice(2);
const data = Buffer.from(hex, 'hex');
const hopLimit = Number(hopArg);
const durationMs = Number(msArg);
const socket = new VrrpSocket({ family: 4, interface: iface, joinGroup: false, onPacket: () => {} });
let sent = 0;
let failed = 0;
const start = performance.now();
// A tight synchronous loop: the clock is read once every 256 packets.
for (let i = 0; ; i++) {
  if ((i & 255) === 0 && performance.now() - start >= durationMs) break;
  try {
    socket.send(data, destination, { hopLimit });
    sent++;
  } catch {
    failed++;
  }
}
const ms = performance.now() - start;
socket.close();
console.log(JSON.stringify({ sent, failed, ms: Math.round(ms) }));
