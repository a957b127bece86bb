// Synchronous rtnetlink address add/delete (native/rtnetlink.cc), as keepalived's netlink_talk(): the
// request goes out and the kernel's ack is read with a blocking recv (SO_RCVTIMEO 100 ms) before the
// call returns. The kernel answers in microseconds, so a takeover's GARP can follow its VIP adds at
// once, without waiting an event-loop turn for the ack the way an async netlink client does.
import { native } from './native.js';

// <linux/if_addr.h> IFA_F_*: the bits the callers need by name.
export const IFA_F_NODAD = 0x02;
export const IFA_F_NOPREFIXROUTE = 0x200;

export interface RtnlAddressRequest {
  family: 4 | 6;
  ifindex: number;
  /** 4 or 16 bytes; sent as both IFA_LOCAL and IFA_ADDRESS (as iproute2 does without a peer). */
  local: Uint8Array;
  prefixLength: number;
  /** rtnetlink scope number (0 global, 200 site, 253 link, 254 host, 255 nowhere). Default 0. */
  scope?: number;
  /** IFA_F_* bits: ifa_flags gets the low 8, IFA_FLAGS all 32. Add only. */
  flags?: number;
  /** IFA_LABEL (IPv4), at most 15 bytes. Add only. */
  label?: string;
  /** IFA_BROADCAST, 4 bytes (IPv4). Add only. */
  broadcast?: Uint8Array;
  /** IFA_CACHEINFO lifetimes in seconds (0xffffffff = forever). Add only. */
  lifetimes?: { preferred: number; valid: number };
}

/**
 * One NETLINK_ROUTE socket for address requests, in the network namespace the process (thread) was in
 * when it was opened. Methods block for one kernel round trip; refusals throw a NetioError whose code is
 * the kernel's errno name (EEXIST, EADDRNOTAVAIL, ENODEV, EPERM …), ETIMEDOUT if no ack comes in 100 ms.
 */
export class RtnlSocket {
  #fd: number;

  private constructor(fd: number) {
    this.#fd = fd;
  }

  static open(): RtnlSocket {
    return new RtnlSocket(native.rtnlOpen());
  }

  /** RTM_NEWADDR with NLM_F_CREATE|NLM_F_EXCL|NLM_F_ACK: an address already there is EEXIST. */
  addAddress(r: RtnlAddressRequest): void {
    // struct ifa_cacheinfo's first two u32s, in host byte order (as netlink is).
    const cacheInfo = r.lifetimes && new Uint8Array(new Uint32Array([r.lifetimes.preferred, r.lifetimes.valid]).buffer);
    native.rtnlAddress(this.#openFd(), 0, r.family, r.ifindex, r.local, r.prefixLength, r.scope ?? 0, r.flags ?? 0, r.label, r.broadcast, cacheInfo);
  }

  /** RTM_DELADDR with NLM_F_ACK: an address the interface does not have is EADDRNOTAVAIL. */
  deleteAddress(r: Pick<RtnlAddressRequest, 'family' | 'ifindex' | 'local' | 'prefixLength'>): void {
    native.rtnlAddress(this.#openFd(), 1, r.family, r.ifindex, r.local, r.prefixLength, 0, 0);
  }

  close(): void {
    if (this.#fd < 0) return;
    native.rtnlClose(this.#fd);
    this.#fd = -1;
  }

  #openFd(): number {
    if (this.#fd < 0) throw new Error('RtnlSocket is closed');
    return this.#fd;
  }
}

/** Interface name → index (if_nametoindex); throws a NetioError with code ENODEV when there is none. */
export function ifNameToIndex(name: string): number {
  return native.ifNameToIndex(name);
}

