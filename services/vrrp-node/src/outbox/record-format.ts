// One outbox record per line: `<crc32 as 8 hex digits> <event JSON>\n`. JSON lines stay greppable for
// an operator; the CRC tells a record damaged on disk (or half-written when the process died mid-write)
// from a good one, so replay never publishes garbage. A line without its `\n` is a torn tail: that
// append never completed, so it was never durable and is not a loss.
import { crc32 } from 'node:zlib';

export function encodeRecord(json: string): Buffer {
  const body = Buffer.from(json, 'utf8');
  const head = Buffer.from(`${crc32(body).toString(16).padStart(8, '0')} `, 'ascii');
  return Buffer.concat([head, body, Buffer.from('\n')]);
}

export type DecodedLine = { ok: true; json: string } | { ok: false; reason: 'crc' | 'format' };

export function decodeRecordLine(line: Buffer): DecodedLine {
  if (line.length < 10 || line[8] !== 0x20) return { ok: false, reason: 'format' };
  const want = parseInt(line.subarray(0, 8).toString('ascii'), 16);
  const body = line.subarray(9);
  if (Number.isNaN(want) || crc32(body) !== want) return { ok: false, reason: 'crc' };
  return { ok: true, json: body.toString('utf8') };
}

/** Splits a segment file into complete lines; `tornTail` is true when the last bytes lack their `\n`. */
export function splitLines(data: Buffer): { lines: Buffer[]; tornTail: boolean } {
  const lines: Buffer[] = [];
  let start = 0;
  for (let i = data.indexOf(0x0a); i >= 0; i = data.indexOf(0x0a, start)) {
    lines.push(data.subarray(start, i));
    start = i + 1;
  }
  return { lines, tornTail: start < data.length };
}
