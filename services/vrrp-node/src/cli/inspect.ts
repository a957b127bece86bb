// `vrrp-node inspect CAPTURE.pcap [-f FILE]`: tcpdump for VRRP that knows what is wrong with a packet.
// Every VRRP packet of a classic pcap is decoded (all fields) and, with a config, run through the same
// validation ladder the daemon uses, against the instance with its VRID and family.
import type { LadderResult } from '@hotstandby/protocol';
import { decodeFrame, readPcap, validateAdvertisement, vrrp } from '@hotstandby/protocol';
import type { KeepalivedConfig } from '../config/model.js';
import { toValidationConfig } from '../config/to-validation.js';

export interface InspectedPacket {
  index: number;
  time: string;
  source: string;
  destination: string;
  ttl: number;
  version?: number;
  vrid?: number;
  priority?: number;
  intervalCs?: number;
  addresses?: string[];
  authType?: number;
  checksum?: string;
  verdict: string;
  detail?: string;
  line: string;
}

export type InspectResult = { ok: true; packets: InspectedPacket[] } | { ok: false; reason: string };

export function inspectCapture(bytes: Uint8Array, config: KeepalivedConfig | undefined): InspectResult {
  const pcap = readPcap(bytes);
  if (!pcap.ok) return { ok: false, reason: `${pcap.reason}: ${pcap.detail}` };
  const packets: InspectedPacket[] = [];
  pcap.value.records.forEach((rec, i) => {
    const f = decodeFrame(rec.data, pcap.value.linktype);
    if (!f.ok || f.value.kind !== 'vrrp') return;
    const { facts, vrrp: msg } = f.value;
    const time = new Date(rec.timestampUs / 1000).toISOString();
    const base = { index: i + 1, time, source: facts.source, destination: facts.destination, ttl: facts.ttl };
    const d = vrrp.decode(msg, 0, facts.family);
    if (!d.ok) {
      const line = `${i + 1} ${time} ${facts.source} > ${facts.destination} VRRP undecodable: ${d.reason} (${d.detail})`;
      packets.push({ ...base, verdict: d.reason, detail: d.detail, line });
      return;
    }
    const a = d.value;
    let verdict = 'decoded';
    let detail: string | undefined;
    if (config) {
      const inst = config.instances.find((x) => x.vrid === a.vrid && x.family === facts.family);
      if (!inst) {
        verdict = 'vrid-unknown';
        detail = `no instance with VRID ${a.vrid} (${facts.family}) in the configuration`;
      } else {
        const r: LadderResult = validateAdvertisement(msg, facts, toValidationConfig(inst, [], inst.family === 'ipv4' ? config.global.mcastGroup4 : config.global.mcastGroup6));
        if (r.ok) {
          verdict = r.notes.length > 0 ? `ok (${r.notes.join(', ')})` : 'ok';
          detail = `${inst.name}, checksum ${r.checksum}`;
        } else {
          verdict = r.anomaly.class;
          detail = r.anomaly.detail;
        }
      }
    }
    const interval = a.version === 2 ? `${a.intervalCs / 100}s` : `${a.intervalCs * 10}ms`;
    const auth = a.version === 2 ? ` auth ${a.authType === 0 ? 'none' : a.authType === 1 ? 'PASS' : a.authType === 2 ? 'AH' : a.authType}` : '';
    const line =
      `${i + 1} ${time} ${facts.source} > ${facts.destination} ttl ${facts.ttl} VRRPv${a.version} vrid ${a.vrid} prio ${a.priority}` +
      ` int ${interval}${auth} addrs ${a.addresses.join(',')} cksum 0x${a.checksum.toString(16).padStart(4, '0')}` +
      (config ? ` => ${verdict}${detail ? ` (${detail})` : ''}` : '');
    packets.push({
      ...base,
      version: a.version,
      vrid: a.vrid,
      priority: a.priority,
      intervalCs: a.intervalCs,
      addresses: [...a.addresses],
      ...(a.version === 2 ? { authType: a.authType } : {}),
      checksum: `0x${a.checksum.toString(16).padStart(4, '0')}`,
      verdict,
      ...(detail !== undefined ? { detail } : {}),
      line,
    });
  });
  return { ok: true, packets };
}
