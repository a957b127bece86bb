// One VRRP router of either implementation (vrrp-node or the real keepalived) in a lab node, driven the
// same way by the benches: start and wait until it runs, wait for a state, crash, stop, restart.
import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Lab } from '../lab/lab.js';
import { KeepalivedProcess } from '../support/keepalived-process.js';
import { VrrpNodeProcess } from '../support/vrrp-node-process.js';

export type Impl = 'vrrp-node' | 'keepalived';

export function otherImpl(impl: Impl): Impl {
  return impl === 'vrrp-node' ? 'keepalived' : 'vrrp-node';
}

export interface Peer {
  readonly impl: Impl;
  readonly node: string;
  /** Starts (or restarts) the router; resolves once it runs, with the log position of its start. */
  start(): Promise<number>;
  /** A log position: waits look only at what comes after it. */
  mark(): number;
  waitState(instance: string, state: 'MASTER' | 'BACKUP', since: number, timeoutMs?: number): Promise<void>;
  /** kill -9 (keepalived: its VRRP child first, DESIGN.md). */
  crash(): Promise<void>;
  /** SIGTERM: priority-0 advert, VIPs removed. */
  stop(): Promise<void>;
  /** Pids whose CPU and memory are the router's (keepalived: parent and VRRP child). */
  pids(): number[];
  /** Stops whatever still runs and removes temp files. */
  dispose(): Promise<void>;
}

class KeepalivedPeer implements Peer {
  readonly impl = 'keepalived';
  readonly #proc: KeepalivedProcess;
  constructor(
    lab: Lab,
    readonly node: string,
    config: string,
  ) {
    this.#proc = new KeepalivedProcess(lab, node, config);
  }
  async start(): Promise<number> {
    const since = this.#proc.logs.length;
    this.#proc.start();
    await this.#proc.waitFor((l) => l.msg.startsWith('Startup complete'), 10_000, 'Startup complete', since);
    return since;
  }
  mark(): number {
    return this.#proc.logs.length;
  }
  async waitState(instance: string, state: 'MASTER' | 'BACKUP', since: number, timeoutMs = 20_000): Promise<void> {
    await this.#proc.waitState(instance, state, timeoutMs, since);
  }
  crash(): Promise<void> {
    return this.#proc.crash();
  }
  async stop(): Promise<void> {
    await this.#proc.stop();
  }
  pids(): number[] {
    return [this.#proc.pid, this.#proc.vrrpPid()].filter((p): p is number => p !== undefined);
  }
  dispose(): Promise<void> {
    return this.#proc.dispose();
  }
}

class VrrpNodePeer implements Peer {
  readonly impl = 'vrrp-node';
  readonly #procs: VrrpNodeProcess[] = [];
  constructor(
    private readonly lab: Lab,
    readonly node: string,
    private readonly config: string,
  ) {}
  get #proc(): VrrpNodeProcess {
    const p = this.#procs.at(-1);
    if (p === undefined) throw new Error(`vrrp-node on ${this.node} was never started`);
    return p;
  }
  async start(): Promise<number> {
    // A restart is a new process with a fresh run dir, as an operator's restart would be.
    const p = new VrrpNodeProcess(this.lab, this.node, this.config);
    this.#procs.push(p);
    p.start();
    await p.waitFor((l) => l.msg === 'vrrp-node started', 30_000, 'vrrp-node started');
    return 0;
  }
  mark(): number {
    return this.#proc.logs.length;
  }
  async waitState(instance: string, state: 'MASTER' | 'BACKUP', since: number, timeoutMs = 20_000): Promise<void> {
    await this.#proc.waitState(instance, state, timeoutMs, since);
  }
  crash(): Promise<void> {
    return this.#proc.crash();
  }
  async stop(): Promise<void> {
    await this.#proc.stop();
  }
  pids(): number[] {
    const pid = this.#procs.at(-1)?.pid;
    return pid === undefined ? [] : [pid];
  }
  async dispose(): Promise<void> {
    for (const p of this.#procs) {
      await p.stop();
      rmSync(dirname(p.configPath), { recursive: true, force: true });
    }
  }
}

export function createPeer(lab: Lab, impl: Impl, node: string, config: string): Peer {
  return impl === 'keepalived' ? new KeepalivedPeer(lab, node, config) : new VrrpNodePeer(lab, node, config);
}
