// How the daemon installs and removes virtual addresses. The real implementation is rtnetlink
// (net/addresses.ts); the interface keeps the runner testable and the choice in one place.
import type { VirtualAddress } from '../config/model.js';

export interface VipOps {
  /** Synchronous, as keepalived's netlink_talk: the kernel has the address (or has thrown) on return. */
  add(vip: VirtualAddress, ifname: string): void;
  /** Synchronous; removing an absent address is not an error. */
  remove(vip: VirtualAddress, ifname: string): void;
  /**
   * Does ahead what add/remove of these VIPs need besides the kernel's round trip (parse the addresses,
   * build the requests), so that a takeover's VIP add is that round trip alone.
   */
  prepare?(vips: readonly VirtualAddress[]): void;
  /** Addresses the kernel reports on the interface (read back, not as intended). */
  list(ifname: string): Promise<string[]>;
  close(): void;
}
