// N VRRP routers on one virtual LAN, in virtual time. Each router is the real state machine
// (fsm/step.ts); the simulator plays the shell: it runs the timers the core asks for, carries adverts
// between routers (through the real codec, unless told not to), and applies the network's faults.
// Deterministic: one event queue ordered by (time, insertion), randomness only from a seeded PRNG.
import type { Advertisement, IpAddress, VrrpState } from '../types.js';
import type { InstanceConfig } from '../fsm/config.js';
import type { Effect } from '../fsm/effect.js';
import type { Input } from '../fsm/input.js';
import type { TransitionReason } from '../fsm/reasons.js';
import type { State, TimerName } from '../fsm/state.js';
import { armedTimers, initialState } from '../fsm/state.js';
import { step } from '../fsm/step.js';
import { decode, encode, withChecksum } from '../packet/vrrp.js';
import { EventQueue } from './event-queue.js';
import type { Prng } from './prng.js';
import { mulberry32 } from './prng.js';

export interface SimRouterSpec {
  /** Short name used in the transcript (r1, r2, …). */
  readonly id: string;
  readonly config: InstanceConfig;
}

export interface SimOptions {
  /** Seed for drop/duplicate/jitter decisions. Default 1. */
  readonly seed?: number;
  /** One-way LAN latency in µs. Default 0, so failover times read exactly as the formulas. */
  readonly latencyUs?: number;
  /** Encode and decode every advert with packet/vrrp.ts (default true). */
  readonly wire?: boolean;
  /** Record the transcript (default true; random scenarios switch it off for speed). */
  readonly transcript?: boolean;
}

/** Misbehaviour of the LAN, applied per delivered copy. */
export interface LinkFaults {
  readonly dropRate?: number;
  readonly duplicateRate?: number;
  /** Extra delay on every copy, µs. */
  readonly delayUs?: number;
  /** Additional uniform random delay in [0, jitterUs], µs (may reorder packets). */
  readonly jitterUs?: number;
}

export interface SimTransition {
  readonly at: number;
  readonly router: string;
  readonly from: VrrpState;
  readonly to: VrrpState;
  readonly reason: TransitionReason;
  readonly priority: number;
}

export interface SimAdvertSent {
  readonly at: number;
  readonly router: string;
  readonly priority: number;
}

interface Router {
  readonly id: string;
  config: InstanceConfig;
  state: State;
  alive: boolean;
  /** Bumped on crash and restart: events addressed to an older incarnation are void. */
  incarnation: number;
  readonly scheduled: Set<string>;
  readonly vips: Set<IpAddress>;
}

type SimEvent =
  | { readonly kind: 'timer'; readonly router: string; readonly incarnation: number; readonly timer: TimerName; readonly generation: number }
  | { readonly kind: 'deliver'; readonly to: string; readonly from: string; readonly source: IpAddress; readonly incarnation: number; readonly advert: Advertisement }
  | { readonly kind: 'action'; readonly run: () => void };

const MULTICAST: Record<'ipv4' | 'ipv6', IpAddress> = { ipv4: '224.0.0.18', ipv6: 'ff02::12' };

export class Simulation {
  now = 0;
  readonly transcript: string[] = [];
  readonly transitions: SimTransition[] = [];
  readonly advertsSent: SimAdvertSent[] = [];
  private readonly routers = new Map<string, Router>();
  private readonly queue = new EventQueue<SimEvent>();
  private readonly rng: Prng;
  private readonly latencyUs: number;
  private readonly wire: boolean;
  private readonly record: boolean;
  private faults: Required<LinkFaults> = { dropRate: 0, duplicateRate: 0, delayUs: 0, jitterUs: 0 };
  private group = new Map<string, number>();

  constructor(routers: readonly SimRouterSpec[], options: SimOptions = {}) {
    this.rng = mulberry32(options.seed ?? 1);
    this.latencyUs = options.latencyUs ?? 0;
    this.wire = options.wire ?? true;
    this.record = options.transcript ?? true;
    for (const r of routers) {
      if (this.routers.has(r.id)) throw new Error(`duplicate router id ${r.id}`);
      this.routers.set(r.id, { id: r.id, config: r.config, state: initialState(r.config), alive: false, incarnation: 0, scheduled: new Set(), vips: new Set() });
      const c = r.config;
      this.log('', `${r.id} ${c.name} vrid ${c.vrid} v${c.version} prio ${c.priority} int ${c.advertIntervalCs}cs addr ${c.primaryAddress}${c.nopreempt ? ' nopreempt' : ''}${c.preemptDelayUs > 0 ? ` preempt_delay ${c.preemptDelayUs}us` : ''}`);
    }
  }

  // ------------------------------------------------------------------------------------ scenario verbs

  /** Run `fn` at virtual time `at` (after anything already scheduled for that instant). */
  at(at: number, fn: (sim: Simulation) => void): this {
    this.queue.push(at, { kind: 'action', run: () => fn(this) });
    return this;
  }

  /**
   * Power on: a fresh state machine gets `startup`. Starting a router that is running is a power
   * cycle: a silent crash first (its VIPs go with the machine), then the start.
   */
  start(id: string): void {
    const r = this.router(id);
    if (r.alive) this.crash(id);
    r.alive = true;
    r.incarnation++;
    r.scheduled.clear();
    r.state = initialState(r.config);
    this.log(id, 'START');
    this.apply(r, { type: 'startup' });
  }

  restart(id: string): void {
    this.start(id);
  }

  /** Silent death (kill -9 of the VRRP process, power cut): no priority-0 advert. */
  crash(id: string): void {
    const r = this.router(id);
    if (!r.alive) return;
    r.alive = false;
    r.incarnation++;
    r.vips.clear();
    this.log(id, 'CRASH (silent)');
  }

  /** Graceful stop (SIGTERM): the core resigns, then the process exits. */
  stop(id: string): void {
    const r = this.router(id);
    if (!r.alive) return;
    this.log(id, 'STOP (graceful)');
    this.apply(r, { type: 'shutdown' });
    r.alive = false;
    r.incarnation++;
  }

  setPriority(id: string, priority: number): void {
    this.log(id, `PRIORITY -> ${priority}`);
    this.apply(this.router(id), { type: 'priority-changed', priority });
  }

  fault(id: string): void {
    this.log(id, 'FAULT (interface down)');
    this.apply(this.router(id), { type: 'fault' });
  }

  clearFault(id: string): void {
    this.log(id, 'FAULT CLEARED');
    this.apply(this.router(id), { type: 'fault-cleared' });
  }

  /** Routers in the same group hear each other; a router in no group hears nobody. */
  partition(...groups: readonly (readonly string[])[]): void {
    this.group = new Map();
    groups.forEach((g, i) => g.forEach((id) => this.group.set(id, i)));
    this.log('', `PARTITION ${groups.map((g) => `[${g.join(' ')}]`).join(' ')}`);
  }

  heal(): void {
    this.group = new Map();
    this.log('', 'HEAL');
  }

  setLinkFaults(faults: LinkFaults): void {
    this.faults = { dropRate: 0, duplicateRate: 0, delayUs: 0, jitterUs: 0, ...faults };
    this.log('', `LINK drop ${this.faults.dropRate} dup ${this.faults.duplicateRate} delay ${this.faults.delayUs}us jitter ${this.faults.jitterUs}us`);
  }

  // ------------------------------------------------------------------------------------ running

  /** Process every event up to and including `t`, then set the clock to `t`. */
  runUntil(t: number): this {
    for (;;) {
      const next = this.queue.peekTime();
      if (next === undefined || next > t) break;
      const ev = this.queue.pop();
      if (!ev) break;
      this.now = ev.at;
      this.dispatch(ev.item);
    }
    this.now = Math.max(this.now, t);
    return this;
  }

  runFor(durationUs: number): this {
    return this.runUntil(this.now + durationUs);
  }

  // ------------------------------------------------------------------------------------ inspection

  stateOf(id: string): State {
    return this.router(id).state;
  }

  isAlive(id: string): boolean {
    return this.router(id).alive;
  }

  ids(): string[] {
    return [...this.routers.keys()];
  }

  /** Live routers in MASTER. */
  masters(): string[] {
    return [...this.routers.values()].filter((r) => r.alive && r.state.kind === 'MASTER').map((r) => r.id);
  }

  /** Live routers that hold `vip` right now. */
  holders(vip: IpAddress): string[] {
    return [...this.routers.values()].filter((r) => r.alive && r.vips.has(vip)).map((r) => r.id);
  }

  canHear(a: string, b: string): boolean {
    if (this.group.size === 0) return true;
    const ga = this.group.get(a);
    return ga !== undefined && ga === this.group.get(b);
  }

  // ------------------------------------------------------------------------------------ internals

  private router(id: string): Router {
    const r = this.routers.get(id);
    if (!r) throw new Error(`no router ${id}`);
    return r;
  }

  private dispatch(ev: SimEvent): void {
    switch (ev.kind) {
      case 'action':
        ev.run();
        return;
      case 'timer': {
        const r = this.router(ev.router);
        r.scheduled.delete(`${ev.timer}:${ev.generation}`);
        if (!r.alive || r.incarnation !== ev.incarnation) return;
        this.apply(r, { type: 'timer-fired', timer: ev.timer, generation: ev.generation });
        return;
      }
      case 'deliver': {
        const r = this.router(ev.to);
        if (!r.alive || r.incarnation !== ev.incarnation) return;
        this.apply(r, { type: 'advert-received', advert: ev.advert, source: ev.source });
        return;
      }
    }
  }

  private apply(r: Router, input: Input): void {
    const result = step(r.config, r.state, input, this.now);
    r.state = result.state;
    for (const e of result.effects) this.execute(r, e);
    for (const t of armedTimers(r.state)) {
      const key = `${t.timer}:${t.generation}`;
      if (r.scheduled.has(key)) continue;
      r.scheduled.add(key);
      this.queue.push(t.at, { kind: 'timer', router: r.id, incarnation: r.incarnation, timer: t.timer, generation: t.generation });
    }
  }

  private execute(r: Router, e: Effect): void {
    switch (e.type) {
      case 'send-advert':
        this.send(r, e.priority, e.intervalCs, e.addresses);
        return;
      case 'add-vips':
        e.addresses.forEach((a) => r.vips.add(a));
        this.log(r.id, `+vips ${e.addresses.join(' ')}`);
        return;
      case 'remove-vips':
        e.addresses.forEach((a) => r.vips.delete(a));
        this.log(r.id, `-vips ${e.addresses.join(' ')}`);
        return;
      case 'filter-vips':
        this.log(r.id, `${e.action} traffic to ${e.addresses.join(' ')}`);
        return;
      case 'send-garp':
        this.log(r.id, `garp x${e.count} ${e.addresses.join(' ')} (${e.reason})`);
        return;
      case 'run-notify':
        this.log(r.id, `notify ${e.notify}`);
        return;
      case 'emit-event': {
        const ev = e.event;
        if (ev.kind === 'anomaly') {
          this.log(r.id, `ANOMALY ${ev.class} from ${ev.source}`);
          return;
        }
        this.transitions.push({ at: this.now, router: r.id, from: ev.from, to: ev.to, reason: ev.reason, priority: ev.effectivePriority });
        const master = ev.masterAddress === undefined ? '' : ` master ${ev.masterAddress}`;
        this.log(r.id, `${ev.from} -> ${ev.to} (${ev.reason}) prio ${ev.effectivePriority}${master}`);
        return;
      }
    }
  }

  private send(r: Router, priority: number, intervalCs: number, addresses: readonly IpAddress[]): void {
    this.advertsSent.push({ at: this.now, router: r.id, priority });
    const c = r.config;
    let advert: Advertisement = withChecksum(
      { version: c.version, family: c.family, vrid: c.vrid, priority, intervalCs, addresses },
      { source: c.primaryAddress, destination: MULTICAST[c.family] },
    );
    if (this.wire) {
      const decoded = decode(encode(advert), 0, c.family);
      if (!decoded.ok) throw new Error(`simulator: own advert did not decode: ${decoded.detail}`);
      advert = decoded.value;
    }
    const heard: string[] = [];
    for (const peer of this.routers.values()) {
      if (peer === r || peer.config.vrid !== c.vrid || peer.config.family !== c.family) continue;
      if (!this.canHear(r.id, peer.id)) continue;
      if (!peer.alive) continue;
      if (this.faults.dropRate > 0 && this.rng.chance(this.faults.dropRate)) {
        heard.push(`${peer.id}(dropped)`);
        continue;
      }
      const copies = this.faults.duplicateRate > 0 && this.rng.chance(this.faults.duplicateRate) ? 2 : 1;
      for (let i = 0; i < copies; i++) {
        const jitter = this.faults.jitterUs > 0 ? this.rng.int(0, this.faults.jitterUs) : 0;
        const at = this.now + this.latencyUs + this.faults.delayUs + jitter;
        this.queue.push(at, { kind: 'deliver', to: peer.id, from: r.id, source: c.primaryAddress, incarnation: peer.incarnation, advert });
      }
      heard.push(copies === 2 ? `${peer.id}(x2)` : peer.id);
    }
    this.log(r.id, `advert prio ${priority} int ${intervalCs}cs -> ${heard.length > 0 ? heard.join(' ') : '(nobody)'}`);
  }

  private log(id: string, text: string): void {
    if (!this.record) return;
    this.transcript.push(`${this.now.toFixed(4).padStart(16)}  ${id.padEnd(3)} ${text}`);
  }
}

/** "3.613281250 s" style rendering of µs, for messages. */
export function formatUs(us: number): string {
  return `${(us / 1_000_000).toFixed(9)} s`;
}
