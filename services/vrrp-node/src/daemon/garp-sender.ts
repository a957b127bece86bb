// Gratuitous ARP (IPv4) and unsolicited Neighbour Advertisements (IPv6) as real Ethernet frames, from
// the interface's own MAC as keepalived sends them (arp.ts / ndisc.ts in libs/protocol build them).
import { PacketSocket } from '@hotstandby/netio';
import { arp, ethernet, ndisc } from '@hotstandby/protocol';
import type { VirtualAddress } from '../config/model.js';

export class GarpSender {
  readonly #sockets = new Map<string, PacketSocket>();
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

  /** Sends `count` rounds (each: one frame per VIP), `intervalUs` apart. */
  async send(vips: readonly VirtualAddress[], defaultIf: string, count: number, intervalUs: number): Promise<void> {
    const frames: { ifname: string; frame: Uint8Array }[] = [];
    for (const v of vips) {
      const ifname = v.device ?? defaultIf;
      const mac = ethernet.formatMac(this.#socket(ifname).mac);
      frames.push({ ifname, frame: v.family === 'ipv4' ? arp.gratuitousArpFrame(v.address, mac) : ndisc.unsolicitedNaFrame(v.address, mac) });
    }
    for (let round = 0; round < count; round++) {
      if (round > 0 && intervalUs > 0) await new Promise((r) => setTimeout(r, intervalUs / 1000));
      for (const f of frames) {
        this.#socket(f.ifname).send(f.frame);
        this.sent++;
      }
    }
  }

  close(): void {
    for (const s of this.#sockets.values()) s.close();
    this.#sockets.clear();
  }
}
