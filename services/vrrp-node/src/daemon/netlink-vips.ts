// VipOps over rtnetlink (net/addresses.ts): keepalived's address flags (scope global, IPv6 nodad and
// deprecated). An address already there is fine (it may be ours from before a crash); removing an absent
// one is not an error. add/remove do their netlink round trip synchronously (keepalived's netlink_talk),
// so the kernel has the VIPs when they return, and the takeover's GARP goes out right after, in the same
// turn (instance-runner.ts #chain).
import type { VirtualAddress } from '../config/model.js';
import { AddressTable } from '../net/addresses.js';
import type { AddressSpec } from '../net/addresses.js';
import type { VipOps } from './vip-ops.js';

export class NetlinkVipOps implements VipOps {
  readonly #table: AddressTable;

  private constructor(table: AddressTable) {
    this.#table = table;
  }

  static open(): Promise<NetlinkVipOps> {
    return Promise.resolve(new NetlinkVipOps(AddressTable.open()));
  }

  /** The address spec of each VIP, built once: the table caches its netlink request by this object. */
  readonly #specs = new WeakMap<VirtualAddress, { add: AddressSpec; remove: AddressSpec }>();

  #spec(v: VirtualAddress): { add: AddressSpec; remove: AddressSpec } {
    let s = this.#specs.get(v);
    if (s === undefined) {
      s = {
        add: {
          address: v.address,
          prefixLength: v.prefixLength,
          ...(v.broadcast !== undefined ? { broadcast: v.broadcast } : {}),
          ...(v.scope !== undefined ? { scope: v.scope } : {}),
          ...(v.label !== undefined ? { label: v.label } : {}),
        },
        remove: { address: v.address, prefixLength: v.prefixLength },
      };
      this.#specs.set(v, s);
    }
    return s;
  }

  prepare(vips: readonly VirtualAddress[]): void {
    for (const v of vips) {
      const s = this.#spec(v);
      this.#table.prepare(s.add, true);
      this.#table.prepare(s.remove, false);
    }
  }

  add(v: VirtualAddress, ifname: string): void {
    this.#table.addNow(this.#spec(v).add, ifname);
  }

  remove(v: VirtualAddress, ifname: string): void {
    this.#table.removeNow(this.#spec(v).remove, ifname);
  }

  list(ifname: string): Promise<string[]> {
    return this.#table.list(ifname);
  }

  close(): void {
    this.#table.close();
  }
}
