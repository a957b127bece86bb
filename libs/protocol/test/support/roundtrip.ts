// One helper tests every codec the same way (dns-packet's habit): encode → decode → re-encode gives the
// same bytes and an equal value, encodingLength is what encode wrote, and encoding into a caller's
// buffer at an offset writes exactly there and nowhere else.
import assert from 'node:assert/strict';
import type { DecodeResult } from '../../src/packet/codec.js';

export interface AnyCodec<T> {
  encode(value: T, buf?: Uint8Array, offset?: number): Uint8Array;
  decode(buf: Uint8Array, offset?: number): DecodeResult<T>;
  encodingLength(value: T): number;
}

export function roundtrip<T>(codec: AnyCodec<T>, value: NoInfer<T>, label = 'value'): Uint8Array {
  const bytes = codec.encode(value);
  assert.equal(bytes.length, codec.encodingLength(value), `${label}: encodingLength matches what encode wrote`);
  const back = codec.decode(bytes);
  assert.ok(back.ok, `${label}: decodes (${back.ok ? '' : `${back.reason}: ${back.detail}`})`);
  assert.equal(back.bytes, bytes.length, `${label}: decode consumes every byte`);
  assert.deepEqual(back.value, value, `${label}: decode(encode(v)) equals v`);
  assert.deepEqual(codec.encode(back.value), bytes, `${label}: re-encoding gives the same bytes`);

  // Into a caller's buffer at an offset, with sentinels either side.
  const offset = 7;
  const buf = new Uint8Array(offset + bytes.length + 5).fill(0xa5);
  const returned = codec.encode(value, buf, offset);
  assert.equal(returned, buf, `${label}: encode returns the caller's buffer`);
  assert.deepEqual(buf.subarray(offset, offset + bytes.length), bytes, `${label}: bytes land at the offset`);
  assert.ok(buf.subarray(0, offset).every((b) => b === 0xa5), `${label}: nothing written before the offset`);
  assert.ok(buf.subarray(offset + bytes.length).every((b) => b === 0xa5), `${label}: nothing written after the value`);
  const atOffset = codec.decode(buf.subarray(0, offset + bytes.length), offset);
  assert.ok(atOffset.ok, `${label}: decodes at an offset`);
  assert.deepEqual(atOffset.value, value, `${label}: decode at offset equals v`);

  // A buffer too small is a programmer error.
  assert.throws(() => codec.encode(value, new Uint8Array(bytes.length - 1 + offset), offset), RangeError, `${label}: short buffer throws`);
  return bytes;
}

export function hex(text: string): Uint8Array {
  const clean = text.replace(/[^0-9a-fA-F]/g, '');
  return Uint8Array.from(clean.match(/../g) ?? [], (h) => parseInt(h, 16));
}

export function toHex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
