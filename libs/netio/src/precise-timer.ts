// A one-shot timer with an absolute deadline on CLOCK_MONOTONIC (the clock of monotonicUs()).
// Node's setTimeout rounds to milliseconds; at VRRPv3's 10 ms adverts one priority point of
// Skew_Time is 39 µs (RFC 9568 §6.1), so the daemon arms a timerfd (TFD_TIMER_ABSTIME, ns) instead
// and libuv wakes when it expires. It never fires before its deadline; see bench/timer.bench.ts
// for how late it fires.
import { monotonicUs } from './clock.js';
import { native, pollError } from './native.js';
import type { NativeWatcher } from './native.js';

export interface TimerFire {
  /** The deadline it was armed with (µs, monotonic). */
  deadlineUs: number;
  /** monotonicUs() on entry to the JS callback. */
  firedAtUs: number;
  /** firedAtUs − deadlineUs: how late the callback ran. Never negative. */
  lateUs: number;
}

export interface PreciseTimerOptions {
  /**
   * Wake this many µs before the deadline and busy-wait the rest on the event loop thread. Removes most
   * of the kernel's wake-up latency from the lateness, at the price of up to `spinUs` of CPU (and of a
   * blocked event loop) per expiry. Default 0.
   */
  spinUs?: number;
}

export class PreciseTimer {
  readonly #fd: number;
  readonly #watcher: NativeWatcher;
  readonly #onFire: (fire: TimerFire) => void;
  readonly #spinUs: number;
  #deadlineUs: number | undefined;
  #closed = false;

  constructor(onFire: (fire: TimerFire) => void, options: PreciseTimerOptions = {}) {
    this.#onFire = onFire;
    this.#spinUs = options.spinUs ?? 0;
    if (!(this.#spinUs >= 0 && this.#spinUs <= 10_000)) throw new RangeError(`spinUs ${this.#spinUs} not in 0..10000`);
    this.#fd = native.timerfdCreate();
    this.#watcher = new native.FdWatcher(this.#fd, (status) => this.#expired(status));
  }

  /** Arms (or re-arms) the timer for an absolute monotonicUs() deadline. A past deadline fires at once. */
  armAt(deadlineUs: number): void {
    if (this.#closed) throw new Error('PreciseTimer is closed');
    if (!Number.isFinite(deadlineUs)) throw new RangeError(`deadline ${deadlineUs} is not finite`);
    // 0 ns would disarm a timerfd; anything ≤ now fires immediately, so clamp to 1 ns.
    const ns = BigInt(Math.max(1, Math.ceil((deadlineUs - this.#spinUs) * 1000)));
    native.timerfdSet(this.#fd, ns);
    this.#deadlineUs = deadlineUs;
    this.#watcher.start(); // an armed timer keeps the process alive, like setTimeout
  }

  /** Arms the timer `delayUs` from now. */
  armIn(delayUs: number): void {
    this.armAt(monotonicUs() + delayUs);
  }

  /** Cancels a pending expiry (also one that expired but whose callback has not run yet). */
  disarm(): void {
    if (this.#closed || this.#deadlineUs === undefined) return;
    native.timerfdSet(this.#fd, 0n);
    this.#deadlineUs = undefined;
    this.#watcher.stop();
  }

  get armed(): boolean {
    return this.#deadlineUs !== undefined;
  }

  get deadlineUs(): number | undefined {
    return this.#deadlineUs;
  }

  /** Let the process exit while armed. */
  unref(): this {
    this.#watcher.unref();
    return this;
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#deadlineUs = undefined;
    this.#watcher.close(); // also closes the fd, once libuv has let go of it
  }

  #expired(status: number): void {
    if (status < 0) throw pollError(status, 'timerfd');
    // 0 expirations: re-armed or disarmed after the wake-up was queued — nothing is due.
    if (this.#closed || native.timerfdRead(this.#fd) === 0 || this.#deadlineUs === undefined) return;
    const deadlineUs = this.#deadlineUs;
    let firedAtUs = monotonicUs();
    while (firedAtUs < deadlineUs) firedAtUs = monotonicUs(); // only with spinUs > 0
    this.#deadlineUs = undefined;
    this.#watcher.stop();
    this.#onFire({ deadlineUs, firedAtUs, lateUs: firedAtUs - deadlineUs });
  }
}
