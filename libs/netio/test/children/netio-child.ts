// Runs one netio operation inside a network namespace for the tests (started by test/lab.ts via
// `ip netns exec`). Reports JSON lines on stdout: `ready`, then `packet`/`frame`/`sent`, or `error`.
//   recv-vrrp <4|6> <ifname> <count>                 receive count adverts, then exit
//   send-vrrp <4|6> <ifname> <dst> <hex> [hopLimit] [source]
//   recv-frames <ifname> <ethertype> <count>           receive count frames (outgoing ones skipped)
//   send-frame <ifname> <hex>
//   info <ifname>
//   rtnl <ifname> <json>                               run address requests ({ op: 'add'|'del', ...request
//                                                      with local/broadcast as hex, ifindex optional})
//                                                      on one RtnlSocket;
//                                                      reports each outcome: 'ok' or the error code
import { ifNameToIndex, interfaceInfo, PacketSocket, PacketType, RtnlSocket, VrrpSocket } from '@hotstandby/netio';
import type { RtnlAddressRequest } from '@hotstandby/netio';

function say(message: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify(message)}\n`);
}

function family(text: string | undefined): 4 | 6 {
  if (text === '4' || text === '6') return Number(text) as 4 | 6;
  throw new Error(`family must be 4 or 6, not ${text}`);
}

const [command, ...args] = process.argv.slice(2);
// A child must never outlive a failed test run.
const deadline = setTimeout(() => {
  say({ event: 'error', message: 'timed out' });
  process.exit(2);
}, 15_000);

try {
  switch (command) {
    case 'recv-vrrp': {
      let left = Number(args[2]);
      const socket = new VrrpSocket({
        family: family(args[0]),
        interface: args[1]!,
        onPacket: (p) => {
          say({ event: 'packet', ...p, data: p.data.toString('hex') });
          if (--left === 0) {
            socket.close();
            clearTimeout(deadline);
          }
        },
      });
      say({ event: 'ready', ifindex: socket.ifindex, localAddress: socket.localAddress });
      break;
    }
    case 'send-vrrp': {
      const socket = new VrrpSocket({ family: family(args[0]), interface: args[1]!, joinGroup: false, onPacket: () => {} });
      const options = { ...(args[4] ? { hopLimit: Number(args[4]) } : {}), ...(args[5] ? { source: args[5] } : {}) };
      const bytes = socket.send(Buffer.from(args[3]!, 'hex'), args[2], options);
      say({ event: 'sent', bytes, localAddress: socket.localAddress });
      socket.close();
      clearTimeout(deadline);
      break;
    }
    case 'recv-frames': {
      let left = Number(args[2]);
      const socket = new PacketSocket({
        interface: args[0]!,
        receive: {
          ethertype: Number(args[1]),
          onFrame: (f) => {
            if (f.pktType === PacketType.outgoing) return;
            say({ event: 'frame', ...f, data: f.data.toString('hex') });
            if (--left === 0) {
              socket.close();
              clearTimeout(deadline);
            }
          },
        },
      });
      say({ event: 'ready', ifindex: socket.ifindex });
      break;
    }
    case 'send-frame': {
      const socket = new PacketSocket({ interface: args[0]! });
      say({ event: 'sent', bytes: socket.send(Buffer.from(args[1]!, 'hex')) });
      socket.close();
      clearTimeout(deadline);
      break;
    }
    case 'info': {
      const info = interfaceInfo(args[0]!);
      say({ event: 'info', ...info, mac: Buffer.from(info.mac).toString('hex') });
      clearTimeout(deadline);
      break;
    }
    case 'rtnl': {
      type Op = Omit<RtnlAddressRequest, 'ifindex' | 'local' | 'broadcast'> & { ifindex?: number; op: 'add' | 'del'; local: string; broadcast?: string };
      const ifindex = ifNameToIndex(args[0]!);
      const socket = RtnlSocket.open();
      const outcomes: string[] = [];
      for (const { op, local, broadcast, ...rest } of JSON.parse(args[1]!) as Op[]) {
        const request = { ifindex, ...rest, local: Buffer.from(local, 'hex'), ...(broadcast ? { broadcast: Buffer.from(broadcast, 'hex') } : {}) };
        try {
          if (op === 'add') socket.addAddress(request);
          else socket.deleteAddress(request);
          outcomes.push('ok');
        } catch (e) {
          outcomes.push((e as { code?: string }).code ?? String(e));
        }
      }
      socket.close();
      say({ event: 'rtnl', ifindex, outcomes });
      clearTimeout(deadline);
      break;
    }
    default:
      throw new Error(`unknown command ${command}`);
  }
} catch (error) {
  const e = error as Error & { code?: string; syscall?: string };
  say({ event: 'error', message: e.message, code: e.code, syscall: e.syscall });
  process.exit(1);
}
