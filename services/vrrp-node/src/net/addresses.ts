// Virtual addresses on an interface over rtnetlink (RTM_NEWADDR / RTM_DELADDR / RTM_GETADDR), the way
// keepalived's vrrp_ipaddress.c does it: the VIP with its own prefix (/32 or /128 unless written), scope
// global unless written, IPv6 with IFA_F_NODAD so it is usable at once (no duplicate-address detection
// delay after a failover, no "dadfailed" for ever after a brief split brain; VRRP is its own DAD), and an
// IPv6 /128 deprecated (preferred_lft 0) so it is never chosen as a source address. Adding a present address and removing an
// absent one are outcomes, not errors: after a crash or a hand edit the kernel may already be there.
//
// Adds and removes are synchronous (@hotstandby/netio RtnlSocket: send, then a blocking recv of the ack,
// keepalived's netlink_talk()): the kernel answers in microseconds, and the takeover's first GARP then
// follows the VIP adds in the same event-loop turn. The npm `netlink` package delivered each ack one turn
// later (0.6–1 ms, a second VIP queued behind the first). Read-back (RTM_GETADDR dumps) stays on it.
//
// The shape (add/remove/list/close with `{ address, prefixLength, broadcast?, scope?, label? }`)
// matches daemon/vip-ops.ts's VipOps, so an AddressTable can stand in for the `ip`-based interim one.
import { FlagsGet, rt } from 'netlink';
import type { RtNetlinkSocket } from 'netlink';
import { IFA_F_NODAD, IFA_F_NOPREFIXROUTE, ifNameToIndex, RtnlSocket } from '@hotstandby/netio';
import type { NetioError, RtnlAddressRequest } from '@hotstandby/netio';
import { address as ip } from '@hotstandby/protocol';
import type { Family, IpAddress } from '@hotstandby/protocol';
import { openRequestSocket, RtnetlinkError, rtRequest } from './rtnetlink.js';

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
function addressRequest(spec: AddressSpec, forAdd: boolean): RtnlAddressRequest {
  const family = familyOf(spec.address);
  const max = family === 'ipv4' ? 32 : 128;
  if (!Number.isInteger(spec.prefixLength) || spec.prefixLength < 0 || spec.prefixLength > max) {
    throw new RangeError(`prefix length ${spec.prefixLength} out of range for ${spec.address}`);
  }
  // iproute2 sends both IFA_LOCAL and IFA_ADDRESS (equal when there is no peer); for IPv4 the kernel
  // matches deletions on IFA_LOCAL, for IPv6 on IFA_ADDRESS/IFA_LOCAL. RtnlSocket sends both.
  const local = bytes(spec.address, family);
  const request: RtnlAddressRequest = { family: family === 'ipv4' ? 4 : 6, ifindex: 0, local, prefixLength: spec.prefixLength };
  if (!forAdd) return request;
  let flags = 0;
  if (family === 'ipv4') {
    // keepalived ignores scope (and label) on IPv6 VIPs.
    request.scope = scopeNumber(spec.scope);
    const brd = broadcastFor(spec, local);
    if (brd) request.broadcast = brd;
    if (spec.label !== undefined) request.label = spec.label;
  } else {
    flags |= IFA_F_NODAD;
    // keepalived (vrrp_ipaddress.c): a /128 VIP gets preferred_lft 0, i.e. deprecated, so that it is
    // not picked as a source address (RFC 6724 rule 3), e.g. by health checks.
    if (spec.prefixLength === 128) request.lifetimes = { preferred: 0, valid: 0xffffffff };
  }
  // IFA_FLAGS (u32) supersedes ifa_flags (u8) and is needed for NOPREFIXROUTE (0x200); RtnlSocket sends both.
  if (spec.noPrefixRoute === true) flags |= IFA_F_NOPREFIXROUTE;
  request.flags = flags;
  return request;
}

/** The kernel's refusal (a NetioError from RtnlSocket) as the RtnetlinkError the callers match on. */
function kernelError(operation: string, e: unknown): unknown {
  const n = e as Partial<NetioError>;
  if (!(e instanceof Error) || typeof n.code !== 'string' || typeof n.errno !== 'number') return e;
  return new RtnetlinkError(operation, -n.errno, n.code, { cause: e });
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
 * Adds, removes and reads back addresses in the network namespace the process was in when it was
 * opened. add/remove are one synchronous netlink round trip each (RtnlSocket; bench/netlink.bench.ts);
 * they return promises only to keep VipOps' shape, already settled when the call returns.
 */
export class AddressTable {
  readonly #rtnl: RtnlSocket;
  /** For RTM_GETADDR dumps (listAddresses), over the npm `netlink` package. */
  readonly #dump: RtNetlinkSocket;
  #closed = false;
  /**
   * ifname → ifindex, so that a takeover's VIP add is one netlink round trip and nothing else (the
   * first GARP waits for it). An interface that was deleted and re-created gets a new index: on ENODEV
   * the entry is dropped and the request retried once with a fresh lookup.
   */
  readonly #ifindex = new Map<string, number>();

  #index(ifname: string): number {
    const known = this.#ifindex.get(ifname);
    if (known !== undefined) return known;
    let index: number;
    try {
      index = ifNameToIndex(ifname);
    } catch (e) {
      throw kernelError(`ifindex of ${ifname}`, e);
    }
    this.#ifindex.set(ifname, index);
    return index;
  }

  /** Runs one request with the interface's index; ENODEV on a cached index retries once with a fresh one. */
  #withIndex(ifname: string, operation: () => string, request: (index: number) => void): void {
    const cached = this.#ifindex.has(ifname);
    try {
      request(this.#index(ifname));
      return;
    } catch (raw) {
      const e = kernelError(operation(), raw);
      if (!cached || !(e instanceof RtnetlinkError) || e.code !== 'ENODEV') throw e;
      this.#ifindex.delete(ifname);
    }
    try {
      request(this.#index(ifname));
    } catch (e) {
      throw kernelError(operation(), e);
    }
  }

  private constructor(rtnl: RtnlSocket, dump: RtNetlinkSocket) {
    this.#rtnl = rtnl;
    this.#dump = dump;
  }

  static open(): AddressTable {
    const rtnl = RtnlSocket.open();
    try {
      return new AddressTable(rtnl, openRequestSocket());
    } catch (e) {
      rtnl.close();
      throw e;
    }
  }

  /** RTM_NEWADDR with CREATE|EXCL: 'present' when the kernel already has it (EEXIST). Done on return. */
  add(spec: AddressSpec, ifname: string): Promise<AddOutcome> {
    // The executor runs at once: the request is done (or has thrown, a rejection) when this returns.
    return new Promise((resolve) => resolve(this.addNow(spec, ifname)));
  }

  /** add(), synchronously. */
  addNow(spec: AddressSpec, ifname: string): AddOutcome {
    return this.#change(spec, ifname, true) ? 'added' : 'present';
  }

  /** RTM_DELADDR: 'absent' when the interface has no such address (the kernel's EADDRNOTAVAIL). Done on return. */
  remove(spec: AddressSpec, ifname: string): Promise<RemoveOutcome> {
    return new Promise((resolve) => resolve(this.removeNow(spec, ifname)));
  }

  /** remove(), synchronously. */
  removeNow(spec: AddressSpec, ifname: string): RemoveOutcome {
    return this.#change(spec, ifname, false) ? 'removed' : 'absent';
  }

  /**
   * Requests built ahead, by spec object (prepare): a caller that passes the same spec each time (the
   * daemon's VIPs) skips parsing and building on the takeover's path.
   */
  readonly #requests = new WeakMap<AddressSpec, { add?: RtnlAddressRequest; remove?: RtnlAddressRequest }>();

  /** Builds (and validates) the request for `spec` now, for later addNow/removeNow calls with this spec object. */
  prepare(spec: AddressSpec, add: boolean): void {
    this.#request(spec, add);
  }

  #request(spec: AddressSpec, add: boolean): RtnlAddressRequest {
    let cached = this.#requests.get(spec);
    if (cached === undefined) this.#requests.set(spec, (cached = {}));
    const key = add ? 'add' : 'remove';
    return (cached[key] ??= addressRequest(spec, add)); // validates before anything is sent
  }

  /** One add or delete; false when the kernel had it already (EEXIST) or had no such address (EADDRNOTAVAIL). */
  #change(spec: AddressSpec, ifname: string, add: boolean): boolean {
    const request = this.#request(spec, add);
    const operation = (): string => `${add ? 'add' : 'delete'} ${spec.address}/${spec.prefixLength} dev ${ifname}`;
    try {
      this.#withIndex(ifname, operation, (ifindex) => (add ? this.#rtnl.addAddress({ ...request, ifindex }) : this.#rtnl.deleteAddress({ ...request, ifindex })));
      return true;
    } catch (e) {
      if (e instanceof RtnetlinkError && e.code === (add ? 'EEXIST' : 'EADDRNOTAVAIL')) return false;
      throw e;
    }
  }

  /** What the kernel has (both families), on one interface or on all of them. */
  async listAddresses(ifname?: string): Promise<InterfaceAddress[]> {
    const ifindex = ifname === undefined ? undefined : this.#index(ifname);
    // Dumps ignore the ifindex filter on older kernels (strict checking off): filter here as well.
    const answer = await rtRequest(this.#dump, `list addresses${ifname ? ` of ${ifname}` : ''}`, rt.MessageType.GETADDR, { kind: 'address', data: {}, attrs: {} }, FlagsGet.DUMP);
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
    this.#rtnl.close();
    this.#dump.socket.close();
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
