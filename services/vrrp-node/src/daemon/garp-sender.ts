// Gratuitous ARP (IPv4) and unsolicited Neighbour Advertisements (IPv6) as real Ethernet frames, from
// the interface's own MAC as keepalived sends them (arp.ts / ndisc.ts in libs/protocol build them).
import { PacketSocket } from '@hotstandby/netio';
import { arp, ethernet, ndisc } from '@hotstandby/protocol';
import type { VirtualAddress } from '../config/model.js';

export class GarpSender {
  readonly #sockets = new Map<string, PacketSocket>();
  /** Frames by interface and address: built once (the MAC is read when the interface's socket opens). */
  readonly #frames = new Map<string, Uint8Array>();
  /** Frames sent, for status and tests. */
  sent = 0;
  /** monotonic µs of the last frame sent (telemetry: first GARP after takeover). */
  lastSentAtUs: number | undefined;

  #socket(ifname: string): PacketSocket {
    let s = this.#sockets.get(ifname);
    if (!s) {
      s = new PacketSocket({ interface: ifname });
      this.#sockets.set(ifname, s);
    }
    return s;
  }

  #frame(v: VirtualAddress, ifname: string): Uint8Array {
    const key = `${ifname} ${v.address}`;
    let frame = this.#frames.get(key);
    if (!frame) {
      const mac = ethernet.formatMac(this.#socket(ifname).mac);
      frame = v.family === 'ipv4' ? arp.gratuitousArpFrame(v.address, mac) : ndisc.unsolicitedNaFrame(v.address, mac);
      this.#frames.set(key, frame);
    }
    return frame;
  }

  /**
   * Opens the sockets and builds the frames of `vips` ahead of a takeover, so that its first GARP is not
   * delayed by opening a socket, reading the MAC and building frames (keepalived, too, opens its ARP
   * socket at start). An interface that is missing now is left for send() to report.
   */
  prepare(vips: readonly VirtualAddress[], defaultIf: string): void {
    for (const v of vips) {
      try {
        this.#frame(v, v.device ?? defaultIf);
      } catch {
        // send() opens it again and reports the error where it matters.
      }
    }
  }

  /**
   * Sends `count` rounds (each: one frame per VIP), `intervalUs` apart. The first round (all of them when
   * the interval is 0, keepalived's default garp_master_delay burst) goes out before this returns;
   * undefined when nothing is left, else a promise for the later rounds.
   */
  send(vips: readonly VirtualAddress[], defaultIf: string, count: number, intervalUs: number): Promise<void> | void {
    const frames: { ifname: string; frame: Uint8Array }[] = [];
    for (const v of vips) {
      const ifname = v.device ?? defaultIf;
      frames.push({ ifname, frame: this.#frame(v, ifname) });
    }
    const round = (): void => {
      for (const f of frames) {
        this.#socket(f.ifname).send(f.frame);
        this.sent++;
      }
    };
    if (count <= 0) return;
    round();
    if (count === 1) return;
    if (intervalUs <= 0) {
      for (let r = 1; r < count; r++) round();
      return;
    }
    return (async () => {
      for (let r = 1; r < count; r++) {
        await new Promise((resolve) => setTimeout(resolve, intervalUs / 1000));
        round();
      }
    })();
  }

  close(): void {
    for (const s of this.#sockets.values()) s.close();
    this.#sockets.clear();
    this.#frames.clear();
  }
}
