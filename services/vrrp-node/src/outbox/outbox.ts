// The node's durable outbox (DESIGN.md rules 1 and 2). Every event is appended here before anything
// else and drained to JetStream by the publisher, asynchronously.
//
// - append() is synchronous and in memory: it allocates the seq, builds the event and queues it. It
//   never touches the disk and never throws for I/O: VRRP never waits for observability.
// - A background writer appends records to the current segment file and fsyncs (datasync) in small
//   batches (every flushIntervalMs, or at once when flushBatch records are waiting). Only records that are
//   on disk are handed to the publisher ("written before published").
// - The publisher acks records after their PubAck; the contiguous acked prefix is the cursor, persisted
//   (atomically, throttled) in `cursor`. On open, every record after the cursor is replayed with its
//   original id; JetStream's msgID de-duplication absorbs the few that were published but not yet marked.
// - A new boot gets a new bootId and seqs from 0, so a restart never reuses an id. Events appended but
//   not yet written when the process is killed are lost without trace (at most ~flushIntervalMs worth);
//   they never reached the durable outbox, so no seq of them is ever seen and no gap appears in the stream.
// - Size cap: when unpublished bytes exceed maxBytes, the oldest unpublished records are dropped (down to
//   75% of the cap) and the loss is appended as a `gap` event with exact counts and seq ranges. Oldest,
//   because the newest events describe the current state, which is what an operator needs after an
//   outage. The gap record also tells replay which records it dropped, so a crash cannot resurrect them.
// - Segments whose records are all acked or dropped are deleted (compaction of the acked prefix).
// - A write error (ENOSPC, EIO) switches to memory mode: records are published from memory, counted in
//   status().unpersisted, and the disk is retried every diskRetryMs. Nothing throws into the caller.
import { randomBytes } from 'node:crypto';
import { closeSync, ftruncateSync, openSync, readFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import {
  EVENT_KINDS,
  eventSubject,
  formatWallClockMicros,
  makeBootId,
  makeEventId,
  SCHEMA_VERSION,
} from '@hotstandby/events';
import type { EventDraft, EventKind, GapEvent, HsEvent } from '@hotstandby/events';
import { inRanges, LossLedger } from './loss-ledger.js';
import type { AppendHandle, OutboxFiles } from './outbox-files.js';
import { nodeOutboxFiles, parseSegmentName, segmentName } from './outbox-files.js';
import { decodeRecordLine, encodeRecord, splitLines } from './record-format.js';

export interface OutboxClock {
  /** Microseconds since the Unix epoch. */
  wallMicros(): bigint;
  /** Monotonic nanoseconds. */
  monoNanos(): bigint;
}

export const systemClock: OutboxClock = {
  wallMicros: () => BigInt(Math.round((performance.timeOrigin + performance.now()) * 1000)),
  monoNanos: () => process.hrtime.bigint(),
};

export interface OutboxOptions {
  readonly dir: string;
  readonly nodeId: string;
  /** Default: a fresh time-sortable id (a new boot). */
  readonly bootId?: string;
  /** Cap on unpublished bytes (disk and memory). Default 32 MiB. */
  readonly maxBytes?: number;
  /** Segment size before rotating. Default 4 MiB. */
  readonly segmentBytes?: number;
  /** Write+fsync batching: at most this long after an append (default 5 ms)... */
  readonly flushIntervalMs?: number;
  /** ...or as soon as this many records wait (default 64). */
  readonly flushBatch?: number;
  /** Cursor file write throttle (default 50 ms). */
  readonly cursorIntervalMs?: number;
  /** How often to retry the disk in memory mode (default 1000 ms). */
  readonly diskRetryMs?: number;
  readonly clock?: OutboxClock;
  readonly files?: OutboxFiles;
  /** Told about every I/O problem (the outbox keeps going). Must not throw. */
  readonly onError?: (err: OutboxError) => void;
}

export class OutboxError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'OutboxError';
  }
}

type RecordState = 'unwritten' | 'ready' | 'inflight' | 'acked' | 'dropped';

/** One event as the publisher sees it. */
export interface OutboxRecord {
  readonly id: string;
  readonly kind: EventKind;
  readonly nodeId: string;
  readonly bootId: string;
  readonly seq: number;
  readonly subject: string;
  /** The event as JSON bytes: the message body. */
  readonly payload: Uint8Array;
  /** Monotonic ns when appended (replayed records: when replayed). For latency measurement. */
  readonly appendedAtNs: bigint;
}

interface Entry extends OutboxRecord {
  state: RecordState;
  /** Position in the outbox files (undefined until written, or if written in memory mode). */
  ordinal: number | undefined;
  segment: Segment | undefined;
  /** Kept for gap records only: a dropped gap's report is carried into the next one. */
  gap: GapEvent | undefined;
}

interface Segment {
  readonly base: number;
  readonly name: string;
  lines: number;
  bytes: number;
  /** Records not yet acked or dropped. */
  live: number;
}

export interface OutboxStatus {
  readonly nodeId: string;
  readonly bootId: string;
  /** Seq the next append gets. */
  readonly nextSeq: number;
  /** Events not yet acked by the bus. */
  readonly depth: number;
  readonly depthBytes: number;
  readonly durability: 'disk' | 'memory';
  /** Events that could not be written to disk (published from memory; lost if the process dies first). */
  readonly unpersisted: number;
  /** Events lost and reported in gap events, since open. */
  readonly lost: number;
  readonly gapEvents: number;
  /** Records replayed from a previous run at open. */
  readonly replayed: number;
  readonly segments: number;
  readonly lastError: string | undefined;
}

const CURSOR_FILE = 'cursor';
const JOURNAL_FILE = 'journal.log';

export class Outbox {
  readonly nodeId: string;
  readonly bootId: string;
  readonly #dir: string;
  readonly #files: OutboxFiles;
  readonly #clock: OutboxClock;
  readonly #maxBytes: number;
  readonly #segmentBytes: number;
  readonly #flushIntervalMs: number;
  readonly #flushBatch: number;
  readonly #cursorIntervalMs: number;
  readonly #diskRetryMs: number;
  readonly #onError: (err: OutboxError) => void;

  /** Every not-yet-done entry in order, plus done ones not yet popped off the head. */
  #entries: Entry[] = [];
  #head = 0;
  #unwritten: Entry[] = [];
  #nextSeq = 0;
  #nextOrdinal = 0;
  #cursor = 0;
  #cursorWritten = 0;
  #segments = new Map<number, Segment>();
  #active: { segment: Segment; handle: AppendHandle } | undefined;
  #liveBytes = 0;
  #liveCount = 0;
  #durability: 'disk' | 'memory' = 'disk';
  #diskRetryAt = 0;
  #unpersisted = 0;
  #lost = 0;
  #gapEvents = 0;
  #replayed = 0;
  /**
   * The journal: every appended event is also written synchronously (write(2), no fsync) to
   * journal.log at append time, so a kill -9 inside the batching window loses nothing — the page
   * cache outlives the process. Segments stay the durable, fsync'd record; the journal is truncated
   * whenever every appended event is in a segment, and replayed (deduplicated by id) at open.
   */
  #journalFd: number | undefined;
  #lastError: string | undefined;
  #flushTimer: NodeJS.Timeout | undefined;
  #flushing: Promise<void> | undefined;
  #cursorTimer: NodeJS.Timeout | undefined;
  #cursorWriting: Promise<void> | undefined;
  #readableWaiters: (() => void)[] = [];
  /** Gap records not yet on disk: until they are, segments holding the records they drop must stay. */
  #gapsUnwritten = 0;
  #closed = false;

  private constructor(opts: OutboxOptions, bootId: string) {
    this.nodeId = opts.nodeId;
    this.bootId = bootId;
    this.#dir = opts.dir;
    this.#files = opts.files ?? nodeOutboxFiles;
    this.#clock = opts.clock ?? systemClock;
    this.#maxBytes = opts.maxBytes ?? 32 * 1024 * 1024;
    this.#segmentBytes = opts.segmentBytes ?? 4 * 1024 * 1024;
    this.#flushIntervalMs = opts.flushIntervalMs ?? 5;
    this.#flushBatch = opts.flushBatch ?? 64;
    this.#cursorIntervalMs = opts.cursorIntervalMs ?? 50;
    this.#diskRetryMs = opts.diskRetryMs ?? 1000;
    const onError = opts.onError;
    this.#onError = (err) => {
      this.#lastError = err.message;
      try {
        onError?.(err);
      } catch {
        // A logging callback must not break the outbox; there is nowhere further to report to.
      }
    };
  }

  /**
   * Opens (creating if needed) the outbox in `dir` and replays what a previous run left unpublished.
   * Start-up may wait on the disk; append() never does. A directory that cannot be read or created
   * starts the outbox in memory mode (reported through onError and status) rather than failing start-up.
   */
  static async open(opts: OutboxOptions): Promise<Outbox> {
    const bootId = opts.bootId ?? makeBootId(Date.now(), randomBytes(4));
    const outbox = new Outbox(opts, bootId);
    try {
      await outbox.#replay();
      outbox.#openJournal();
    } catch (err) {
      outbox.#enterMemoryMode(new OutboxError(`outbox: cannot open ${opts.dir}`, { cause: err }));
    }
    return outbox;
  }

  /** Appends an event; returns its id. Synchronous, in memory; never waits for or throws on I/O. */
  append(draft: EventDraft): string {
    if (this.#closed) throw new Error('Outbox.append after close'); // programmer error
    const payload = this.#build(draft);
    this.#admit(payload.event, payload.bytes);
    this.#journal(payload.bytes);
    return payload.event.id;
  }

  /** The oldest event ready to publish (on disk, or in memory mode), now marked in flight; or undefined. */
  takeNext(): OutboxRecord | undefined {
    for (let i = this.#head; i < this.#entries.length; i++) {
      const e = this.#entries[i]!;
      if (e.state === 'acked' || e.state === 'dropped') continue;
      // Strict order: never hand out a later record while an earlier one is in flight or unwritten.
      if (e.state !== 'ready') return undefined;
      e.state = 'inflight';
      return e;
    }
    return undefined;
  }

  /** The bus acknowledged the record (PubAck, including a duplicate ack). */
  ack(record: OutboxRecord): void {
    const e = record as Entry;
    if (e.state !== 'inflight') return;
    this.#finish(e, 'acked');
    this.#advance();
  }

  /** Publishing failed; the record goes back to the head of the line. */
  release(record: OutboxRecord): void {
    const e = record as Entry;
    if (e.state === 'inflight') e.state = 'ready';
  }

  /** Resolves when takeNext() may return something (or the outbox closes). */
  whenReadable(): Promise<void> {
    const e = this.#firstLive();
    if (this.#closed || (e && e.state === 'ready')) return Promise.resolve();
    return new Promise((resolve) => this.#readableWaiters.push(resolve));
  }

  status(): OutboxStatus {
    return {
      nodeId: this.nodeId,
      bootId: this.bootId,
      nextSeq: this.#nextSeq,
      depth: this.#liveCount,
      depthBytes: this.#liveBytes,
      durability: this.#durability,
      unpersisted: this.#unpersisted,
      lost: this.#lost,
      gapEvents: this.#gapEvents,
      replayed: this.#replayed,
      segments: this.#segments.size,
      lastError: this.#lastError,
    };
  }

  /** Writes and fsyncs everything appended so far (e.g. before a clean exit). Never rejects. */
  async flush(): Promise<void> {
    while (this.#unwritten.length > 0 || this.#flushing) {
      if (this.#flushing) await this.#flushing;
      else await this.#flushNow();
    }
  }

  /** Flushes, persists the cursor, closes the segment. Unpublished events stay for the next run. */
  async close(): Promise<void> {
    if (this.#closed) return;
    await this.flush();
    this.#closed = true;
    clearTimeout(this.#flushTimer);
    clearTimeout(this.#cursorTimer);
    if (this.#cursorWriting) await this.#cursorWriting;
    await this.#writeCursor();
    if (this.#active) {
      await this.#active.handle.close().catch(() => undefined);
      this.#active = undefined;
    }
    for (const w of this.#readableWaiters.splice(0)) w();
    if (this.#journalFd !== undefined) closeSync(this.#journalFd);
    this.#journalFd = undefined;
  }

  // ---- the journal ----

  #openJournal(): void {
    try {
      this.#journalFd = openSync(join(this.#dir, JOURNAL_FILE), 'a');
    } catch (err) {
      this.#onError(new OutboxError('outbox: cannot open the journal; events of the last few ms before a crash may be lost', { cause: err }));
    }
  }

  #journal(bytes: Buffer): void {
    if (this.#journalFd === undefined) return;
    try {
      writeSync(this.#journalFd, encodeRecord(bytes.toString('utf8')));
    } catch (err) {
      // A full disk: the batched writer will notice too and switch to memory mode.
      closeSync(this.#journalFd);
      this.#journalFd = undefined;
      this.#onError(new OutboxError('outbox: journal write failed; continuing without it', { cause: err }));
    }
  }

  /** Everything appended is in a fsync'd segment: the journal can start over. */
  #truncateJournal(): void {
    if (this.#journalFd === undefined || this.#unwritten.length > 0) return;
    try {
      ftruncateSync(this.#journalFd, 0);
    } catch {
      // harmless: replay deduplicates by id
    }
  }

  // ---- building and admitting ----

  #build(draft: EventDraft): { event: HsEvent; bytes: Buffer } {
    const seq = this.#nextSeq++;
    const { at, mono, ...rest } = draft;
    const event = {
      id: makeEventId(this.nodeId, this.bootId, seq),
      schema: SCHEMA_VERSION,
      nodeId: this.nodeId,
      bootId: this.bootId,
      seq,
      at: at ?? formatWallClockMicros(this.#clock.wallMicros()),
      mono: mono ?? this.#clock.monoNanos().toString(),
      ...rest,
    } as HsEvent;
    return { event, bytes: Buffer.from(JSON.stringify(event), 'utf8') };
  }

  #admit(event: HsEvent, bytes: Buffer): void {
    if (this.#liveBytes + bytes.length > this.#maxBytes) this.#dropOldest(Math.floor(this.#maxBytes * 0.75) - bytes.length);
    this.#push(event, bytes);
  }

  #push(event: HsEvent, bytes: Buffer, replayed?: { ordinal: number; segment: Segment }): Entry {
    const e: Entry = {
      id: event.id,
      kind: event.kind,
      nodeId: event.nodeId,
      bootId: event.bootId,
      seq: event.seq,
      subject: eventSubject(event.nodeId, event.kind),
      payload: bytes,
      appendedAtNs: this.#clock.monoNanos(),
      state: replayed ? 'ready' : 'unwritten',
      ordinal: replayed?.ordinal,
      segment: replayed?.segment,
      gap: event.kind === 'gap' ? event : undefined,
    };
    this.#entries.push(e);
    this.#liveBytes += bytes.length;
    this.#liveCount++;
    if (!replayed) {
      if (e.gap) this.#gapsUnwritten++;
      this.#unwritten.push(e);
      this.#scheduleFlush();
    }
    return e;
  }

  /** Drops the oldest unpublished records until live bytes ≤ target; appends one gap event for them. */
  #dropOldest(target: number): void {
    const ledger = new LossLedger();
    let dropped = 0;
    for (let i = this.#head; i < this.#entries.length && this.#liveBytes > target; i++) {
      const e = this.#entries[i]!;
      if (e.state !== 'ready' && e.state !== 'unwritten') continue; // in flight: let it finish
      if (e.gap) ledger.carry(e.gap);
      ledger.add(e.bootId, e.seq, e.kind);
      this.#finish(e, 'dropped');
      dropped++;
    }
    if (dropped === 0) return;
    this.#unwritten = this.#unwritten.filter((e) => e.state === 'unwritten');
    this.#appendGap('size-cap', ledger, dropped, `outbox over ${this.#maxBytes} bytes of unpublished events`);
    this.#advance();
    this.#wakeReaders();
  }

  /** `newlyLost`: events lost now (a dropped gap counts as one; what it carried was counted before). */
  #appendGap(cause: GapEvent['cause'], ledger: LossLedger, newlyLost: number, detail: string): void {
    this.#lost += newlyLost;
    this.#gapEvents++;
    const draft: EventDraft = { kind: 'gap', cause, ...ledger.summary(), detail };
    const { event, bytes } = this.#build(draft);
    this.#push(event, bytes);
  }

  #finish(e: Entry, state: 'acked' | 'dropped'): void {
    // A gap record that never reached the disk is settled once the bus has it or a later gap carries it.
    if (e.gap && e.ordinal === undefined) this.#gapsUnwritten--;
    e.state = state;
    this.#liveBytes -= e.payload.length;
    this.#liveCount--;
    if (e.segment) {
      e.segment.live--;
      this.#maybeDeleteSegment(e.segment);
    }
  }

  #firstLive(): Entry | undefined {
    for (let i = this.#head; i < this.#entries.length; i++) {
      const e = this.#entries[i]!;
      if (e.state !== 'acked' && e.state !== 'dropped') return e;
    }
    return undefined;
  }

  /** Pops done entries off the head; the cursor follows the last written one. */
  #advance(): void {
    let moved = false;
    while (this.#head < this.#entries.length) {
      const e = this.#entries[this.#head]!;
      if (e.state !== 'acked' && e.state !== 'dropped') break;
      if (e.ordinal !== undefined) {
        this.#cursor = e.ordinal + 1;
        moved = true;
      }
      this.#head++;
    }
    if (this.#head > 1024 && this.#head * 2 > this.#entries.length) {
      this.#entries = this.#entries.slice(this.#head);
      this.#head = 0;
    }
    if (moved) this.#scheduleCursor();
  }

  // ---- writing ----

  #scheduleFlush(): void {
    if (this.#flushing) return; // the running flush reschedules itself
    if (this.#unwritten.length >= this.#flushBatch) {
      clearTimeout(this.#flushTimer);
      this.#flushTimer = undefined;
      void this.#flushNow();
    } else if (!this.#flushTimer) {
      this.#flushTimer = setTimeout(() => {
        this.#flushTimer = undefined;
        void this.#flushNow();
      }, this.#flushIntervalMs);
    }
  }

  #flushNow(): Promise<void> {
    if (this.#flushing) return this.#flushing;
    this.#flushing = this.#writeBatch().finally(() => {
      this.#flushing = undefined;
      if (this.#unwritten.length > 0 && !this.#closed) this.#scheduleFlush();
    });
    return this.#flushing;
  }

  async #writeBatch(): Promise<void> {
    const batch = this.#unwritten.filter((e) => e.state === 'unwritten');
    this.#unwritten = [];
    if (batch.length === 0) return;
    if (this.#durability === 'memory' && Date.now() < this.#diskRetryAt) {
      this.#keepInMemory(batch);
      return;
    }
    try {
      const seg = await this.#segmentFor();
      const buffers = batch.map((e) => encodeRecord(Buffer.from(e.payload).toString('utf8')));
      const data = Buffer.concat(buffers);
      // Ordinals are claimed before the write: if it fails half-way, they are never reused.
      const base = this.#nextOrdinal;
      this.#nextOrdinal += batch.length;
      await seg.handle.write(data);
      await seg.handle.datasync();
      seg.segment.lines += batch.length;
      seg.segment.bytes += data.length;
      batch.forEach((e, i) => {
        e.ordinal = base + i;
        if (e.gap && e.state === 'unwritten') this.#gapsUnwritten--;
        if (e.state === 'unwritten') {
          e.state = 'ready';
          e.segment = seg.segment;
          seg.segment.live++;
        } else if (e.state === 'dropped') {
          // Dropped while being written: on disk, but its gap record tells replay to skip it.
        }
      });
      if (this.#durability === 'memory') {
        this.#durability = 'disk';
        this.#lastError = undefined;
      }
      this.#advance();
      this.#sweepSegments();
      this.#truncateJournal();
    } catch (err) {
      this.#enterMemoryMode(new OutboxError(`outbox: write failed (${(err as NodeJS.ErrnoException).code ?? 'error'}); keeping events in memory`, { cause: err }));
      // The segment may end in a partial line now: never append to it again.
      const active = this.#active;
      this.#active = undefined;
      if (active) await active.handle.close().catch(() => undefined);
      this.#keepInMemory(batch);
    }
    this.#wakeReaders();
  }

  #keepInMemory(batch: Entry[]): void {
    for (const e of batch) {
      if (e.state !== 'unwritten') continue;
      e.state = 'ready';
      this.#unpersisted++;
    }
  }

  #enterMemoryMode(err: OutboxError): void {
    this.#durability = 'memory';
    this.#diskRetryAt = Date.now() + this.#diskRetryMs;
    this.#onError(err);
  }

  async #segmentFor(): Promise<{ segment: Segment; handle: AppendHandle }> {
    if (this.#active && this.#active.segment.bytes >= this.#segmentBytes) {
      const old = this.#active;
      this.#active = undefined;
      await old.handle.close();
      this.#maybeDeleteSegment(old.segment);
    }
    if (!this.#active) {
      await this.#files.mkdirp(this.#dir);
      const base = this.#nextOrdinal;
      const segment: Segment = { base, name: segmentName(base), lines: 0, bytes: 0, live: 0 };
      const handle = await this.#files.openAppend(join(this.#dir, segment.name));
      this.#segments.set(base, segment);
      this.#active = { segment, handle };
    }
    return this.#active;
  }

  #sweepSegments(): void {
    for (const segment of [...this.#segments.values()]) this.#maybeDeleteSegment(segment);
  }

  /**
   * Compaction: a segment whose records are all acked or dropped is deleted — but only once every gap
   * record reporting a drop is itself on disk, or a crash could erase dropped records with no report.
   */
  #maybeDeleteSegment(segment: Segment): void {
    if (segment.live > 0 || this.#active?.segment === segment || !this.#segments.has(segment.base)) return;
    if (this.#gapsUnwritten > 0 || this.#durability === 'memory') return;
    this.#segments.delete(segment.base);
    void this.#files.remove(join(this.#dir, segment.name)).catch((err: unknown) => {
      this.#onError(new OutboxError(`outbox: cannot delete ${segment.name}`, { cause: err }));
    });
  }

  #wakeReaders(): void {
    const first = this.#firstLive();
    if (!first || first.state !== 'ready') return;
    for (const w of this.#readableWaiters.splice(0)) w();
  }

  // ---- cursor ----

  #scheduleCursor(): void {
    if (this.#cursorTimer || this.#closed) return;
    this.#cursorTimer = setTimeout(() => {
      this.#cursorTimer = undefined;
      // One write at a time: two replace() calls share the temp file, and the loser's rename fails
      // (ENOENT, "cannot write cursor") — seen when a slow fsync outlasts the 50 ms throttle.
      const previous = this.#cursorWriting ?? Promise.resolve();
      const writing: Promise<void> = previous
        .then(() => this.#writeCursor())
        .finally(() => {
          if (this.#cursorWriting === writing) this.#cursorWriting = undefined;
        });
      this.#cursorWriting = writing;
    }, this.#cursorIntervalMs);
  }

  async #writeCursor(): Promise<void> {
    const cursor = this.#cursor;
    if (cursor === this.#cursorWritten || this.#durability === 'memory') return;
    try {
      await this.#files.replace(join(this.#dir, CURSOR_FILE), Buffer.from(`${JSON.stringify({ ordinal: cursor })}\n`));
      this.#cursorWritten = cursor;
    } catch (err) {
      // Not fatal: a stale cursor only means some acked events are published again (and de-duplicated).
      this.#onError(new OutboxError('outbox: cannot write cursor', { cause: err }));
    }
  }

  // ---- replay ----

  async #replay(): Promise<void> {
    await this.#files.mkdirp(this.#dir);
    const cursorText = await this.#files.read(join(this.#dir, CURSOR_FILE));
    let cursor = 0;
    if (cursorText) {
      try {
        const parsed = JSON.parse(cursorText.toString('utf8')) as { ordinal?: unknown };
        if (typeof parsed.ordinal === 'number' && Number.isSafeInteger(parsed.ordinal)) cursor = parsed.ordinal;
      } catch {
        // An unreadable cursor replays everything: duplicates are absorbed by msgID, nothing is lost.
        this.#onError(new OutboxError('outbox: cursor file unreadable; replaying all segments'));
      }
    }
    this.#cursor = this.#cursorWritten = cursor;
    const bases = (await this.#files.list(this.#dir))
      .map(parseSegmentName)
      .filter((b): b is number => b !== undefined)
      .sort((a, b) => a - b);
    const seen = new Set<string>();
    /** Ids of acked records still in segments: a journal entry naming one was published already. */
    const inSegments = new Set<string>();
    const corrupt = new LossLedger();
    const found: { event: HsEvent; bytes: Buffer; ordinal: number; segment: Segment }[] = [];
    for (const base of bases) {
      const data = (await this.#files.read(join(this.#dir, segmentName(base)))) ?? Buffer.alloc(0);
      const { lines } = splitLines(data);
      const segment: Segment = { base, name: segmentName(base), lines: lines.length, bytes: data.length, live: 0 };
      this.#segments.set(base, segment);
      this.#nextOrdinal = Math.max(this.#nextOrdinal, base + lines.length);
      lines.forEach((line, i) => {
        const ordinal = base + i;
        if (ordinal < cursor) {
          const old = decodeRecordLine(line);
          const id = old.ok ? parseStored(old.json)?.id : undefined;
          if (id !== undefined) inSegments.add(id);
          return;
        }
        const decoded = decodeRecordLine(line);
        const event = decoded.ok ? parseStored(decoded.json) : undefined;
        if (!event) {
          corrupt.addUnknown(1);
          return;
        }
        if (seen.has(event.id)) return; // written twice around a write error
        seen.add(event.id);
        found.push({ event, bytes: Buffer.from(JSON.stringify(event), 'utf8'), ordinal, segment });
      });
    }
    this.#nextOrdinal = Math.max(this.#nextOrdinal, cursor);
    // A size-cap gap record names the records it dropped: they stay dropped across restarts.
    const gaps = found.filter((f) => f.event.kind === 'gap' && f.event.cause === 'size-cap').map((f) => f.event as GapEvent);
    for (const f of found) {
      if (gaps.some((g) => g !== f.event && inRanges(g.ranges, f.event.bootId, f.event.seq))) continue;
      f.segment.live++;
      this.#push(f.event, f.bytes, f);
      this.#replayed++;
    }
    // The journal's events that never reached a segment (appended in the last ms before a crash):
    // newer than every segment record, in append order. A torn last line is the crash itself.
    let journal: Buffer | undefined;
    try {
      journal = readFileSync(join(this.#dir, JOURNAL_FILE));
    } catch {
      journal = undefined;
    }
    for (const line of journal ? splitLines(journal).lines : []) {
      const decoded = decodeRecordLine(line);
      const event = decoded.ok ? parseStored(decoded.json) : undefined;
      if (!event || seen.has(event.id) || inSegments.has(event.id)) continue;
      seen.add(event.id);
      this.#push(event, Buffer.from(JSON.stringify(event), 'utf8'));
      this.#replayed++;
    }
    if (corrupt.lost > 0) this.#appendGap('corrupt-record', corrupt, corrupt.lost, `${corrupt.lost} outbox record(s) failed their checksum at replay`);
    this.#sweepSegments();
    if (this.#liveBytes > this.#maxBytes) this.#dropOldest(Math.floor(this.#maxBytes * 0.75));
  }
}

/** Minimal check of a stored record: it was validated by type when appended; guard against damage. */
function parseStored(json: string): HsEvent | undefined {
  try {
    const v = JSON.parse(json) as Partial<HsEvent>;
    if (typeof v.id !== 'string' || typeof v.nodeId !== 'string' || typeof v.bootId !== 'string' || typeof v.seq !== 'number') return undefined;
    if (!EVENT_KINDS.includes(v.kind as EventKind)) return undefined;
    return v as HsEvent;
  } catch {
    return undefined;
  }
}
