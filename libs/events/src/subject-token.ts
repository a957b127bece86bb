// NATS subject tokens are separated by `.`, and `*` / `>` are wildcards; whitespace ends a subject.
// Node ids and domains routinely contain dots (`10.10.10.0/24`, `LVS_DEVEL@node1.example.com`), so every
// token we put in a subject goes through this invertible encoding: bytes outside a small safe set become
// `%HH` (uppercase hex of the UTF-8 byte), like URI percent-encoding. `%` itself is encoded, so decoding
// is exact. The safe set keeps the common cases readable in `nats sub` output and in permission files.

const SAFE = /^[A-Za-z0-9_\-@:/+=,]$/;

/** Encodes one subject token. An empty string is a programmer error (NATS has no empty tokens). */
export function encodeSubjectToken(value: string): string {
  if (value.length === 0) throw new RangeError('encodeSubjectToken: empty token');
  let out = '';
  for (const ch of value) {
    if (SAFE.test(ch)) {
      out += ch;
      continue;
    }
    for (const byte of new TextEncoder().encode(ch)) {
      out += '%' + byte.toString(16).toUpperCase().padStart(2, '0');
    }
  }
  return out;
}

export type TokenDecodeResult = { ok: true; value: string } | { ok: false; reason: string };

/** Inverse of encodeSubjectToken. Tokens from the bus are untrusted: a bad one is a value, not a throw. */
export function decodeSubjectToken(token: string): TokenDecodeResult {
  if (token.length === 0) return { ok: false, reason: 'empty token' };
  const bytes: number[] = [];
  for (let i = 0; i < token.length; i++) {
    const ch = token[i]!;
    if (ch === '%') {
      const hex = token.slice(i + 1, i + 3);
      if (!/^[0-9A-F]{2}$/.test(hex)) return { ok: false, reason: `bad escape at ${i}` };
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else if (SAFE.test(ch)) {
      bytes.push(ch.charCodeAt(0));
    } else {
      return { ok: false, reason: `unencoded character ${JSON.stringify(ch)} at ${i}` };
    }
  }
  try {
    return { ok: true, value: new TextDecoder('utf-8', { fatal: true }).decode(new Uint8Array(bytes)) };
  } catch {
    return { ok: false, reason: 'escapes are not valid UTF-8' };
  }
}
