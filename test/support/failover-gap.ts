// Failover gaps measured from a packet capture of the LAN, the way DESIGN.md measured keepalived:
// the old master's last advert (or its priority-0 advert) → the new master's first advert, and → the
// first gratuitous ARP / unsolicited NA for a VIP after that.
import { decodeFrame, readPcap, vrrp } from '@hotstandby/protocol';

export interface CapturedAdvert {
  readonly t: number; // µs since epoch
  readonly source: string;
  /** The group (224.0.0.18 / ff02::12) or a unicast peer. */
  readonly destination: string;
  /** IPv4 TTL / IPv6 hop limit as sent. */
  readonly ttl: number;
  readonly vrid: number;
  readonly priority: number;
}

export interface CapturedGarp {
  readonly t: number;
  readonly address: string;
}

export function parseCapture(pcap: Uint8Array): { adverts: CapturedAdvert[]; garps: CapturedGarp[] } {
  const file = readPcap(pcap);
  if (!file.ok) throw new Error(`capture unreadable: ${file.reason} ${file.detail}`);
  const adverts: CapturedAdvert[] = [];
  const garps: CapturedGarp[] = [];
  for (const rec of file.value.records) {
    const f = decodeFrame(rec.data, file.value.linktype);
    if (!f.ok) continue;
    const fr = f.value;
    if (fr.kind === 'vrrp') {
      const d = vrrp.decode(fr.vrrp, 0, fr.facts.family);
      if (d.ok) adverts.push({ t: rec.timestampUs, source: fr.facts.source, destination: fr.facts.destination, ttl: fr.facts.ttl, vrid: d.value.vrid, priority: d.value.priority });
    } else if (fr.kind === 'arp' && fr.arp.senderIp === fr.arp.targetIp) {
      garps.push({ t: rec.timestampUs, address: fr.arp.targetIp });
    } else if (fr.kind === 'neighbor-advertisement') {
      garps.push({ t: rec.timestampUs, address: fr.na.target });
    }
  }
  return { adverts, garps };
}

export interface Gap {
  /** The old master's last advert (crash) or its priority-0 advert (graceful), µs. */
  readonly from: number;
  /** µs from `from` to the new master's first advert. */
  readonly toAdvertUs: number;
  /** µs from `from` to the first GARP/NA for one of `vips` after the new master's first advert. */
  readonly toGarpUs: number | undefined;
}

/** The takeover of `vrid` by `newMaster` from `oldMaster` that happens after `afterUs`. */
export function failoverGap(pcap: Uint8Array, o: { vrid: number; oldMaster: string; newMaster: string; vips: readonly string[]; afterUs?: number }): Gap | undefined {
  const { adverts, garps } = parseCapture(pcap);
  const after = o.afterUs ?? 0;
  const first = adverts.find((a) => a.t >= after && a.vrid === o.vrid && a.source === o.newMaster && a.priority > 0);
  if (!first) return undefined;
  const prior = adverts.filter((a) => a.t < first.t && a.vrid === o.vrid && a.source === o.oldMaster);
  const last = prior.at(-1);
  if (!last) return undefined;
  const garp = garps.find((g) => g.t >= first.t && o.vips.includes(g.address));
  return { from: last.t, toAdvertUs: first.t - last.t, toGarpUs: garp ? garp.t - last.t : undefined };
}
