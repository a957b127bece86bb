// A raw IP protocol-112 socket on one interface, for VRRP adverts over IPv4 or IPv6, event-driven.
// One class for both families (the npm raw-socket package cannot report the ingress ifindex, nor the
// IPv6 hop limit at all). Socket options follow keepalived (vrrp.c open_vrrp_*_socket): bound to
// the device, multicast group joined on its ifindex, multicast loop off, TTL/hop limit 255, TOS 0xc0.
import { monotonicUs } from './clock.js';
import { interfaceInfo } from './interface-info.js';
import { native, pollError } from './native.js';
import type { NativeWatcher } from './native.js';

export type IpFamily = 4 | 6;

/** RFC 9568 §5.1.1.2 / §5.1.2.2 */
export const VRRP_GROUP_V4 = '224.0.0.18';
export const VRRP_GROUP_V6 = 'ff02::12';

export interface VrrpSocketOptions {
  family: IpFamily;
  /** Interface name, e.g. 'eth0'. */
  interface: string;
  /** Join the group (`group`) on the interface. Default true; false for unicast-peer instances. */
  joinGroup?: boolean;
  /**
   * The multicast group adverts go to and the socket joins: keepalived's global vrrp_mcast_group4 /
   * vrrp_mcast_group6 (keepalived sends to it and joins it on the interface, vrrp.c
   * open_vrrp_read_socket → if_join_vrrp_group). Default 224.0.0.18 / ff02::12 (RFC 9568 §5.1.1.2, §5.1.2.2).
   */
  group?: string;
  /** TTL / hop limit of sent packets. Default 255 (RFC 9568 §5.1.1.3, §5.1.2.3); lower only in tests. */
  hopLimit?: number;
  /** IPv4 TOS / IPv6 traffic class of sent packets. Default 0xc0, as keepalived sends. */
  tos?: number;
  /** Called for every packet received on the interface, in arrival order. */
  onPacket: (packet: ReceivedVrrpPacket) => void;
  /** Receive errors. Without it, a receive error is thrown (→ 'uncaughtException'), never dropped. */
  onError?: (error: Error) => void;
}

export interface ReceivedVrrpPacket {
  family: IpFamily;
  /** The VRRP message (IP header already removed), as it came off the wire, checksum unverified. */
  data: Buffer;
  source: string;
  /** The group address for multicast adverts, this host's address for unicast ones. */
  destination: string;
  /** Ingress interface. */
  ifindex: number;
  /** IPv4 TTL or IPv6 hop limit: RFC 9568 §7.1 discards anything but 255. */
  hopLimit: number;
  /** IPv4 TOS or IPv6 traffic class. */
  tos: number;
  /**
   * When the kernel received it (SO_TIMESTAMPNS), on the monotonicUs() clock: the instant a backup's
   * Master_Down_Timer restarts from, without the event loop's wake-up latency. monotonicUs() when the
   * socket was found readable if the kernel gave no timestamp or an implausible one (a step of the
   * realtime clock it is taken on).
   */
  receivedAtUs: number;
}

export interface VrrpSendOptions {
  /**
   * Source address; must be an address of this host (it goes into IP_PKTINFO / IPV6_PKTINFO).
   * Default: `localAddress`. The VRRPv3 checksum covers it (pseudo-header), so compute the checksum
   * with the same address.
   */
  source?: string;
  /** Override the socket's TTL / hop limit for this packet (tests of the §7.1 rule). */
  hopLimit?: number;
}

// Drain at most this many packets per wake-up so one flooded socket cannot starve timers; the
// level-triggered poll calls again at once if more are queued.
const MAX_PACKETS_PER_WAKEUP = 64;
/** A kernel receive time older than this (µs) before the wake-up, or later than MAX_RX_SKEW_US after it, is not trusted. */
const MAX_RX_AGE_US = 1_000_000;
const MAX_RX_SKEW_US = 10_000;

export class VrrpSocket {
  readonly family: IpFamily;
  readonly interfaceName: string;
  readonly ifindex: number;
  /** The group joined and sent to by default: 224.0.0.18 / ff02::12 unless `group` was given. */
  readonly groupAddress: string;
  /**
   * The default advert source, read when the socket was opened: the interface's IPv6 link-local
   * (RFC 9568 §5.1.2.1) or its first IPv4 address (keepalived: the primary address). Undefined if the
   * interface had none; then pass `source` to send() (or the kernel chooses and checksums will be wrong).
   */
  readonly localAddress: string | undefined;
  readonly #fd: number;
  readonly #watcher: NativeWatcher;
  readonly #onPacket: (packet: ReceivedVrrpPacket) => void;
  readonly #onError: ((error: Error) => void) | undefined;
  #closed = false;

  constructor(options: VrrpSocketOptions) {
    const info = interfaceInfo(options.interface);
    this.family = options.family;
    this.interfaceName = options.interface;
    this.ifindex = info.ifindex;
    this.groupAddress = options.group ?? (options.family === 6 ? VRRP_GROUP_V6 : VRRP_GROUP_V4);
    this.localAddress = options.family === 6 ? info.linkLocal6 : info.ipv4[0];
    this.#onPacket = options.onPacket;
    this.#onError = options.onError;
    const hopLimit = options.hopLimit ?? 255;
    const tos = options.tos ?? 0xc0;
    if (!Number.isInteger(hopLimit) || hopLimit < 1 || hopLimit > 255) throw new RangeError(`hopLimit ${hopLimit} not in 1..255`);
    if (!Number.isInteger(tos) || tos < 0 || tos > 255) throw new RangeError(`tos ${tos} not in 0..255`);
    this.#fd = native.vrrpOpen(options.family, options.interface, info.ifindex, options.joinGroup ?? true, hopLimit, tos, this.groupAddress);
    this.#watcher = new native.FdWatcher(this.#fd, (status) => this.#readable(status));
    this.#watcher.start();
  }

  /** Sends one VRRP message (no IP header) to `destination` (default: the group). Returns bytes sent. */
  send(data: Uint8Array, destination: string = this.groupAddress, options: VrrpSendOptions = {}): number {
    if (this.#closed) throw new Error('VrrpSocket is closed');
    const hopLimit = options.hopLimit ?? -1;
    if (hopLimit !== -1 && (!Number.isInteger(hopLimit) || hopLimit < 0 || hopLimit > 255)) {
      throw new RangeError(`hopLimit ${hopLimit} not in 0..255`);
    }
    const source = options.source ?? this.localAddress ?? '';
    return native.vrrpSend(this.#fd, this.family, data, destination, source, this.ifindex, hopLimit);
  }

  /** Let the process exit while this socket is open (default: an open socket keeps it alive). */
  unref(): this {
    this.#watcher.unref();
    return this;
  }

  ref(): this {
    this.#watcher.ref();
    return this;
  }

  /**
   * Reads, now, the packets already queued on the socket and hands them to onPacket as a wake-up would:
   * for a caller that blocked the event loop (vrrp-node's takeover waits out its deadline) and must see
   * what arrived meanwhile before acting.
   */
  drain(): void {
    this.#readable(0);
  }

  /** Stops receiving and closes the socket (leaving the group). Idempotent. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#watcher.close(); // also closes the fd, once libuv has let go of it
  }

  #readable(status: number): void {
    if (this.#closed) return;
    if (status < 0) {
      this.#fail(pollError(status, 'vrrp socket'));
      return;
    }
    const wokeAtUs = monotonicUs();
    for (let i = 0; i < MAX_PACKETS_PER_WAKEUP && !this.#closed; i++) {
      let packet;
      try {
        packet = native.vrrpRecv(this.#fd, this.family);
      } catch (error) {
        this.#fail(error as Error);
        return;
      }
      if (packet === undefined) return;
      const { kernelRxUs, ...rest } = packet;
      const plausible = kernelRxUs > 0 && kernelRxUs <= wokeAtUs + MAX_RX_SKEW_US && wokeAtUs - kernelRxUs <= MAX_RX_AGE_US;
      this.#onPacket({ family: this.family, ...rest, receivedAtUs: plausible ? kernelRxUs : wokeAtUs });
    }
  }

  #fail(error: Error): void {
    if (this.#onError) this.#onError(error);
    else throw error;
  }
}
