// How the daemon installs and removes virtual addresses. The real implementation is rtnetlink
// (net/addresses.ts); the interface keeps the runner testable and the choice in one place.
import type { VirtualAddress } from '../config/model.js';

export interface VipOps {
  add(vip: VirtualAddress, ifname: string): Promise<void>;
  remove(vip: VirtualAddress, ifname: string): Promise<void>;
  /** Addresses the kernel reports on the interface (read back, not as intended). */
  list(ifname: string): Promise<string[]>;
  close(): void;
}
