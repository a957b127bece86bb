// A sleep that wake() cuts short (new work arrived) and stop() ends for good. One sleeper at a time
// (the worker's loop).
export class Wakeup {
  #onWake: (() => void) | undefined;
  #stopped = false;
  #pending = false;

  get stopped(): boolean {
    return this.#stopped;
  }

  /** Resolves after `ms`, on wake() (if `wakeable`), or on stop(). A wake() with nobody asleep is kept. */
  sleep(ms: number, wakeable = true): Promise<void> {
    if (this.#stopped) return Promise.resolve();
    if (wakeable && this.#pending) {
      this.#pending = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        if (this.#onWake === onWake) this.#onWake = undefined;
        resolve();
      };
      const timer = setTimeout(done, Math.max(0, ms));
      const onWake = (): void => {
        if (wakeable || this.#stopped) done();
        else this.#pending = true;
      };
      this.#onWake = onWake;
    });
  }

  wake(): void {
    if (this.#onWake) this.#onWake();
    else this.#pending = true;
  }

  stop(): void {
    this.#stopped = true;
    this.#onWake?.();
  }
}
