// Classic libpcap file format (https://www.tcpdump.org/manpages/pcap-savefile.5.html): a 24-byte global
// header, then records of a 16-byte header and the captured bytes. Either byte order; microsecond
// (0xa1b2c3d4) or nanosecond (0xa1b23c4d) timestamps. pcapng is not read. Files are untrusted: a bad or
// cut-short file gives a reason, never a throw; records read before the damage are kept.
export const LINKTYPE_ETHERNET = 1;
export const LINKTYPE_LINUX_SLL = 113;
export const LINKTYPE_LINUX_SLL2 = 276;

export interface PcapRecord {
  /** Capture time in microseconds since the epoch (fractional for nanosecond files). */
  readonly timestampUs: number;
  /** Length on the wire; may exceed data.length when the snap length cut it. */
  readonly originalLength: number;
  /** The captured bytes (a view into the file, no copy). */
  readonly data: Uint8Array;
}

export interface PcapFile {
  readonly linktype: number;
  readonly snaplen: number;
  readonly nanosecond: boolean;
  readonly bigEndian: boolean;
  readonly versionMajor: number;
  readonly versionMinor: number;
  readonly records: readonly PcapRecord[];
  /** Set when the file ends inside a record: the records before it are still returned. */
  readonly truncated?: string;
}

export type PcapReason = 'not-pcap' | 'truncated';

export type PcapResult = { readonly ok: true; readonly value: PcapFile } | { readonly ok: false; readonly reason: PcapReason; readonly detail: string };

const MAGIC_US = 0xa1b2c3d4;
const MAGIC_NS = 0xa1b23c4d;

export function readPcap(bytes: Uint8Array): PcapResult {
  if (bytes.length < 24) return { ok: false, reason: 'truncated', detail: `pcap global header needs 24 bytes, got ${bytes.length}` };
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let little: boolean;
  let nanosecond: boolean;
  const be = view.getUint32(0, false);
  const le = view.getUint32(0, true);
  if (be === MAGIC_US || be === MAGIC_NS) {
    little = false;
    nanosecond = be === MAGIC_NS;
  } else if (le === MAGIC_US || le === MAGIC_NS) {
    little = true;
    nanosecond = le === MAGIC_NS;
  } else {
    return { ok: false, reason: 'not-pcap', detail: `magic 0x${be.toString(16).padStart(8, '0')} is not classic pcap` };
  }
  const versionMajor = view.getUint16(4, little);
  const versionMinor = view.getUint16(6, little);
  const snaplen = view.getUint32(16, little);
  // The link type is the low 16 bits; the upper bits may carry FCS information (pcap-savefile(5)).
  const linktype = view.getUint32(20, little) & 0xffff;
  const records: PcapRecord[] = [];
  let at = 24;
  let truncated: string | undefined;
  while (at < bytes.length) {
    if (bytes.length - at < 16) {
      truncated = `record header at byte ${at} cut short`;
      break;
    }
    const seconds = view.getUint32(at, little);
    const fraction = view.getUint32(at + 4, little);
    const capturedLength = view.getUint32(at + 8, little);
    const originalLength = view.getUint32(at + 12, little);
    if (bytes.length - at - 16 < capturedLength) {
      truncated = `record at byte ${at} claims ${capturedLength} bytes, ${bytes.length - at - 16} left`;
      break;
    }
    records.push({
      timestampUs: seconds * 1e6 + (nanosecond ? fraction / 1000 : fraction),
      originalLength,
      data: bytes.subarray(at + 16, at + 16 + capturedLength),
    });
    at += 16 + capturedLength;
  }
  const file: PcapFile = { linktype, snaplen, nanosecond, bigEndian: !little, versionMajor, versionMinor, records };
  return { ok: true, value: truncated === undefined ? file : { ...file, truncated } };
}

/** Writes a classic little-endian microsecond pcap (used by tests and by tools that save what they saw). */
export function writePcap(records: readonly { timestampUs: number; data: Uint8Array; originalLength?: number }[], linktype = LINKTYPE_ETHERNET, snaplen = 262144): Uint8Array {
  const size = 24 + records.reduce((n, r) => n + 16 + r.data.length, 0);
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  view.setUint32(0, MAGIC_US, true);
  view.setUint16(4, 2, true);
  view.setUint16(6, 4, true);
  view.setUint32(16, snaplen, true);
  view.setUint32(20, linktype, true);
  let at = 24;
  for (const r of records) {
    const seconds = Math.floor(r.timestampUs / 1e6);
    view.setUint32(at, seconds, true);
    view.setUint32(at + 4, Math.round(r.timestampUs - seconds * 1e6), true);
    view.setUint32(at + 8, r.data.length, true);
    view.setUint32(at + 12, r.originalLength ?? r.data.length, true);
    out.set(r.data, at + 16);
    at += 16 + r.data.length;
  }
  return out;
}
