// One worker per channel drains that channel's queue of send records, so a Slack outage never delays
// e-mail. For each message: plan (group window) → rate limit → claim (pending → sending) → attempts
// (each bracketed by in_flight in the record) → sent, or dead + health notice on the other channels.
//
// After a restart, a group left `sending` is finished first. If one of its attempts was in flight
// when the process died, the server may have it already: the resend carries the same ref (same e-mail
// Message-ID) and says it may be a duplicate. That is at-least-once for the crash window of a single
// request — chosen over at-most-once because a lost split-brain alert costs more than a repeated one.
import type { Alert } from '@hotstandby/events';
import type { Channel, Delivery, Notice } from '../alert/notice.js';
import type { Db } from '../db/database.js';
import type { DeliveryRow } from '../schema/index.js';
import type { SendOutcome } from '../send/outcome.js';
import { alertTitle } from '../render/describe.js';
import * as store from '../store/deliveries.js';
import type { RetryPolicy } from './backoff.js';
import { backoffDelayMs, withinBudget } from './backoff.js';
import type { PlanOptions, QueuedItem } from './plan.js';
import { planNext } from './plan.js';
import type { Bucket, RateLimit } from './rate-limit.js';
import { fullBucket, takeToken } from './rate-limit.js';
import { Wakeup } from './wakeup.js';
import { startDeliverSpan } from '../telemetry/trace.js';

/** Fault injection for the crash drills (a no-op unless the CLI's HS_NOTIFIER_FAILPOINT names it). */
export type Failpoint = (name: 'after-record' | 'after-send', channel?: Channel) => void;

export interface WorkerOptions {
  readonly channel: Channel;
  readonly db: Db;
  readonly send: (delivery: Delivery) => Promise<SendOutcome>;
  /** Channels that get a health notice when this one gives up on a message. */
  readonly healthChannels: readonly Channel[];
  /** Called after health notices were queued (to wake those channels' workers). */
  readonly onHealthQueued?: (channels: readonly Channel[]) => void;
  readonly plan: PlanOptions;
  readonly retry: RetryPolicy;
  readonly rateLimit: RateLimit;
  readonly now?: () => number;
  readonly random?: () => number;
  /** Re-read the queue this often even without a wake() (another process may have written it). */
  readonly idlePollMs?: number;
  readonly failpoint?: Failpoint;
  readonly log?: (line: string) => void;
  /** Called after each message is finished (sent or dead): tests and metrics. */
  readonly onFinished?: (result: { status: 'sent' | 'dead'; ids: readonly number[]; ref: string }) => void;
}

function toItem(r: DeliveryRow): QueuedItem {
  return { id: r.id, kind: r.kind as QueuedItem['kind'], incidentId: r.incidentId, groupKey: r.groupKey, receivedAtMs: r.receivedAt.getTime() };
}

function noticeOf(rows: readonly DeliveryRow[]): Notice {
  const head = rows[0]!;
  if (head.kind === 'raised' || head.kind === 'resolved') {
    return { type: 'alerts', state: head.kind, alerts: rows.map((r) => r.payload as Alert) };
  }
  return head.payload as Notice;
}

export class ChannelWorker {
  readonly #o: WorkerOptions;
  readonly #wakeup = new Wakeup();
  readonly #now: () => number;
  readonly #random: () => number;
  #bucket: Bucket;
  #done: Promise<void> | undefined;

  constructor(opts: WorkerOptions) {
    this.#o = opts;
    this.#now = opts.now ?? Date.now;
    this.#random = opts.random ?? Math.random;
    this.#bucket = fullBucket(opts.rateLimit, this.#now());
  }

  get channel(): Channel {
    return this.#o.channel;
  }

  start(): void {
    if (this.#done) throw new Error('worker already started');
    this.#done = this.#loop().catch((err: unknown) => {
      this.#log(`worker stopped by an error: ${(err as Error).stack ?? String(err)}`);
      throw err;
    });
  }

  /** New rows may be queued. */
  wake(): void {
    this.#wakeup.wake();
  }

  /** Stops after the attempt in progress (an unfinished message resumes on the next start). */
  async stop(): Promise<void> {
    this.#wakeup.stop();
    await this.#done?.catch(() => {});
  }

  #log(line: string): void {
    (this.#o.log ?? ((l: string) => console.error(l)))(`notifier[${this.#o.channel}]: ${line}`);
  }

  async #loop(): Promise<void> {
    const idle = this.#o.idlePollMs ?? 5_000;
    while (!this.#wakeup.stopped) {
      try {
        const resumed = await store.unfinishedGroup(this.#o.db, this.#o.channel);
        if (resumed.length > 0) {
          if (!(await this.#token())) continue;
          await this.#deliver(resumed, resumed.some((r) => r.inFlight));
          continue;
        }
        const queue = await store.pendingQueue(this.#o.db, this.#o.channel);
        const plan = planNext(queue.map(toItem), this.#now(), this.#o.plan);
        if (plan.do === 'idle') {
          await this.#wakeup.sleep(idle);
          continue;
        }
        if (plan.do === 'wait') {
          // Not wakeable: new arrivals cannot shorten the head's group window.
          await this.#wakeup.sleep(plan.untilMs - this.#now(), false);
          continue;
        }
        // Waiting for a token lets the group grow: plan again afterwards.
        if (!(await this.#token())) continue;
        const rows = queue.filter((r) => plan.ids.includes(r.id));
        const head = rows[0]!;
        const notice = noticeOf(rows);
        const title = notice.type === 'alerts' && notice.state === 'raised' ? alertTitle(notice) : null;
        const claimed = await store.claimGroup(this.#o.db, plan.ids, `${this.#o.channel}:${head.messageId}`, title, new Date(this.#now()));
        claimed.sort((a, b) => a.id - b.id);
        if (claimed.length > 0) await this.#deliver(claimed, false);
      } catch (err) {
        // The store is unreachable (Postgres restarting): nothing was lost, try again shortly.
        this.#log(`store error, retrying: ${(err as Error).message}`);
        await this.#wakeup.sleep(1_000, false);
      }
    }
  }

  /** Waits for a rate-limit token; false if it had to wait (the caller re-plans). */
  async #token(): Promise<boolean> {
    const t = takeToken(this.#o.rateLimit, this.#bucket, this.#now());
    if (t.ok) {
      this.#bucket = t.bucket;
      return true;
    }
    await this.#wakeup.sleep(t.waitMs, false);
    return false;
  }

  async #thread(rows: readonly DeliveryRow[], notice: Notice): Promise<Delivery['thread']> {
    if (notice.type !== 'alerts' || notice.state !== 'resolved') return undefined;
    const t = await store.raisedThreads(this.#o.db, this.#o.channel, rows.map((r) => r.incidentId));
    if (t.refs.length === 0) return undefined;
    return { refs: t.refs, title: t.title ?? alertTitle(notice) };
  }

  async #deliver(rows: DeliveryRow[], crashedInFlight: boolean): Promise<void> {
    const { channel } = this.#o;
    const ids = rows.map((r) => r.id);
    const ref = rows[0]!.groupRef ?? `${channel}:${rows[0]!.messageId}`;
    const notice = noticeOf(rows);
    const thread = await this.#thread(rows, notice);
    const possibleDuplicate = crashedInFlight || rows.some((r) => r.possibleDuplicate);
    if (crashedInFlight) this.#log(`resending ${ref}: the notifier stopped while it was in flight (may be a duplicate)`);
    const failures = rows[0]!.attempts;
    const started = this.#now();
    // notifier.deliver continues the alert's trace (telemetry/trace.ts); it ends sent, dead or stopped.
    const span = startDeliverSpan(channel, ref, rows.map((r) => r.payload));
    try {
      span.end(await this.#attempts(rows, ids, ref, notice, thread, possibleDuplicate, failures, started));
    } catch (err) {
      span.end('error', err);
      throw err;
    }
  }

  async #attempts(
    rows: DeliveryRow[],
    ids: number[],
    ref: string,
    notice: Notice,
    thread: Delivery['thread'],
    possibleDuplicate: boolean,
    failures: number,
    started: number,
  ): Promise<'sent' | 'dead' | 'stopped'> {
    const { db, channel } = this.#o;
    for (;;) {
      await store.attemptStarting(db, ids, possibleDuplicate);
      const outcome = await this.#o.send({ notice, ref, thread, possibleDuplicate });
      if (outcome.ok) {
        this.#o.failpoint?.('after-send', channel);
        await store.markSent(db, ids, new Date(this.#now()));
        this.#o.onFinished?.({ status: 'sent', ids, ref });
        return 'sent';
      }
      failures++;
      await store.attemptFailed(db, ids, outcome.reason, outcome.ambiguous);
      possibleDuplicate ||= outcome.ambiguous;
      const delay = backoffDelayMs(this.#o.retry, failures, this.#random(), outcome.retryAfterMs);
      if (!outcome.retryable || !withinBudget(this.#o.retry, failures, this.#now() - started, delay)) {
        const why = outcome.retryable ? `gave up after ${failures} attempts: ${outcome.reason}` : `refused: ${outcome.reason}`;
        await this.#dead(rows, why);
        return 'dead';
      }
      this.#log(`attempt ${failures} for ${ref} failed (${outcome.reason}); next in ${delay} ms`);
      await this.#wakeup.sleep(delay, false);
      if (this.#wakeup.stopped) return 'stopped';
    }
  }

  async #dead(rows: DeliveryRow[], reason: string): Promise<void> {
    const health = rows[0]!.kind === 'health' ? [] : this.#o.healthChannels.filter((c) => c !== this.#o.channel);
    await store.markDead(this.#o.db, rows, this.#o.channel, reason, health, new Date(this.#now()));
    this.#log(`dead letter: ${rows.map((r) => r.messageId).join(', ')}: ${reason}${health.length > 0 ? ` (health notice → ${health.join(', ')})` : ''}`);
    if (health.length > 0) this.#o.onHealthQueued?.(health);
    this.#o.onFinished?.({ status: 'dead', ids: rows.map((r) => r.id), ref: rows[0]!.groupRef ?? '' });
  }
}
