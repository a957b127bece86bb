// Interfaces as the kernel sees them (RTM_GETLINK), and a monitor of the rtnetlink groups a VRRP node
// must react to: RTNLGRP_LINK for track_interface / the instance's own interface, and
// RTNLGRP_IPV4_IFADDR / RTNLGRP_IPV6_IFADDR so that a VIP deleted (or added) by hand is noticed, as
// keepalived's vrrp_netlink.c notices it and reinstates the address.
//
// "Up" means what keepalived's IF_ISUP means: IFF_UP and IFF_RUNNING (administratively up with carrier).
//
// The monitor uses a socket of its own: the kernel does not echo a change to the socket that made it,
// so the monitor also reports our own AddressTable changes; telling ours from foreign ones is the
// caller's business (it knows what it asked for).
import { EventEmitter, on } from 'node:events';
import { FlagsGet, createRtNetlink, rt } from 'netlink';
import type { NetlinkMessage, RtNetlinkSocket } from 'netlink';
import { decodeAddress } from './addresses.js';
import type { InterfaceAddress } from './addresses.js';
import { openRequestSocket, RtnetlinkError, rtRequest } from './rtnetlink.js';

/** RFC 2863 operational status, IFLA_OPERSTATE (include/uapi/linux/if.h, IF_OPER_*). */
export type OperState = 'unknown' | 'notpresent' | 'down' | 'lowerlayerdown' | 'testing' | 'dormant' | 'up';
const OPER_STATES: readonly OperState[] = ['unknown', 'notpresent', 'down', 'lowerlayerdown', 'testing', 'dormant', 'up'];

export interface LinkInfo {
  ifindex: number;
  name: string;
  /** Hardware address as `aa:bb:cc:dd:ee:ff`; undefined for links without one (loopback has zeros). */
  mac?: string;
  mtu?: number;
  /** IFF_UP: administratively up. */
  adminUp: boolean;
  /** IFF_RUNNING: the kernel's operational "running" (carrier and not dormant). */
  running: boolean;
  /** IFF_LOWER_UP: the driver reports carrier. */
  lowerUp: boolean;
  /** IFLA_CARRIER when the kernel sends it. */
  carrier?: boolean;
  operstate: OperState;
  /** keepalived's IF_ISUP: adminUp && running. */
  up: boolean;
}

export function decodeLink(m: rt.LinkMessage): LinkInfo | undefined {
  const { index } = m.data;
  const name = m.attrs.ifname;
  if (index === undefined || name === undefined) return undefined;
  const flags = m.data.flags ?? {};
  const info: LinkInfo = {
    ifindex: index,
    name,
    adminUp: flags.up === true,
    running: flags.running === true,
    lowerUp: flags.lowerUp === true,
    operstate: OPER_STATES[m.attrs.operstate ?? 0] ?? 'unknown',
    up: flags.up === true && flags.running === true,
  };
  if (m.attrs.address !== undefined && m.attrs.address.length > 0) {
    info.mac = [...m.attrs.address].map((b) => b.toString(16).padStart(2, '0')).join(':');
  }
  if (m.attrs.mtu !== undefined) info.mtu = m.attrs.mtu;
  if (m.attrs.carrier !== undefined) info.carrier = m.attrs.carrier !== 0;
  return info;
}

/** Reads interfaces through one request socket. */
export class LinkTable {
  readonly #sock: RtNetlinkSocket;

  private constructor(sock: RtNetlinkSocket) {
    this.#sock = sock;
  }

  static open(): LinkTable {
    return new LinkTable(openRequestSocket());
  }

  /** One interface by name or index; undefined when there is no such interface. */
  async get(which: string | number): Promise<LinkInfo | undefined> {
    const req: rt.LinkMessage = typeof which === 'number' ? { kind: 'link', data: { index: which }, attrs: {} } : { kind: 'link', data: {}, attrs: { ifname: which } };
    try {
      const [m] = await rtRequest(this.#sock, `link ${which}`, rt.MessageType.GETLINK, req);
      return m?.kind === 'link' ? decodeLink(m) : undefined;
    } catch (e) {
      if (e instanceof RtnetlinkError && e.code === 'ENODEV') return undefined;
      throw e;
    }
  }

  async list(): Promise<LinkInfo[]> {
    return dumpLinks(this.#sock);
  }

  close(): void {
    this.#sock.socket.close();
  }
}

async function dumpLinks(sock: RtNetlinkSocket): Promise<LinkInfo[]> {
  const answer = await rtRequest(sock, 'list links', rt.MessageType.GETLINK, { kind: 'link', data: {}, attrs: {} }, FlagsGet.DUMP);
  return answer.flatMap((m) => (m.kind === 'link' ? (decodeLink(m) ?? []) : []));
}

/** One-shot lookup (opens and closes its own socket). */
export async function getLink(which: string | number): Promise<LinkInfo | undefined> {
  const t = LinkTable.open();
  try {
    return await t.get(which);
  } finally {
    t.close();
  }
}

export type LinkMonitorEvent =
  /** Every RTM_NEWLINK / RTM_DELLINK, as the kernel sent it (several per visible change are normal). */
  | { kind: 'link'; change: 'new' | 'del'; link: LinkInfo }
  /** Only when an interface's `up` flips (or it disappears while up): what track_interface acts on. */
  | { kind: 'state'; ifindex: number; name: string; up: boolean; removed: boolean }
  /** RTM_NEWADDR / RTM_DELADDR for IPv4 and IPv6, including our own changes. */
  | { kind: 'address'; change: 'new' | 'del'; address: InterfaceAddress }
  /** The socket's buffer overflowed (ENOBUFS): events were lost. Link state has been re-read and any
   * flips emitted as 'state'; addresses must be re-read by the caller (AddressTable.listAddresses). */
  | { kind: 'overrun' };

export interface LinkMonitorOptions {
  /** Subscribe to link changes (default true). */
  links?: boolean;
  /** Subscribe to address changes (default true, both families). */
  addresses?: boolean;
  /** Keep the process alive while open (default true: a daemon's monitor is why it lives). */
  ref?: boolean;
}

interface LinkMonitorEvents {
  link: [Extract<LinkMonitorEvent, { kind: 'link' }>];
  state: [Extract<LinkMonitorEvent, { kind: 'state' }>];
  address: [Extract<LinkMonitorEvent, { kind: 'address' }>];
  overrun: [Extract<LinkMonitorEvent, { kind: 'overrun' }>];
  /** Every event above, in arrival order. */
  event: [LinkMonitorEvent];
  error: [Error];
}

/**
 * Subscribes to RTNLGRP_LINK, RTNLGRP_IPV4_IFADDR and RTNLGRP_IPV6_IFADDR. Events are emitted as
 * 'link' / 'state' / 'address' / 'overrun' and all of them as 'event'; `for await (const e of monitor)`
 * iterates 'event' until close().
 */
export class LinkMonitor extends EventEmitter<LinkMonitorEvents> {
  readonly #sock: RtNetlinkSocket;
  readonly #up = new Map<number, { name: string; up: boolean }>();
  readonly #closing = new AbortController();

  private constructor(sock: RtNetlinkSocket) {
    super();
    this.#sock = sock;
  }

  /** Subscribes first, then reads the current links, so no change falls between the two. */
  static async open(options: LinkMonitorOptions = {}): Promise<LinkMonitor> {
    // Types of 0.3.0 want recvBufferSize/sendBufferSize; a larger receive buffer makes overruns rarer.
    const sock = createRtNetlink({ ref: options.ref ?? true, recvBufferSize: 1 << 20, sendBufferSize: 1 << 16 });
    const monitor = new LinkMonitor(sock);
    // These run inside the addon's native callback: an exception escaping them (a throwing listener,
    // an unhandled 'error') would abort the process with a bare C++ "terminate called after throwing
    // an instance of 'Napi::Error'". Rethrown on the next turn, it is an ordinary uncaught exception.
    const guarded =
      <A extends unknown[]>(fn: (...args: A) => void) =>
      (...args: A): void => {
        try {
          fn(...args);
        } catch (e) {
          setImmediate(() => {
            throw e;
          });
        }
      };
    // netlink 0.3.0 aborts the process (SIGABRT, same bare Napi::Error) when a subscribed socket that
    // is still open has a notification pending while the process exits; closing it on 'exit' avoids that.
    process.once('exit', monitor.#closeOnExit);
    sock.socket.on('message', guarded((msgs: NetlinkMessage[]) => monitor.#receive(msgs)));
    sock.socket.on('error', guarded((e: Error) => monitor.#socketError(e)));
    if (options.links ?? true) sock.addMembership('LINK');
    if (options.addresses ?? true) {
      sock.addMembership('IPV4_IFADDR');
      sock.addMembership('IPV6_IFADDR');
    }
    try {
      for (const link of await dumpLinks(sock)) monitor.#up.set(link.ifindex, { name: link.name, up: link.up });
    } catch (e) {
      monitor.close();
      throw e;
    }
    return monitor;
  }

  /** Last known `up` of an interface (by name or index), undefined if unknown to the monitor. */
  isUp(which: string | number): boolean | undefined {
    if (typeof which === 'number') return this.#up.get(which)?.up;
    for (const v of this.#up.values()) if (v.name === which) return v.up;
    return undefined;
  }

  close(): void {
    if (this.#closing.signal.aborted) return;
    this.#closing.abort();
    process.off('exit', this.#closeOnExit);
    this.#sock.socket.close();
  }

  readonly #closeOnExit = (): void => this.close();

  async *[Symbol.asyncIterator](): AsyncIterator<LinkMonitorEvent> {
    try {
      for await (const [e] of on(this, 'event', { signal: this.#closing.signal }) as AsyncIterable<[LinkMonitorEvent]>) yield e;
    } catch (e) {
      if (!(e instanceof Error && e.name === 'AbortError')) throw e;
    }
  }

  #publish(e: LinkMonitorEvent): void {
    switch (e.kind) {
      case 'link':
        this.emit('link', e);
        break;
      case 'state':
        this.emit('state', e);
        break;
      case 'address':
        this.emit('address', e);
        break;
      case 'overrun':
        this.emit('overrun', e);
        break;
    }
    this.emit('event', e);
  }

  #receive(msgs: NetlinkMessage[]): void {
    for (const m of msgs) {
      // The header's type is the only thing that tells NEW from DEL: RtNetlinkSocket's own 'message'
      // event drops it, hence parsing here from the inner NetlinkSocket.
      let parsed: rt.Message;
      try {
        parsed = rt.parseMessage(m.type, m.data);
      } catch (e) {
        this.emit('error', new Error(`unparseable rtnetlink message type ${m.type}`, { cause: e }));
        continue;
      }
      const del = m.type === (rt.MessageType.DELLINK as number) || m.type === (rt.MessageType.DELADDR as number);
      if (parsed.kind === 'link') {
        const link = decodeLink(parsed);
        if (link) this.#linkChanged(link, del);
      } else if (parsed.kind === 'address') {
        const address = decodeAddress(parsed);
        if (address) this.#publish({ kind: 'address', change: del ? 'del' : 'new', address });
      }
    }
  }

  #linkChanged(link: LinkInfo, removed: boolean): void {
    this.#publish({ kind: 'link', change: removed ? 'del' : 'new', link });
    const was = this.#up.get(link.ifindex);
    const up = removed ? false : link.up;
    if (removed) this.#up.delete(link.ifindex);
    else this.#up.set(link.ifindex, { name: link.name, up });
    if (was === undefined ? up : was.up !== up) {
      this.#publish({ kind: 'state', ifindex: link.ifindex, name: link.name, up, removed });
    }
  }

  #socketError(e: Error & { code?: string }): void {
    if (e.code !== 'ENOBUFS') {
      this.emit('error', e);
      return;
    }
    this.#publish({ kind: 'overrun' });
    // Re-read links and report whatever flipped while messages were lost.
    dumpLinks(this.#sock).then(
      (links) => {
        const seen = new Set<number>();
        for (const link of links) {
          seen.add(link.ifindex);
          this.#linkChanged(link, false);
        }
        for (const [ifindex, v] of [...this.#up]) {
          if (!seen.has(ifindex)) this.#linkChanged({ ifindex, name: v.name, adminUp: false, running: false, lowerUp: false, operstate: 'notpresent', up: false }, true);
        }
      },
      (err: unknown) => this.emit('error', new Error('re-reading links after an overrun failed', { cause: err })),
    );
  }
}

