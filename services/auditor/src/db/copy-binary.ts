// Rows in PostgreSQL's binary COPY format (PostgreSQL docs, "COPY — Binary Format"): an 11-byte
// signature, a flags word and a header-extension length, then per row a 16-bit field count and per field
// a 32-bit length (-1 = NULL) followed by the value in the type's binary (send/recv) form; a -1 field
// count ends the data. Binary needs no escaping and no text parsing on the server (no date/number
// parsing, no scanning of the payload for backslashes), which is most of what a text COPY costs there.
//
// Values written here, in their recv form: int2/int4/int8 big-endian; text and json as their UTF-8
// bytes (json_recv takes the text and validates it); timestamptz as int8 µs since 2000-01-01 UTC.

const SIGNATURE = [0x50, 0x47, 0x43, 0x4f, 0x50, 0x59, 0x0a, 0xff, 0x0d, 0x0a, 0x00]; // "PGCOPY\n\377\r\n\0"
/** Signature, flags word, header-extension length: where the first row starts. */
const HEADER_BYTES = SIGNATURE.length + 8;
/** The -1 field count that ends the data. */
const TRAILER = Buffer.from([0xff, 0xff]);
/** µs between the Unix epoch and PostgreSQL's (2000-01-01T00:00:00Z). */
const PG_EPOCH_US = 946_684_800_000_000;
const TWO_32 = 4_294_967_296;

export class BinaryCopyWriter {
  private buf: Buffer;
  private at = 0;

  constructor(sizeHint = 64 * 1024) {
    this.buf = Buffer.allocUnsafe(Math.max(64, sizeHint));
    for (const b of SIGNATURE) this.buf[this.at++] = b;
    this.buf.writeInt32BE(0, this.at); // flags: no OIDs
    this.buf.writeInt32BE(0, this.at + 4); // no header extension
    this.at += 8;
  }

  private ensure(bytes: number): void {
    if (this.at + bytes <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.at + bytes));
    this.buf.copy(next, 0, 0, this.at);
    this.buf = next;
  }

  /** Bytes written so far: where the next row starts. */
  get size(): number {
    return this.at;
  }

  row(fields: number): this {
    this.ensure(2);
    this.at = this.buf.writeInt16BE(fields, this.at);
    return this;
  }

  null(): this {
    this.ensure(4);
    this.at = this.buf.writeInt32BE(-1, this.at);
    return this;
  }

  int2(v: number | null): this {
    if (v === null) return this.null();
    this.ensure(6);
    this.at = this.buf.writeInt32BE(2, this.at);
    this.at = this.buf.writeInt16BE(v, this.at);
    return this;
  }

  int4(v: number): this {
    this.ensure(8);
    this.at = this.buf.writeInt32BE(4, this.at);
    this.at = this.buf.writeInt32BE(v, this.at);
    return this;
  }

  /** A safe integer (|v| < 2^53) as int8. */
  int8(v: number | null): this {
    if (v === null) return this.null();
    if (!Number.isSafeInteger(v)) throw new RangeError(`int8: not a safe integer: ${v}`);
    this.ensure(12);
    const hi = Math.floor(v / TWO_32);
    this.at = this.buf.writeInt32BE(4 + 4, this.at);
    this.at = this.buf.writeInt32BE(hi, this.at);
    this.at = this.buf.writeUInt32BE(v - hi * TWO_32, this.at);
    return this;
  }

  /** text, varchar or json: the UTF-8 bytes. */
  text(v: string | null): this {
    if (v === null) return this.null();
    this.ensure(4 + v.length * 3); // a UTF-16 code unit is at most 3 UTF-8 bytes
    const len = this.buf.write(v, this.at + 4, 'utf8');
    this.buf.writeInt32BE(len, this.at);
    this.at += 4 + len;
    return this;
  }

  /** timestamptz from µs since the Unix epoch. */
  timestamptz(us: number): this {
    return this.int8(Math.round(us) - PG_EPOCH_US);
  }

  /** The data with its trailer; the writer is not used after this. */
  finish(): Uint8Array {
    this.ensure(2);
    this.at = this.buf.writeInt16BE(-1, this.at);
    return this.buf.subarray(0, this.at);
  }
}

/**
 * The data of some of the rows of `data` (finish()'s output): `rowStarts[i]` is where row i starts
 * (`size` before it was written), `keep[i]` says whether it stays. The rows are copied as they are, in
 * their order; only the header and the trailer are added around them.
 */
export function keepRows(data: Uint8Array, rowStarts: readonly number[], keep: readonly boolean[]): Uint8Array {
  const parts: Uint8Array[] = [data.subarray(0, HEADER_BYTES)];
  const end = data.length - TRAILER.length;
  for (let i = 0; i < rowStarts.length; i++) {
    if (!keep[i]) continue;
    // A run of kept rows is one slice.
    let j = i;
    while (j + 1 < rowStarts.length && keep[j + 1]) j++;
    parts.push(data.subarray(rowStarts[i], j + 1 < rowStarts.length ? rowStarts[j + 1] : end));
    i = j;
  }
  parts.push(TRAILER);
  return Buffer.concat(parts);
}
