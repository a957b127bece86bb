// Notify scripts, in order, never in the protocol's way.
//
// keepalived forks each notify script and moves on, so two quick transitions can run their scripts
// concurrently and out of order (a BACKUP script finishing after the MASTER one). Here each queue
// (one per instance or sync group) runs its scripts one after the other, each with a timeout, so the
// last script to finish is always the one for the latest state. `enqueue` returns at once: the
// protocol never waits for a script.
import type { ScriptResult, ScriptRunOptions } from './run-script.js';
import { runAs, runScript } from './run-script.js';

export interface NotifyJob {
  /** What this is for, e.g. "VI_1 MASTER notify_master" — for the log line. */
  readonly label: string;
  readonly argv: readonly string[];
  /** Run as this uid/gid (script_user, the script's own user, keepalived_script); absent: as we run. */
  readonly uid?: number;
  readonly gid?: number;
}

export type ScriptRunner = (argv: readonly string[], options: ScriptRunOptions) => Promise<ScriptResult>;

export interface NotifyQueueOptions {
  readonly timeoutMs: number;
  readonly runOptions?: Omit<ScriptRunOptions, 'timeoutMs'>;
  readonly onDone: (job: NotifyJob, result: ScriptResult) => void;
  readonly run?: ScriptRunner;
}

export class NotifyQueue {
  readonly #jobs: NotifyJob[] = [];
  readonly #options: NotifyQueueOptions;
  #running = false;
  #idleWaiters: (() => void)[] = [];

  constructor(options: NotifyQueueOptions) {
    this.#options = options;
  }

  get depth(): number {
    return this.#jobs.length + (this.#running ? 1 : 0);
  }

  enqueue(job: NotifyJob): void {
    this.#jobs.push(job);
    if (!this.#running) void this.#drain();
  }

  /** Resolves when every queued script has finished (used on shutdown, after notify_stop). */
  idle(): Promise<void> {
    if (this.depth === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  async #drain(): Promise<void> {
    this.#running = true;
    const run = this.#options.run ?? runScript;
    for (let job = this.#jobs.shift(); job !== undefined; job = this.#jobs.shift()) {
      const result = await run(job.argv, { ...this.#options.runOptions, ...runAs(job), timeoutMs: this.#options.timeoutMs });
      this.#options.onDone(job, result);
    }
    this.#running = false;
    const waiters = this.#idleWaiters;
    this.#idleWaiters = [];
    for (const w of waiters) w();
  }
}
