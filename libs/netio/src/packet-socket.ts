// An AF_PACKET socket on one interface: sends whole Ethernet frames built by the caller (gratuitous
// ARP, unsolicited Neighbour Advertisement, as keepalived's vrrp_arp.c / vrrp_ndisc.c do) and, when
// given an EtherType, receives frames of that type (tests, inspection).
import { interfaceInfo } from './interface-info.js';
import { native, pollError } from './native.js';
import type { NativeWatcher } from './native.js';

/** EtherTypes for `receive`. */
export const ETH_P_ALL = 0x0003;
export const ETH_P_IP = 0x0800;
export const ETH_P_ARP = 0x0806;
export const ETH_P_IPV6 = 0x86dd;

/** sll_pkttype values (<linux/if_packet.h>). */
export const PacketType = { host: 0, broadcast: 1, multicast: 2, otherHost: 3, outgoing: 4 } as const;

export interface ReceivedFrame {
  /** The whole frame, Ethernet header first. */
  data: Buffer;
  ifindex: number;
  ethertype: number;
  /** One of PacketType: with ETH_P_ALL our own frames come back as `outgoing`. */
  pktType: number;
}

export interface PacketSocketOptions {
  interface: string;
  /** Receive frames of this EtherType (ETH_P_ARP, ETH_P_ALL, ...). Omit for a send-only socket. */
  receive?: { ethertype: number; onFrame: (frame: ReceivedFrame) => void; onError?: (error: Error) => void };
}

export class PacketSocket {
  readonly interfaceName: string;
  readonly ifindex: number;
  /** The interface's MAC, the usual source of GARP/NA frames (keepalived sends from it, not the VMAC). */
  readonly mac: Uint8Array;
  readonly #fd: number;
  readonly #watcher: NativeWatcher;
  readonly #receive: PacketSocketOptions['receive'];
  #closed = false;

  constructor(options: PacketSocketOptions) {
    const info = interfaceInfo(options.interface);
    this.interfaceName = options.interface;
    this.ifindex = info.ifindex;
    this.mac = info.mac;
    this.#receive = options.receive;
    this.#fd = native.packetOpen(info.ifindex, options.receive?.ethertype ?? 0);
    // Send-only sockets get a watcher too (never started): it owns and closes the fd.
    this.#watcher = new native.FdWatcher(this.#fd, (status) => this.#readable(status));
    if (options.receive) this.#watcher.start();
  }

  /** Sends one frame (destination MAC, source MAC, EtherType, payload). Returns bytes sent. */
  send(frame: Uint8Array): number {
    if (this.#closed) throw new Error('PacketSocket is closed');
    return native.packetSend(this.#fd, this.ifindex, frame);
  }

  unref(): this {
    this.#watcher.unref();
    return this;
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#watcher.close(); // also closes the fd
  }

  #readable(status: number): void {
    const receive = this.#receive;
    if (this.#closed || !receive) return;
    const fail = (error: Error): void => {
      if (receive.onError) receive.onError(error);
      else throw error;
    };
    if (status < 0) return fail(pollError(status, 'packet socket'));
    for (let i = 0; i < 64 && !this.#closed; i++) {
      let frame;
      try {
        frame = native.packetRecv(this.#fd);
      } catch (error) {
        return fail(error as Error);
      }
      if (frame === undefined) return;
      receive.onFrame(frame);
    }
  }
}
