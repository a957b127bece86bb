// The shell around one VRRP instance: it feeds inputs to the pure core (libs/protocol step()) and
// carries out the effects it returns, in the contract order (fsm/effect.ts). Every decision is the
// core's; this file only does I/O and bookkeeping (counters, failover latency, timers).
//
// Never waiting: adverts go out synchronously on the raw socket; VIP and GARP work is chained per
// instance (so a GARP never precedes its address) but the core never waits for it; notify scripts are
// queued; events go to the outbox, which never blocks.
import type {
  Effect,
  Input,
  InstanceConfig,
  IpAddress,
  NotifyKind,
  State,
  TransitionEvent,
  ValidationConfig,
  AnomalyClass,
  ArmedTimer,
  StepResult,
  TimerName,
} from '@hotstandby/protocol';
import { initialState, nextTimer, step, validateAdvertisement } from '@hotstandby/protocol';
import { advertBytes } from './advert-bytes.js';
import type { VrrpInstance, VirtualAddress } from '../config/model.js';
import type { Logger } from '../log/logger.js';
import type { InstanceCounters } from './counters.js';
import { countAnomaly, newCounters } from './counters.js';

/** What the runner needs from the outside world; the daemon wires the real things in. */
export interface InstancePorts {
  /** Monotonic µs (the clock the timer uses). */
  now(): number;
  /** Send one VRRP message (already checksummed) to `destination` from `source`. */
  sendVrrp(data: Uint8Array, destination: IpAddress, source: IpAddress): void;
  /**
   * VIP and GARP work returns undefined when it was done synchronously (rtnetlink round trip, frames
   * sent): the runner then does the next piece in the same turn, as keepalived does (vrrp_state_become_
   * master: advert, VIPs, GARPs in one go); a promise when part of it is still to come.
   */
  addVips(vips: readonly VirtualAddress[]): Promise<void> | void;
  removeVips(vips: readonly VirtualAddress[]): Promise<void> | void;
  /** no_accept: drop (or accept again) traffic addressed to these VIPs (keepalived's firewall set). */
  filterVips(action: 'drop' | 'accept', vips: readonly VirtualAddress[]): Promise<void>;
  sendGarp(vips: readonly VirtualAddress[], count: number, intervalUs: number): Promise<void> | void;
  notify(kind: NotifyKind, priority: number): void;
  transition(event: TransitionEvent, failoverLatencyUs: number | undefined, ctx?: TransitionContext): void;
  anomaly(cls: AnomalyClass, source: IpAddress, sample: Uint8Array, detail: string): void;
  /** Arm the instance's one timer for `atUs`; `timer` says which protocol timer it is (the daemon spins for master-down). */
  armTimer(atUs: number, timer: TimerName): void;
  disarmTimer(): void;
  /**
   * Busy-waits until monotonic `atUs` (the event loop is blocked): the rest of a timer that was armed
   * to wake early (the master-down timer, daemon.ts). Without it, a timer firing is taken as its deadline.
   */
  readonly waitUntil?: (atUs: number) => void;
  /**
   * Reads, synchronously, the packets already queued on the instance's socket (dispatched as usual,
   * so an advert reaches packet()). Called after waitUntil: the loop was blocked, and an advert that came
   * meanwhile must be seen before the takeover it would cancel.
   */
  readonly drainReceived?: () => void;
  log: Logger;
}

/** When and from what a transition happened (telemetry: the failover span's attributes). */
export interface TransitionContext {
  /** Monotonic µs of the input that caused it (a timer's deadline, a packet's receipt). */
  readonly atUs: number;
  /** The state before the step. */
  readonly before: State;
  /** Receipt of the last accepted advert (monotonic µs): where a failover starts. */
  readonly lastAdvertAtUs: number | undefined;
}

export interface ReceivedPacket {
  readonly data: Uint8Array;
  readonly source: IpAddress;
  readonly destination: IpAddress;
  readonly hopLimit: number;
  readonly ifindex: number;
  /** Monotonic µs at receipt: the instant the core reasons with. */
  readonly receivedAtUs: number;
}

export interface LastTransition {
  readonly from: string;
  readonly to: string;
  readonly reason: string;
  readonly atWall: string;
  readonly failoverLatencyUs: number | undefined;
}

export class InstanceRunner {
  readonly model: VrrpInstance;
  readonly config: InstanceConfig;
  readonly validation: ValidationConfig;
  readonly counters: InstanceCounters = newCounters();
  #state: State;
  #armed: ArmedTimer | undefined;
  readonly #ports: InstancePorts;
  /** Advert destinations: the unicast peers, or the multicast group. */
  readonly #destinations: readonly IpAddress[];
  readonly #source: IpAddress;
  readonly #vipsByAddress: ReadonlyMap<string, VirtualAddress>;
  /** VIP and GARP work, in order, off the protocol's path. */
  #netChain: Promise<void> = Promise.resolve();
  /** Pieces of #netChain not yet settled: at 0, new work runs at once (#chain). */
  #netPending = 0;
  /** The latest chained work's "issued" (see issued()), until it is. */
  #issuing: Promise<void> | undefined;
  /** no_accept firewall work, in order, each after the address change it follows; nothing waits for it. */
  #filterChain: Promise<void> = Promise.resolve();
  /** Receipt time of the last accepted advert: where a failover's latency starts. */
  #lastAdvertAtUs: number | undefined;
  /** When our last advert went out (monotonic µs): a takeover's measured latency ends there. */
  #advertSentAtUs: number | undefined;
  #lastTransition: LastTransition | undefined;
  #lastFailoverLatencyUs: number | undefined;
  /** The state before the step being executed (telemetry). */
  #before: State;
  /** Set for a vrrp_sync_group member: its inputs go through the group (sync-group-runner.ts). */
  #route: ((input: Input, now: number) => void) | undefined;
  /**
   * The last advert built, per destination: a MASTER sends the same bytes every Advertisement_Interval,
   * so they are built once, not per advert (and the takeover's first advert is built ahead, warmUp()).
   */
  readonly #advertCache = new Map<IpAddress, { priority: number; intervalCs: number; addresses: readonly IpAddress[]; bytes: Uint8Array }>();

  constructor(model: VrrpInstance, config: InstanceConfig, validation: ValidationConfig, group: IpAddress, ports: InstancePorts) {
    this.model = model;
    this.config = config;
    this.validation = validation;
    this.#ports = ports;
    this.#state = initialState(config);
    this.#before = this.#state;
    this.#destinations = model.unicastPeers.length > 0 ? model.unicastPeers : [group];
    this.#source = config.primaryAddress;
    this.#vipsByAddress = new Map(model.virtualIpAddresses.map((v) => [v.address, v]));
  }

  /**
   * Runs the takeover once on a throw-away state, with no effects carried out: libs/protocol is pure, so
   * this only compiles the code of a path that otherwise runs for the first time (V8 compiles functions
   * lazily, on first call) in the middle of a failover — measured at ~1.5 ms between the master-down
   * timer and the first advert of a fresh process. It also builds and keeps the takeover's advert.
   */
  warmUp(now: number): void {
    try {
      const up = step(this.config, initialState(this.config), { type: 'startup' }, now);
      const timer = nextTimer(up.state);
      const takeover = up.state.kind === 'BACKUP' && timer ? step(this.config, up.state, { type: 'timer-fired', timer: timer.timer, generation: timer.generation }, timer.at) : up;
      for (const e of takeover.effects) if (e.type === 'send-advert') for (const d of this.#destinations) this.#advertFor(d, e.priority, e.intervalCs, e.addresses);
    } catch (err) {
      // Only an optimisation: a configuration the core rejects is reported when it really runs.
      this.#ports.log.debug(`(${this.config.name}) warm-up skipped`, { error: err instanceof Error ? err.message : String(err) });
    }
  }

  /** Monotonic µs of the instance's armed protocol timer (undefined: none). */
  get nextDeadlineAt(): number | undefined {
    return this.#armed?.at;
  }

  get state(): State {
    return this.#state;
  }

  get lastTransition(): LastTransition | undefined {
    return this.#lastTransition;
  }

  get lastFailoverLatencyUs(): number | undefined {
    return this.#lastFailoverLatencyUs;
  }

  /** Resolves when queued VIP/GARP work has been done (shutdown waits for the VIPs to go). */
  settled(): Promise<void> {
    return this.#netChain;
  }

  /** Resolves when queued no_accept firewall work has been done (stop waits before removing the table). */
  filtersSettled(): Promise<void> {
    return this.#filterChain;
  }

  input(input: Input, now = this.#ports.now()): void {
    if (this.#route) this.#route(input, now);
    else this.apply(step(this.config, this.#state, input, now), now);
  }

  /** A sync group member: every input goes to `route`, which steps the group and calls apply(). */
  routeThrough(route: ((input: Input, now: number) => void) | undefined): void {
    this.#route = route;
  }

  /** Take a step's new state and carry out its effects (the group runner steps members itself). */
  apply(result: StepResult, now: number): void {
    this.#before = this.#state;
    this.#state = result.state;
    for (const effect of result.effects) this.#execute(effect, now);
    this.#rearm();
  }

  /**
   * The instance's timer fired: feed the armed timer in, at its own deadline (no drift). The daemon wakes
   * the master-down timer early (daemon.ts TAKEOVER_LEAD_US): the takeover's step is then computed ahead
   * (libs/protocol is pure, and nothing else can run while this waits) and its effects start at the
   * deadline to the µs, so neither the wake-up latency nor the step's own time delays the first advert.
   */
  timerFired(): void {
    const armed = this.#armed;
    if (armed === undefined) return;
    this.#armed = undefined;
    const input: Input = { type: 'timer-fired', timer: armed.timer, generation: armed.generation };
    const wait = this.#ports.waitUntil;
    if (wait === undefined || this.#route !== undefined || this.#ports.now() >= armed.at) {
      // A sync group member steps through its group, so nothing is computed ahead; but the daemon woke it
      // early all the same, and an advert that reached the socket while it waited is read first (below).
      if (wait !== undefined) {
        wait(armed.at);
        this.#ports.drainReceived?.();
      }
      this.input(input, armed.at);
      return;
    }
    const before = this.#state;
    const result = step(this.config, this.#state, input, armed.at);
    wait(armed.at);
    // RFC 9568 §6.4.2: an ADVERTISEMENT received before the Active_Down_Timer fires resets it. One that
    // reached the socket while we waited (the loop was blocked) is read now, before acting; if anything
    // changed the state (an advert re-armed the timer: the timer-fired input is then stale, and the core
    // ignores it by its generation), the step is taken again from the state as it is now.
    this.#ports.drainReceived?.();
    if (this.#state !== before || this.#armed !== undefined) this.input(input, armed.at);
    else this.apply(result, armed.at);
  }

  /**
   * Resolves once the VIP/GARP work chained so far has been issued — addresses requested, the first
   * GARP/NA round sent; undefined when none is pending. The daemon journals and logs a transition after
   * that, so that a takeover's first GARP does not wait for the event and the log line.
   */
  issued(): Promise<void> | undefined {
    return this.#issuing;
  }

  packet(p: ReceivedPacket): void {
    const r = validateAdvertisement(
      p.data,
      { family: this.config.family, source: p.source, destination: p.destination, ttl: p.hopLimit, ifindex: p.ifindex },
      this.validation,
      { isMaster: this.#state.kind === 'MASTER', masterAddress: this.#state.masterAddress },
    );
    if (!r.ok) {
      countAnomaly(this.counters, r.anomaly.class);
      this.#ports.anomaly(r.anomaly.class, p.source, p.data, r.anomaly.detail);
      return;
    }
    for (const note of r.notes) {
      countAnomaly(this.counters, note);
      this.#ports.anomaly(note, p.source, p.data, note);
    }
    this.counters.advert_rcvd++;
    if (r.advert.priority === 0) this.counters.pri_zero_rcvd++;
    this.#lastAdvertAtUs = p.receivedAtUs;
    this.input({ type: 'advert-received', advert: r.advert, source: p.source }, p.receivedAtUs);
  }

  #rearm(): void {
    const t = nextTimer(this.#state);
    this.#armed = t;
    if (t === undefined) this.#ports.disarmTimer();
    else this.#ports.armTimer(t.at, t.timer);
  }

  #execute(effect: Effect, now: number): void {
    switch (effect.type) {
      case 'send-advert':
        this.#sendAdvert(effect.priority, effect.intervalCs, effect.addresses);
        this.#advertSentAtUs = this.#ports.now();
        return;
      case 'add-vips': {
        const vips = this.#vips(effect.addresses, true);
        this.#chain(() => this.#ports.addVips(vips), 'adding VIPs');
        return;
      }
      case 'remove-vips': {
        const vips = this.#vips(effect.addresses, true);
        this.#chain(() => this.#ports.removeVips(vips), 'removing VIPs');
        return;
      }
      case 'filter-vips': {
        // After the addresses are in (or out), but off the VIP/GARP chain: the GARPs that follow never
        // wait for nft, so no_accept cannot delay a failover. keepalived filters the eVIPs too.
        const vips = this.#vips(effect.addresses, true);
        const action = effect.action;
        const addressesDone = this.#netChain;
        this.#filterChain = Promise.all([this.#filterChain, addressesDone])
          .then(() => this.#ports.filterVips(action, vips))
          .catch((err: unknown) => {
            this.#ports.log.error(`(${this.config.name}) no_accept: ${action === 'drop' ? 'dropping' : 'accepting again'} traffic to the VIPs failed`, { error: err instanceof Error ? err.message : String(err) });
          });
        return;
      }
      case 'send-garp': {
        const vips = this.#vips(effect.addresses, false);
        this.#chain(() => this.#ports.sendGarp(vips, effect.count, effect.intervalUs), 'sending gratuitous ARP/NA');
        return;
      }
      case 'run-notify':
        this.#ports.notify(effect.notify, effect.priority);
        return;
      case 'emit-event': {
        const ev = effect.event;
        if (ev.kind === 'anomaly') {
          countAnomaly(this.counters, ev.class);
          this.#ports.anomaly(ev.class, ev.source, new Uint8Array(0), ev.detail);
          return;
        }
        this.#recordTransition(ev, now);
        return;
      }
    }
  }

  #recordTransition(ev: TransitionEvent, now: number): void {
    let latency: number | undefined;
    if (ev.to === 'MASTER' && ev.from === 'BACKUP') {
      this.counters.become_master++;
      // Failover latency, measured: from the last advert heard (the old master's last, or its priority
      // 0) to our takeover advert's send, on the real clock (the VIPs and GARPs that follow it in the
      // same step are not part of it). `now` is the timer's deadline, i.e. the planned latency.
      if (this.#lastAdvertAtUs !== undefined && (ev.reason === 'master-no-response' || ev.reason === 'priority-zero-received')) {
        latency = (this.#advertSentAtUs ?? this.#ports.now()) - this.#lastAdvertAtUs;
        this.#lastFailoverLatencyUs = latency;
      }
    }
    if (ev.from === 'MASTER' && ev.to !== 'MASTER') this.counters.release_master++;
    this.#lastTransition = { from: ev.from, to: ev.to, reason: ev.reason, atWall: new Date().toISOString(), failoverLatencyUs: latency };
    this.#ports.transition(ev, latency, { atUs: now, before: this.#before, lastAdvertAtUs: this.#lastAdvertAtUs });
  }

  #sendAdvert(priority: number, intervalCs: number, addresses: readonly IpAddress[]): void {
    const c = this.config;
    for (const destination of this.#destinations) {
      const bytes = this.#advertFor(destination, priority, intervalCs, addresses);
      try {
        this.#ports.sendVrrp(bytes, destination, this.#source);
        this.counters.advert_sent++;
        if (priority === 0) this.counters.pri_zero_sent++;
      } catch (err) {
        // A send error (interface down, ENOBUFS) is logged and counted; the protocol goes on, and the
        // interface tracker turns a dead link into FAULT.
        this.#ports.log.warn(`(${c.name}) advert send failed`, { error: err instanceof Error ? err.message : String(err), destination });
      }
    }
  }

  #advertFor(destination: IpAddress, priority: number, intervalCs: number, addresses: readonly IpAddress[]): Uint8Array {
    const hit = this.#advertCache.get(destination);
    if (hit && hit.priority === priority && hit.intervalCs === intervalCs && sameAddresses(hit.addresses, addresses)) return hit.bytes;
    const c = this.config;
    const bytes = advertBytes(
      {
        version: c.version,
        family: c.family,
        vrid: c.vrid,
        priority,
        intervalCs,
        addresses,
        ...(this.validation.authType === 1 ? { authPass: this.validation.authPass ?? '' } : {}),
      },
      { source: this.#source, destination, v3Ipv4Form: this.validation.v3Ipv4Checksum ?? 'pseudo-header' },
    );
    this.#advertCache.set(destination, { priority, intervalCs, addresses, bytes });
    return bytes;
  }

  #vips(addresses: readonly IpAddress[], withExcluded: boolean): VirtualAddress[] {
    const out: VirtualAddress[] = [];
    for (const a of addresses) {
      const v = this.#vipsByAddress.get(a);
      if (v) out.push(v);
    }
    // virtual_ipaddress_excluded: installed with the VIPs, never advertised (keepalived).
    if (withExcluded) out.push(...this.model.excludedVirtualIpAddresses);
    return out;
  }

  #chain(work: () => Promise<void> | void, what: string): void {
    const failed = (err: unknown): void => {
      this.#ports.log.error(`(${this.config.name}) ${what} failed`, { error: err instanceof Error ? err.message : String(err) });
    };
    const settledOne = (): void => {
      this.#netPending--;
    };
    if (this.#netPending === 0) {
      // Nothing queued ahead: do it now, in this turn. A takeover's VIPs are then added and its first
      // GARP round sent right after its advert, with no event-loop turn or microtask between them
      // (keepalived vrrp_state_become_master does the three in one go); measured, the chained form put
      // 0.5-1.5 ms between the advert and the first GARP (bench/failover.bench.ts, advert→GARP).
      this.#issuing = undefined;
      let pending: Promise<void> | void;
      try {
        pending = work();
      } catch (err) {
        failed(err);
        return;
      }
      if (pending === undefined) return;
      this.#netPending++;
      this.#netChain = pending.catch(failed).finally(settledOne);
      return;
    }
    // Behind unfinished work (later GARP rounds, an async port): in order, after it.
    let markIssued!: () => void;
    const issued = new Promise<void>((resolve) => (markIssued = resolve));
    this.#issuing = issued;
    void issued.then(() => {
      if (this.#issuing === issued) this.#issuing = undefined;
    });
    const run = (): Promise<void> | void => {
      try {
        return work();
      } finally {
        markIssued(); // the synchronous part of `work` (the requests, the first GARP round) is done
      }
    };
    this.#netPending++;
    this.#netChain = this.#netChain.then(run).catch(failed).finally(settledOne);
  }
}

function sameAddresses(a: readonly IpAddress[], b: readonly IpAddress[]): boolean {
  return a === b || (a.length === b.length && a.every((x, i) => x === b[i]));
}
