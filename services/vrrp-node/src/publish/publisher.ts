// Drains the outbox to JetStream, asynchronously and forever (DESIGN.md rules 1 and 2).
//
// - One event in flight at a time, in outbox order: with several in flight, a message lost in a
//   connection drop could be re-sent after later ones were stored, breaking per-node order in the stream.
//   The bench shows what this costs (plenty for VRRP's event rates).
// - msgID = event id, so a re-publish after a crash or a lost PubAck is de-duplicated by the stream.
// - The outbox cursor advances only after the PubAck (a duplicate ack counts: the event is there).
// - Reconnects forever with backoff. A publish the server refuses for permissions (a node publishing
//   as another node) is reported — status `refused`, an error log — and retried only slowly.
import { connect, PermissionViolationError } from '@nats-io/transport-node';
import type { NatsConnection } from '@nats-io/transport-node';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import type { JetStreamClient, PubAck } from '@nats-io/jetstream';
import { EVENTS_STREAM } from '@hotstandby/events';
import type { Outbox, OutboxRecord, OutboxStatus } from '../outbox/outbox.js';
import type { BusConnectionOptions } from './connection-options.js';
import { describeConnection, toNatsOptions } from './connection-options.js';
import type { EnsureStreamsOptions } from './streams.js';
import { ensureStreams } from './streams.js';
import { traceHeaders } from './trace-header.js';

export type BusState = 'connecting' | 'connected' | 'reconnecting' | 'refused' | 'closed';

export interface PublisherLogEntry {
  readonly level: 'info' | 'warn' | 'error';
  readonly message: string;
  readonly error?: Error;
}

export interface PublisherOptions {
  readonly outbox: Outbox;
  readonly connection: BusConnectionOptions;
  /** Create/update the events stream on every connect (needs $JS.API.STREAM.* permissions). Default: off. */
  readonly provision?: EnsureStreamsOptions | false;
  /** How long to wait for a PubAck. Default 5000 ms. */
  readonly publishTimeoutMs?: number;
  /** Retry backoff after a failed publish: doubles from initial to max. Default 100 ms → 10 s. */
  readonly backoffInitialMs?: number;
  readonly backoffMaxMs?: number;
  /** Retry interval after a permission refusal. Default 30 s. */
  readonly refusedRetryMs?: number;
  /** Log sink. Messages never contain secrets. Must not throw. */
  readonly log?: (entry: PublisherLogEntry) => void;
  /** Called after each PubAck (bench, metrics). */
  readonly onPublished?: (record: OutboxRecord, ack: PubAck) => void;
}

export interface PublisherStatus {
  readonly bus: BusState;
  readonly servers: string;
  /** The server we are connected to, when connected. */
  readonly server: string | undefined;
  readonly published: number;
  /** PubAcks that said "duplicate": re-publishes after a crash or a lost ack, absorbed by the stream. */
  readonly duplicates: number;
  readonly refusals: number;
  readonly lastError: string | undefined;
  readonly lastErrorAt: string | undefined;
  readonly outbox: OutboxStatus;
}

export class PublishRefusedError extends Error {
  constructor(subject: string, options?: ErrorOptions) {
    super(`publish to ${subject} refused by the server (permissions)`, options);
    this.name = 'PublishRefusedError';
  }
}

export class Publisher {
  readonly #outbox: Outbox;
  readonly #conn: BusConnectionOptions;
  readonly #provision: EnsureStreamsOptions | false;
  readonly #timeout: number;
  readonly #backoffInitial: number;
  readonly #backoffMax: number;
  readonly #refusedRetry: number;
  readonly #log: (entry: PublisherLogEntry) => void;
  readonly #onPublished: ((record: OutboxRecord, ack: PubAck) => void) | undefined;

  #bus: BusState = 'connecting';
  #server: string | undefined;
  #nc: NatsConnection | undefined;
  #published = 0;
  #duplicates = 0;
  #refusals = 0;
  #lastError: string | undefined;
  #lastErrorAt: string | undefined;
  #closed = false;
  #wake: (() => void)[] = [];
  #running: Promise<void> | undefined;
  #needsProvision = true;

  constructor(opts: PublisherOptions) {
    this.#outbox = opts.outbox;
    this.#conn = opts.connection;
    this.#provision = opts.provision ?? false;
    this.#timeout = opts.publishTimeoutMs ?? 5000;
    this.#backoffInitial = opts.backoffInitialMs ?? 100;
    this.#backoffMax = opts.backoffMaxMs ?? 10_000;
    this.#refusedRetry = opts.refusedRetryMs ?? 30_000;
    const log = opts.log;
    this.#log = (entry) => {
      try {
        log?.(entry);
      } catch {
        // The log sink failing must not stop publishing.
      }
    };
    this.#onPublished = opts.onPublished;
  }

  /** Starts connecting and draining in the background. Returns at once; never rejects. */
  start(): void {
    if (this.#running) return;
    this.#running = this.#run().catch((err: unknown) => {
      // Only a bug gets here; say so loudly rather than dying silently.
      this.#report('error', 'publisher stopped by an unexpected error', err);
      this.#bus = 'closed';
    });
  }

  status(): PublisherStatus {
    return {
      bus: this.#bus,
      servers: describeConnection(this.#conn),
      server: this.#bus === 'connected' ? this.#server : undefined,
      published: this.#published,
      duplicates: this.#duplicates,
      refusals: this.#refusals,
      lastError: this.#lastError,
      lastErrorAt: this.#lastErrorAt,
      outbox: this.#outbox.status(),
    };
  }

  /** Stops publishing and closes the connection (what is not yet acked stays in the outbox). */
  async close(): Promise<void> {
    this.#closed = true;
    for (const w of this.#wake.splice(0)) w();
    const nc = this.#nc;
    if (nc) await nc.close().catch(() => undefined);
    // A connect attempt in progress cannot be aborted; the loop closes that connection when it lands.
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.#running, new Promise((r) => (timer = setTimeout(r, 1000)))]);
    clearTimeout(timer);
    this.#bus = 'closed';
  }

  async #run(): Promise<void> {
    const natsOpts = await toNatsOptions(this.#conn, this.#outbox.nodeId);
    let backoff = this.#backoffInitial;
    while (!this.#closed) {
      this.#bus = 'connecting';
      let nc: NatsConnection;
      try {
        nc = await connect(natsOpts);
      } catch (err) {
        this.#report('warn', `cannot connect to ${describeConnection(this.#conn)}`, err);
        await this.#sleep(backoff);
        backoff = Math.min(backoff * 2, this.#backoffMax);
        continue;
      }
      backoff = this.#backoffInitial;
      if (this.#closed) {
        await nc.close();
        break;
      }
      this.#nc = nc;
      this.#bus = 'connected';
      this.#server = nc.getServer();
      this.#report('info', `connected to ${this.#server}`);
      void this.#watch(nc);
      const js = jetstream(nc, { timeout: this.#timeout });
      await this.#drain(nc, js);
      await nc.close().catch(() => undefined);
      this.#nc = undefined;
    }
  }

  async #watch(nc: NatsConnection): Promise<void> {
    for await (const s of nc.status()) {
      switch (s.type) {
        case 'disconnect':
          if (this.#bus !== 'refused') this.#bus = 'reconnecting';
          this.#report('warn', `disconnected from ${s.server}`);
          break;
        case 'reconnect':
          this.#bus = 'connected';
          this.#server = s.server;
          this.#report('info', `reconnected to ${s.server}`);
          for (const w of this.#wake.splice(0)) w(); // cut a backoff short: the bus is back
          break;
        case 'error':
          if (s.error instanceof PermissionViolationError) this.#refused(s.error.subject, s.error);
          else this.#report('warn', 'server error', s.error);
          break;
        default:
          break;
      }
    }
  }

  async #drain(nc: NatsConnection, js: JetStreamClient): Promise<void> {
    let backoff = this.#backoffInitial;
    while (!this.#closed && !nc.isClosed()) {
      if (this.#provision && this.#needsProvision) {
        try {
          await ensureStreams(await jetstreamManager(nc), { streams: [EVENTS_STREAM], ...this.#provision });
          this.#needsProvision = false;
        } catch (err) {
          this.#report('warn', 'cannot provision the events stream', err);
        }
      }
      const rec = this.#outbox.takeNext();
      if (!rec) {
        await Promise.race([this.#outbox.whenReadable(), this.#sleep(1000)]);
        continue;
      }
      try {
        const ack = await js.publish(rec.subject, rec.payload, { msgID: rec.id, timeout: this.#timeout, ...traceHeaders(rec) });
        this.#outbox.ack(rec);
        this.#published++;
        if (ack.duplicate) this.#duplicates++;
        if (this.#bus === 'refused' || this.#bus === 'reconnecting') this.#bus = 'connected';
        backoff = this.#backoffInitial;
        this.#onPublished?.(rec, ack);
      } catch (err) {
        this.#outbox.release(rec);
        if (this.#closed) break;
        const refusal = permissionError(err);
        if (refusal) {
          this.#refused(rec.subject, refusal);
          await this.#sleep(this.#refusedRetry);
        } else {
          if (/no responders/i.test(String(err)) || /503/.test(String(err))) this.#needsProvision = true;
          this.#report('warn', `publish of ${rec.id} failed; retrying in ${backoff} ms`, err);
          await this.#sleep(backoff);
          backoff = Math.min(backoff * 2, this.#backoffMax);
        }
      }
    }
  }

  #refused(subject: string, cause: Error): void {
    this.#bus = 'refused';
    this.#refusals++;
    this.#report('error', `publish to ${subject} refused by the server: this node's NATS user may not publish as ${this.#outbox.nodeId}`, new PublishRefusedError(subject, { cause }));
  }

  #report(level: PublisherLogEntry['level'], message: string, err?: unknown): void {
    const error = err === undefined ? undefined : err instanceof Error ? err : new Error(JSON.stringify(err));
    if (level !== 'info') {
      this.#lastError = error ? `${message}: ${error.message}` : message;
      this.#lastErrorAt = new Date().toISOString();
    }
    this.#log(error ? { level, message, error } : { level, message });
  }

  #sleep(ms: number): Promise<void> {
    if (this.#closed) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        this.#wake = this.#wake.filter((w) => w !== done);
        resolve();
      }, ms);
      this.#wake.push(done);
    });
  }
}

function permissionError(err: unknown): Error | undefined {
  for (let e: unknown = err; e instanceof Error; e = e.cause) {
    if (e instanceof PermissionViolationError || /permissions violation/i.test(e.message)) return e;
  }
  return undefined;
}
