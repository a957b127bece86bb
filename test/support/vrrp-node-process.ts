// Test support: a real vrrp-node process inside a lab namespace, run from source, logging JSON lines
// that a test can wait on. Killed by pid (the lab also kills it on destroy).
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Lab } from '../lab/lab.js';
import { vrrpNodeArgv } from './vrrp-node-command.js';
import type { NodeStatus } from '@hotstandby/vrrp-node';
import { tutorialConfig as tutorialNodeConfig } from '@hotstandby/tutorial';


export interface LogLine {
  time: string;
  level: string;
  msg: string;
  [k: string]: unknown;
}

export interface VrrpNodeOptions {
  /** Extra CLI arguments (e.g. ['--nats', url]). */
  args?: string[];
  env?: NodeJS.ProcessEnv;
  /** Print the node's log lines to stderr as they come (debugging). */
  echo?: boolean;
}

export class VrrpNodeProcess {
  readonly node: string;
  readonly configPath: string;
  readonly runDir: string;
  readonly logs: LogLine[] = [];
  readonly #lab: Lab;
  #child: ChildProcess | undefined;
  #waiters: { pred: (l: LogLine) => boolean; resolve: (l: LogLine) => void; reject: (e: Error) => void }[] = [];
  #exited: number | null | undefined;
  #exit: Promise<number | null> | undefined;
  readonly #options: VrrpNodeOptions;

  constructor(lab: Lab, node: string, config: string, options: VrrpNodeOptions = {}) {
    this.#lab = lab;
    this.node = node;
    const dir = mkdtempSync(join(tmpdir(), `hs-node-${node}-`));
    this.configPath = join(dir, 'keepalived.conf');
    this.runDir = join(dir, 'run');
    writeFileSync(this.configPath, config);
    this.#options = options;
  }

  get pid(): number | undefined {
    return this.#child?.pid;
  }

  start(): this {
    const argv = [...vrrpNodeArgv(), '-f', this.configPath, '--run-dir', this.runDir, '--log-format', 'json', ...(this.#options.args ?? [])];
    const child = this.#lab.spawn(this.node, argv, { stdio: ['ignore', 'pipe', 'pipe'], ...(this.#options.env ? { env: this.#options.env } : {}) });
    this.#child = child;
    this.#exited = undefined;
    this.#exit = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
    // A node that dies (e.g. cannot load its native addon) fails every pending wait at once, with its
    // last lines, instead of letting each run into its timeout.
    void this.#exit.then((code) => {
      this.#exited = code;
      const waiters = this.#waiters;
      this.#waiters = [];
      for (const w of waiters) w.reject(new Error(`${this.node}: vrrp-node exited (code ${code}); last lines:\n${this.#tail()}`));
    });
    let buf = '';
    const onData = (d: Buffer): void => {
      buf += d.toString();
      for (let nl = buf.indexOf('\n'); nl >= 0; nl = buf.indexOf('\n')) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        if (this.#options.echo) process.stderr.write(`[${this.node}] ${line}\n`);
        let parsed: LogLine;
        try {
          parsed = JSON.parse(line) as LogLine;
        } catch {
          parsed = { time: new Date().toISOString(), level: 'raw', msg: line };
        }
        this.logs.push(parsed);
        this.#waiters = this.#waiters.filter((w) => {
          if (!w.pred(parsed)) return true;
          w.resolve(parsed);
          return false;
        });
      }
    };
    child.stderr!.on('data', onData);
    child.stdout!.on('data', onData);
    return this;
  }

  /** Resolves with the first log line (already seen or future) matching `pred`; rejects after `timeoutMs`. */
  waitFor(pred: (l: LogLine) => boolean, timeoutMs = 15_000, what = 'log line', since = 0): Promise<LogLine> {
    const seen = this.logs.slice(since).find(pred);
    if (seen) return Promise.resolve(seen);
    if (this.#child !== undefined && this.#exited !== undefined) return Promise.reject(new Error(`${this.node}: no ${what}: vrrp-node exited (code ${this.#exited}); last lines:\n${this.#tail()}`));
    return new Promise((resolve, reject) => {
      const w = {
        pred,
        resolve: (l: LogLine) => (clearTimeout(timer), resolve(l)),
        reject: (e: Error) => (clearTimeout(timer), reject(e)),
      };
      const timer = setTimeout(() => {
        this.#waiters = this.#waiters.filter((x) => x !== w);
        reject(new Error(`${this.node}: no ${what} within ${timeoutMs} ms; last lines:\n${this.#tail()}`));
      }, timeoutMs);
      this.#waiters.push(w);
    });
  }

  #tail(): string {
    return this.logs
      .slice(-15)
      .map((l) => JSON.stringify(l))
      .join('\n');
  }

  /** Waits for "(INSTANCE) Entering STATE STATE" after log index `since`. */
  waitState(instance: string, state: string, timeoutMs = 15_000, since = 0): Promise<LogLine> {
    return this.waitFor((l) => l.msg === `(${instance}) Entering ${state} STATE`, timeoutMs, `${instance} ${state}`, since);
  }

  /** Rewrites the node's keepalived.conf and sends SIGHUP (reload). */
  reload(config?: string): void {
    if (config !== undefined) writeFileSync(this.configPath, config);
    if (this.#child?.pid !== undefined) process.kill(this.#child.pid, 'SIGHUP');
  }

  /** kill -9: a crash (VIPs stay, as with keepalived). */
  async crash(): Promise<void> {
    if (this.#child?.pid !== undefined) process.kill(this.#child.pid, 'SIGKILL');
    await this.#exit;
  }

  /** SIGTERM: graceful stop; resolves with the exit code. A node still alive after 20 s is killed, so a test never hangs on it. */
  async stop(): Promise<number | null> {
    const child = this.#child;
    if (child?.pid !== undefined && child.exitCode === null && child.signalCode === null) {
      process.kill(child.pid, 'SIGTERM');
      const guard = setTimeout(() => {
        if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) process.kill(child.pid, 'SIGKILL');
      }, 20_000);
      try {
        return await (this.#exit ?? Promise.resolve(null));
      } finally {
        clearTimeout(guard);
      }
    }
    return this.#exit ?? null;
  }

  /** `vrrp-node status` (the human view) run in the node's namespace, as a user would. */
  async statusText(): Promise<string> {
    const r = await this.#lab.exec(this.node, [...vrrpNodeArgv(), 'status', '--run-dir', this.runDir]);
    return r.stdout;
  }

  /** `vrrp-node status --json` run in the node's namespace, as a user would. */
  async status(): Promise<StatusJson> {
    const r = await this.#lab.exec(this.node, [...vrrpNodeArgv(), 'status', '--json', '--run-dir', this.runDir]);
    return JSON.parse(r.stdout) as StatusJson;
  }
}

/** What `vrrp-node status --json` prints (the daemon's own type). */
export type StatusJson = NodeStatus;

/** The tutorial's keepalived.conf (DESIGN.md), verbatim: the tutorial package's, by role. */
export function tutorialConfig(node: 'master' | 'backup', options: { mutual?: boolean } = {}): string {
  return tutorialNodeConfig(node === 'master' ? 'node1' : 'node2', options);
}

/** The state changes a node's log shows ("(VI_1) Entering X STATE", as keepalived prints), in order. */
export function loggedTransitions(logs: readonly LogLine[], from = 0, to = logs.length): { from: string; to: string; reason: string }[] {
  return logs
    .slice(from, to)
    .filter((l) => /^\(VI_1\) Entering \w+ STATE$/.test(l.msg) && l.from !== undefined && !l.msg.includes(`Entering ${l.from as string} `))
    .map((l) => ({ from: String(l.from), to: /Entering (\w+) STATE/.exec(l.msg)![1]!, reason: String(l.reason) }));
}

/** Waits until the node's outbox is empty and its bus connected (every event it made is in the stream). */
export async function waitDrained(node: VrrpNodeProcess, timeoutMs = 30_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < until) {
    const st = await node.status();
    last = JSON.stringify(st.events);
    if (st.events.outboxDepth === 0 && st.events.bus === 'connected') return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${node.node}: outbox not drained in ${timeoutMs} ms: ${last}`);
}
