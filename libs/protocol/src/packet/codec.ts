// The shape every wire element shares (dns-packet style, on Uint8Array):
//   encode(value, buf?, offset?) → the buffer written (a new one when none is given)
//   decode(buf, offset?)         → a DecodeResult, never a throw: the bytes are untrusted
//   encodingLength(value)        → how many bytes encode will write
// encode throws only on programmer errors (a value the type allows but the wire cannot carry).

/**
 * Why untrusted bytes did not decode. A closed list; each reason is also an anomaly class
 * (validate/anomaly.ts checks that at compile time), so a decode failure is counted like any other
 * validation failure.
 * - `length`: truncated, trailing bytes, or a length field that disagrees with the bytes present.
 * - `version`: a version field this codec does not speak (IP version, VRRP version).
 * - `type`: a message of another kind (ARP opcode, ICMPv6 type, hardware type) than the codec decodes.
 */
export type DecodeReason = 'length' | 'version' | 'type';

export type DecodeResult<T> =
  | { readonly ok: true; readonly value: T; /** bytes consumed from offset */ readonly bytes: number }
  | { readonly ok: false; readonly reason: DecodeReason; readonly detail: string };

export interface Codec<T> {
  encode(value: T, buf?: Uint8Array, offset?: number): Uint8Array;
  decode(buf: Uint8Array, offset?: number): DecodeResult<T>;
  encodingLength(value: T): number;
}

export function decoded<T>(value: T, bytes: number): DecodeResult<T> {
  return { ok: true, value, bytes };
}

export function failed<T>(reason: DecodeReason, detail: string): DecodeResult<T> {
  return { ok: false, reason, detail };
}

/** Returns the buffer to encode into, checking a caller's buffer is big enough (programmer error if not). */
export function target(buf: Uint8Array | undefined, offset: number, length: number, what: string): Uint8Array {
  if (!Number.isInteger(offset) || offset < 0) throw new RangeError(`${what}: bad offset ${offset}`);
  if (buf === undefined) return new Uint8Array(offset + length);
  if (buf.length < offset + length) {
    throw new RangeError(`${what}: needs ${length} bytes at offset ${offset}, buffer has ${buf.length}`);
  }
  return buf;
}

export function readU16(buf: Uint8Array, at: number): number {
  return ((buf[at] ?? 0) << 8) | (buf[at + 1] ?? 0);
}

export function readU32(buf: Uint8Array, at: number): number {
  return (((buf[at] ?? 0) << 24) >>> 0) + (((buf[at + 1] ?? 0) << 16) | ((buf[at + 2] ?? 0) << 8) | (buf[at + 3] ?? 0));
}

export function writeU16(buf: Uint8Array, at: number, value: number): void {
  buf[at] = (value >>> 8) & 0xff;
  buf[at + 1] = value & 0xff;
}

export function writeU32(buf: Uint8Array, at: number, value: number): void {
  buf[at] = (value >>> 24) & 0xff;
  buf[at + 1] = (value >>> 16) & 0xff;
  buf[at + 2] = (value >>> 8) & 0xff;
  buf[at + 3] = value & 0xff;
}

export function checkByte(value: number, what: string): void {
  if (!Number.isInteger(value) || value < 0 || value > 0xff) throw new RangeError(`${what} must be 0..255, got ${value}`);
}

export function checkU16(value: number, what: string): void {
  if (!Number.isInteger(value) || value < 0 || value > 0xffff) throw new RangeError(`${what} must be 0..65535, got ${value}`);
}
