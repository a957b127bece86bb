// Link state of tracked interfaces (track_interface, and the instance's own interface unless
// dont_track_primary). Like keepalived (vrrp_netlink.c), it listens to rtnetlink link events
// (RTNLGRP_LINK, net/links.ts LinkMonitor) instead of polling: a change is seen as soon as the kernel
// announces it, and an idle daemon does no work for it. "Up" is keepalived's IF_ISUP: IFF_UP and
// IFF_RUNNING (carrier). The first reading of an interface is an ioctl (interfaceInfo), so isUp()
// answers before start(); after a lost notification (socket overrun) or an unreadable one, every
// watched interface is read again.
import { interfaceInfo } from '@hotstandby/netio';
import { LinkMonitor } from '../net/links.js';

export class LinkWatcher {
  readonly #state = new Map<string, boolean>();
  readonly #onChange: (ifname: string, up: boolean) => void;
  #monitor: LinkMonitor | undefined;
  #stopped = false;

  constructor(onChange: (ifname: string, up: boolean) => void) {
    this.#onChange = onChange;
  }

  watch(ifname: string): void {
    if (!this.#state.has(ifname)) this.#state.set(ifname, read(ifname));
  }

  isUp(ifname: string): boolean {
    return this.#state.get(ifname) ?? read(ifname);
  }

  /** Subscribes to link events; what changed between watch() and now is reported too. */
  async start(): Promise<void> {
    // Links only: VIP changes (address events) are none of its business. Unreferenced: the VRRP
    // sockets keep the daemon alive, not this.
    const monitor = await LinkMonitor.open({ addresses: false, ref: false });
    if (this.#stopped) {
      monitor.close();
      return;
    }
    this.#monitor = monitor;
    monitor.on('state', (e) => this.#set(e.name, e.up));
    // The monitor re-reads links itself after an overrun; an unparseable message is answered the same way.
    monitor.on('error', () => this.#rescan());
    this.#rescan();
  }

  stop(): void {
    this.#stopped = true;
    this.#monitor?.close();
    this.#monitor = undefined;
  }

  #rescan(): void {
    for (const name of [...this.#state.keys()]) this.#set(name, read(name));
  }

  #set(ifname: string, up: boolean): void {
    const was = this.#state.get(ifname);
    if (was === undefined || was === up) return; // not watched, or no change
    this.#state.set(ifname, up);
    this.#onChange(ifname, up);
  }
}

function read(ifname: string): boolean {
  try {
    const i = interfaceInfo(ifname);
    return i.up && i.running;
  } catch {
    return false; // a vanished interface is down
  }
}
