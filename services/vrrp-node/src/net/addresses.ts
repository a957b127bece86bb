// Virtual addresses on an interface over rtnetlink (RTM_NEWADDR / RTM_DELADDR / RTM_GETADDR), the way
// keepalived's vrrp_ipaddress.c does it: the VIP with its own prefix (/32 or /128 unless written), scope
// global unless written, IPv6 with IFA_F_NODAD so it is usable at once (no duplicate-address detection
// delay after a failover, no "dadfailed" for ever after a brief split brain; VRRP is its own DAD), and an
// IPv6 /128 deprecated (preferred_lft 0) so it is never chosen as a source address. Adding a present address and removing an
// absent one are outcomes, not errors: after a crash or a hand edit the kernel may already be there.
//
// The shape (add/remove/list/close with `{ address, prefixLength, broadcast?, scope?, label? }`)
// matches daemon/vip-ops.ts's VipOps, so an AddressTable can stand in for the `ip`-based interim one.
import { FlagsGet, FlagsNew, rt } from 'netlink';
import type { RtNetlinkSocket } from 'netlink';
import { address as ip } from '@hotstandby/protocol';
import type { Family, IpAddress } from '@hotstandby/protocol';
import { ifindexOf, openRequestSocket, RtnetlinkError, rtRequest } from './rtnetlink.js';

const AF_INET = 2;
const AF_INET6 = 10;

/** rtnetlink scope numbers (include/uapi/linux/rtnetlink.h, enum rt_scope_t) by `ip` name. */
const SCOPES: Readonly<Record<string, number>> = { global: 0, universe: 0, site: 200, link: 253, host: 254, nowhere: 255 };

export interface AddressSpec {
  /** Dotted quad or IPv6 text. */
  address: IpAddress;
  prefixLength: number;
  /** IPv4 only: a dotted quad, or `+` for the prefix's all-ones broadcast (as `ip addr add … brd +`). */
  broadcast?: string;
  /** IPv4: `global` (default), `site`, `link`, `host`, `nowhere`, or 0–255. Ignored for IPv6, as keepalived does. */
  scope?: string | number;
  /**
   * IPv4 only (the kernel has no IPv6 labels). iproute2 and keepalived insist on the interface name or
   * `<ifname>:<suffix>`; the kernel itself takes any string up to 15 characters.
   */
  label?: string;
  /** Do not let the kernel add the prefix route (IFA_F_NOPREFIXROUTE). */
  noPrefixRoute?: boolean;
}

export interface InterfaceAddress {
  ifindex: number;
  family: Family;
  address: IpAddress;
  prefixLength: number;
  /** `global`, `site`, `link`, `host`, `nowhere`, or the number for other values. */
  scope: string;
  label?: string;
  broadcast?: IpAddress;
  /** Set IFA_F_* flags by the package's names: secondary, nodad, tentative, dadfailed, deprecated, permanent … */
  flags: string[];
}

export type AddOutcome = 'added' | 'present';
export type RemoveOutcome = 'removed' | 'absent';

function familyOf(text: string): Family {
  const f = ip.familyOf(text);
  if (f === undefined) throw new TypeError(`not an IP address: ${JSON.stringify(text)}`);
  return f;
}

function bytes(text: string, family: Family): Buffer {
  const b = ip.parseIp(text, family);
  if (b === undefined) throw new TypeError(`not an ${family} address: ${JSON.stringify(text)}`);
  return Buffer.from(b);
}

function scopeNumber(scope: string | number | undefined): number {
  if (scope === undefined) return 0;
  if (typeof scope === 'number') {
    if (!Number.isInteger(scope) || scope < 0 || scope > 255) throw new RangeError(`scope ${scope} out of range`);
    return scope;
  }
  const n = SCOPES[scope] ?? (/^\d+$/.test(scope) ? Number(scope) : undefined);
  if (n === undefined || n > 255) throw new RangeError(`unknown scope ${JSON.stringify(scope)}`);
  return n;
}

function scopeName(n: number | undefined): string {
  switch (n ?? 0) {
    case 0:
      return 'global';
    case 200:
      return 'site';
    case 253:
      return 'link';
    case 254:
      return 'host';
    case 255:
      return 'nowhere';
    default:
      return String(n);
  }
}

function broadcastFor(spec: AddressSpec, local: Buffer): Buffer | undefined {
  if (spec.broadcast === undefined) return undefined;
  if (spec.broadcast !== '+') return bytes(spec.broadcast, 'ipv4');
  if (spec.prefixLength >= 31) return undefined; // RFC 3021: no broadcast on /31, none on /32
  const value = (local.readUInt32BE(0) | (0xffffffff >>> spec.prefixLength)) >>> 0;
  const b = Buffer.alloc(4);
  b.writeUInt32BE(value);
  return b;
}

/** The ifaddrmsg + attributes naming one address on one interface (what both NEW and DEL need). */
function addressMessage(spec: AddressSpec, forAdd: boolean): rt.AddressMessage & { data: rt.Address } {
  const family = familyOf(spec.address);
  const max = family === 'ipv4' ? 32 : 128;
  if (!Number.isInteger(spec.prefixLength) || spec.prefixLength < 0 || spec.prefixLength > max) {
    throw new RangeError(`prefix length ${spec.prefixLength} out of range for ${spec.address}`);
  }
  const local = bytes(spec.address, family);
  // iproute2 sends both IFA_LOCAL and IFA_ADDRESS (equal when there is no peer); for IPv4 the kernel
  // matches deletions on IFA_LOCAL, for IPv6 on IFA_ADDRESS/IFA_LOCAL.
  const attrs: rt.AddressAttrs = { local, address: local };
  const flags: rt.AddressFlags = {};
  if (forAdd) {
    if (family === 'ipv4') {
      const brd = broadcastFor(spec, local);
      if (brd) attrs.broadcast = brd;
      if (spec.label !== undefined) attrs.label = spec.label;
    } else {
      flags.nodad = true;
      // keepalived (vrrp_ipaddress.c): a /128 VIP gets preferred_lft 0, i.e. deprecated, so that it is
      // not picked as a source address (RFC 6724 rule 3), e.g. by health checks.
      if (spec.prefixLength === 128) attrs.cacheInfo = { ifaPrefered: 0, ifaValid: 0xffffffff };
    }
    if (spec.noPrefixRoute === true) flags.noprefixroute = true;
    // IFA_FLAGS (u32) supersedes ifa_flags (u8) and is needed for NOPREFIXROUTE (0x200).
    attrs.flags = flags;
  }
  return {
    kind: 'address',
    data: {
      family: family === 'ipv4' ? AF_INET : AF_INET6,
      prefixlen: spec.prefixLength,
      // keepalived ignores scope (and label) on IPv6 VIPs.
      scope: forAdd && family === 'ipv4' ? scopeNumber(spec.scope) : 0,
      ...(forAdd && family === 'ipv6' ? { flags: { nodad: true as const } } : {}),
    },
    attrs,
  };
}

export function decodeAddress(m: rt.AddressMessage): InterfaceAddress | undefined {
  const family: Family | undefined = m.data.family === AF_INET ? 'ipv4' : m.data.family === AF_INET6 ? 'ipv6' : undefined;
  // IFA_LOCAL is the address itself; IFA_ADDRESS is the peer on point-to-point links (and the address
  // itself otherwise, and the only one IPv6 sends).
  const raw = m.attrs.local ?? m.attrs.address;
  if (family === undefined || raw === undefined || m.data.index === undefined || m.data.prefixlen === undefined) return undefined;
  const flagSource = m.attrs.flags ?? m.data.flags ?? {};
  const out: InterfaceAddress = {
    ifindex: m.data.index,
    family,
    address: ip.formatIp(raw, 0, family),
    prefixLength: m.data.prefixlen,
    scope: scopeName(m.data.scope),
    flags: Object.entries(flagSource)
      .filter(([k, v]) => v === true && k !== '__unknown')
      .map(([k]) => k),
  };
  if (m.attrs.label !== undefined) out.label = m.attrs.label;
  if (m.attrs.broadcast !== undefined && family === 'ipv4') out.broadcast = ip.formatIp(m.attrs.broadcast, 0, 'ipv4');
  return out;
}

/**
 * Adds, removes and reads back addresses through one rtnetlink socket (in the network namespace the
 * process was in when it was opened). Each call is one netlink round trip plus one to resolve the
 * interface name (measured well under a millisecond: bench/netlink.bench.ts).
 */
export class AddressTable {
  readonly #sock: RtNetlinkSocket;
  #closed = false;
  /**
   * ifname → ifindex, so that a takeover's VIP add is one netlink round trip, not two (the first GARP
   * waits for it). An interface that was deleted and re-created gets a new index: on ENODEV the entry
   * is dropped and the request retried once with a fresh lookup.
   */
  readonly #ifindex = new Map<string, number>();

  async #index(ifname: string): Promise<number> {
    const known = this.#ifindex.get(ifname);
    if (known !== undefined) return known;
    const index = await ifindexOf(this.#sock, ifname);
    this.#ifindex.set(ifname, index);
    return index;
  }

  async #withIndex<T>(ifname: string, request: (index: number) => Promise<T>): Promise<T> {
    const cached = this.#ifindex.has(ifname);
    try {
      return await request(await this.#index(ifname));
    } catch (e) {
      if (!cached || !(e instanceof RtnetlinkError) || e.code !== 'ENODEV') throw e;
      this.#ifindex.delete(ifname);
      return request(await this.#index(ifname));
    }
  }

  private constructor(sock: RtNetlinkSocket) {
    this.#sock = sock;
  }

  static open(): AddressTable {
    return new AddressTable(openRequestSocket());
  }

  /** RTM_NEWADDR with CREATE|EXCL: 'present' when the kernel already has it (EEXIST). */
  async add(spec: AddressSpec, ifname: string): Promise<AddOutcome> {
    const msg = addressMessage(spec, true); // validates before anything is sent
    return this.#withIndex(ifname, async (index) => {
      msg.data.index = index;
      try {
        await rtRequest(this.#sock, `add ${spec.address}/${spec.prefixLength} dev ${ifname}`, rt.MessageType.NEWADDR, msg, FlagsNew.CREATE | FlagsNew.EXCL);
        return 'added';
      } catch (e) {
        if (e instanceof RtnetlinkError && e.code === 'EEXIST') return 'present';
        throw e;
      }
    });
  }

  /** RTM_DELADDR: 'absent' when the interface has no such address (the kernel's EADDRNOTAVAIL). */
  async remove(spec: AddressSpec, ifname: string): Promise<RemoveOutcome> {
    const msg = addressMessage(spec, false); // validates before anything is sent
    return this.#withIndex(ifname, async (index) => {
      msg.data.index = index;
      try {
        await rtRequest(this.#sock, `delete ${spec.address}/${spec.prefixLength} dev ${ifname}`, rt.MessageType.DELADDR, msg);
        return 'removed';
      } catch (e) {
        if (e instanceof RtnetlinkError && e.code === 'EADDRNOTAVAIL') return 'absent';
        throw e;
      }
    });
  }

  /** What the kernel has (both families), on one interface or on all of them. */
  async listAddresses(ifname?: string): Promise<InterfaceAddress[]> {
    const ifindex = ifname === undefined ? undefined : await this.#index(ifname);
    // Dumps ignore the ifindex filter on older kernels (strict checking off): filter here as well.
    const answer = await rtRequest(this.#sock, `list addresses${ifname ? ` of ${ifname}` : ''}`, rt.MessageType.GETADDR, { kind: 'address', data: {}, attrs: {} }, FlagsGet.DUMP);
    const out: InterfaceAddress[] = [];
    for (const m of answer) {
      if (m.kind !== 'address') continue;
      const a = decodeAddress(m);
      if (a && (ifindex === undefined || a.ifindex === ifindex)) out.push(a);
    }
    return out;
  }

  /** Address texts on an interface (VipOps.list). */
  async list(ifname: string): Promise<string[]> {
    return (await this.listAddresses(ifname)).map((a) => a.address);
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#sock.socket.close();
  }
}

/** One-shot read-back of an interface's addresses (opens and closes its own socket). */
export async function listAddresses(ifname: string): Promise<InterfaceAddress[]> {
  const table = AddressTable.open();
  try {
    return await table.listAddresses(ifname);
  } finally {
    table.close();
  }
}
