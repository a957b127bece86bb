// A vrrp_script: run every `interval`, at most one run at a time, each with a `timeout`
// (a timed-out run is a failure, as in keepalived); results go through the rise/fall hysteresis
// of libs/protocol, and a change of health is reported to the daemon, which recomputes priorities.
import type { RiseFallConfig, RiseFallState, TrackHealth } from '@hotstandby/protocol';
import { initialRiseFall, recordResult } from '@hotstandby/protocol';
import type { ScriptResult, ScriptRunOptions } from './run-script.js';
import { runScript, succeeded } from './run-script.js';
import type { ScriptRunner } from './notify-queue.js';

export interface TrackScriptOptions extends RiseFallConfig {
  readonly name: string;
  readonly argv: readonly string[];
  readonly intervalMs: number;
  readonly timeoutMs: number;
  readonly runOptions?: Omit<ScriptRunOptions, 'timeoutMs'>;
  readonly onHealth: (name: string, health: TrackHealth, last: ScriptResult) => void;
  readonly onResult?: (name: string, result: ScriptResult) => void;
  readonly run?: ScriptRunner;
}

export class TrackScript {
  readonly #o: TrackScriptOptions;
  #state: RiseFallState;
  #timer: NodeJS.Timeout | undefined;
  #running = false;
  #stopped = false;

  constructor(options: TrackScriptOptions) {
    this.#o = options;
    this.#state = initialRiseFall(options);
  }

  get health(): TrackHealth {
    return this.#state.health;
  }

  start(): void {
    this.#stopped = false;
    this.#tick();
  }

  stop(): void {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #tick(): void {
    if (this.#stopped) return;
    this.#timer = setTimeout(() => this.#tick(), this.#o.intervalMs);
    if (this.#running) return; // keepalived does not start a script while the previous run is alive
    this.#running = true;
    void this.#runOnce();
  }

  async #runOnce(): Promise<void> {
    const run = this.#o.run ?? runScript;
    const result = await run(this.#o.argv, { ...this.#o.runOptions, timeoutMs: this.#o.timeoutMs });
    this.#running = false;
    if (this.#stopped) return;
    this.#o.onResult?.(this.#o.name, result);
    const before = this.#state.health;
    this.#state = recordResult(this.#o, this.#state, succeeded(result));
    if (this.#state.health !== before) this.#o.onHealth(this.#o.name, this.#state.health, result);
  }
}
