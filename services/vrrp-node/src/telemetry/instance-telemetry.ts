// Traces one VRRP instance's state changes, wrapped around the ports the InstanceRunner executes its
// effects through (the runner and the protocol core stay unaware of OpenTelemetry).
//
// - `vrrp.failover`, one per takeover (BACKUP → MASTER): it STARTS when the old master's last advert was
//   received (its priority-0 advert after a graceful stop) — the instant a client's traffic starts to
//   go nowhere — so it is created late, with an explicit start time, when the takeover happens. Its
//   events are the takeover's steps in keepalived's order: the master-down (or skew) timer, the first
//   advert, VIPs added, the first gratuitous ARP / unsolicited NA, notify done. It ENDS at the later of
//   the first GARP/NA and the notify scripts finishing, so without slow scripts its duration is what a
//   capture of the LAN shows: last advert of the old master → first GARP of the new one.
// - `vrrp.release`, giving up mastership (a better master, shutdown, fault): VIPs removed, notify done.
// - `vrrp.transition`, any other state change (startup, fault cleared): an instant, so that every
//   transition event carries a traceparent the auditor can continue and link to.
//
// The hot path stays cheap: no span per advert; a sent advert costs one clock read (the takeover's first
// advert is found that way); received adverts cost nothing here.
import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { Attributes, Span, Tracer } from '@opentelemetry/api';
import type { TransitionEvent } from '@hotstandby/protocol';
import { masterDownIntervalUs, skewTimeUs } from '@hotstandby/protocol';
import {
  ATTR_VRRP_ADVERT_INTERVAL_MS,
  ATTR_VRRP_DOMAIN,
  ATTR_VRRP_EFFECTIVE_PRIORITY,
  ATTR_VRRP_FAMILY,
  ATTR_VRRP_FROM_STATE,
  ATTR_VRRP_GARP_LATENCY_MS,
  ATTR_VRRP_INSTANCE,
  ATTR_VRRP_INTERFACE,
  ATTR_VRRP_MEASURED_LATENCY_MS,
  ATTR_VRRP_NEW_MASTER,
  ATTR_VRRP_NODE,
  ATTR_VRRP_OLD_MASTER,
  ATTR_VRRP_OLD_MASTER_PRIORITY,
  ATTR_VRRP_PRIORITY,
  ATTR_VRRP_REASON,
  ATTR_VRRP_RFC_EXPECTED_LATENCY_MS,
  ATTR_VRRP_TO_STATE,
  ATTR_VRRP_VERSION,
  ATTR_VRRP_VIPS,
  ATTR_VRRP_VRID,
  EVENT_FIRST_ADVERT_SENT,
  EVENT_FIRST_GARP_SENT,
  EVENT_MASTER_DOWN_TIMER,
  EVENT_NOTIFY_DONE,
  EVENT_PRIORITY_ZERO,
  EVENT_SKEW_TIMER,
  EVENT_VIPS_ADDED,
  EVENT_VIPS_REMOVED,
  SPAN_VRRP_FAILOVER,
  SPAN_VRRP_RELEASE,
  SPAN_VRRP_TRANSITION,
  formatTraceparent,
  hrTimeFromWallUs,
  wallNowUs,
} from '@hotstandby/telemetry';
import type { InstancePorts, TransitionContext } from '../daemon/instance-runner.js';

export const TRACER_NAME = '@hotstandby/vrrp-node';

/** One finished takeover, for the metrics and `vrrp-node status`. */
export interface FailoverRecord {
  readonly instance: string;
  readonly vrid: number;
  readonly interface: string;
  readonly reason: string;
  /** Last advert heard → the takeover decision (what the runner reports as failover latency). */
  readonly measuredUs: number;
  /** RFC 9568 §6.1 / RFC 3768 §6.1: Master_Down_Interval, or Skew_Time after a priority-0 advert. */
  readonly rfcExpectedUs: number;
  /** Last advert heard → the first GARP/NA (undefined: no VIPs to announce). */
  readonly toGarpUs: number | undefined;
  /** The span's duration: last advert → first GARP/NA and notify done. */
  readonly durationUs: number;
}

export interface InstanceTelemetryOptions {
  readonly nodeId: string;
  readonly instance: string;
  readonly vrid: number;
  readonly version: 2 | 3;
  readonly family: string;
  readonly interface: string;
  readonly domain: string;
  readonly vips: readonly string[];
  /** Monotonic µs: the clock of packet receipt and timer deadlines. */
  now(): number;
  /** Resolves when the VIP/GARP work queued so far is done (InstanceRunner.settled). */
  settled(): Promise<void>;
  /** Resolves when the notify scripts queued so far have finished (NotifyQueue.idle). */
  notifyIdle(): Promise<void>;
  /** Told about every completed takeover (metrics). Must not throw. */
  onFailover?(record: FailoverRecord): void;
  readonly tracer?: Tracer;
  /** Wall clock, µs since the epoch (tests inject one). */
  wallNowUs?(): number;
}

interface Pending {
  readonly span: Span;
  readonly kind: 'failover' | 'release';
  /** Monotonic µs the span started at (failover: the last advert heard). */
  readonly startMonoUs: number;
  /** Wall µs minus monotonic µs, read once at the transition. */
  readonly offsetUs: number;
  readonly record: Omit<FailoverRecord, 'toGarpUs' | 'durationUs'> | undefined;
  firstGarpMonoUs: number | undefined;
}

export class InstanceTelemetry {
  readonly #o: InstanceTelemetryOptions;
  readonly #tracer: Tracer;
  #lastSendAtUs: number | undefined;
  #pending: Pending | undefined;
  #traceparent: string | undefined;
  #lastFailover: FailoverRecord | undefined;
  #lastRfcExpectedUs: number | undefined;
  /** Steps done before their span opened (#event), by name. */
  readonly #early = new Map<string, { kind: Pending['kind']; name: string; atUs: number; attributes: Attributes; firstGarp: boolean }>();

  constructor(o: InstanceTelemetryOptions) {
    this.#o = o;
    this.#tracer = o.tracer ?? trace.getTracer(TRACER_NAME);
  }

  /** The traceparent of the latest transition's span: the transition event carries it. */
  get traceparent(): string | undefined {
    return this.#traceparent;
  }

  get lastFailover(): FailoverRecord | undefined {
    return this.#lastFailover;
  }

  /** RFC-expected latency of the latest takeover, known as soon as it happens (status). */
  get lastRfcExpectedUs(): number | undefined {
    return this.#lastRfcExpectedUs;
  }

  /** The runner's ports with tracing around them. */
  wrap(ports: InstancePorts): InstancePorts {
    return {
      ...ports,
      sendVrrp: (data, destination, source) => {
        ports.sendVrrp(data, destination, source);
        this.#lastSendAtUs = this.#o.now();
      },
      // A synchronous port stays synchronous (instance-runner.ts #chain then sends the GARP in the same turn).
      addVips: (vips) => afterDone(ports.addVips(vips), () => this.#event('failover', EVENT_VIPS_ADDED, { [ATTR_VRRP_VIPS]: vips.map((v) => v.address).join(',') })),
      removeVips: (vips) => afterDone(ports.removeVips(vips), () => this.#event('release', EVENT_VIPS_REMOVED, { [ATTR_VRRP_VIPS]: vips.map((v) => v.address).join(',') })),
      sendGarp: (vips, count, intervalUs) => {
        // The first round goes out synchronously inside sendGarp (GarpSender): its instant is now.
        const done = ports.sendGarp(vips, count, intervalUs);
        this.#event('failover', EVENT_FIRST_GARP_SENT, { 'vrrp.garp.count': count }, true);
        return done;
      },
      transition: (ev, latency, ctx) => {
        this.#transition(ev, latency, ctx);
        ports.transition(ev, latency, ctx);
      },
    };
  }

  #time(p: Pending, monoUs: number): [number, number] {
    return hrTimeFromWallUs(monoUs + p.offsetUs);
  }

  /**
   * A step of the current failover or release. A takeover's VIPs and first GARP are done in the same
   * step as its advert, before the transition event that opens the span (instance-runner.ts #chain), so a
   * step that finds no span of its kind is kept (the latest per name) and added when the span opens.
   */
  #event(kind: Pending['kind'], name: string, attributes: Attributes, firstGarp = false): void {
    const atUs = this.#o.now();
    const p = this.#pending;
    if (p && p.kind === kind) this.#addStep(p, { name, atUs, attributes, firstGarp });
    else this.#early.set(name, { kind, name, atUs, attributes, firstGarp });
  }

  #addStep(p: Pending, e: { name: string; atUs: number; attributes: Attributes; firstGarp: boolean }): void {
    if (e.firstGarp) {
      if (p.firstGarpMonoUs !== undefined) return;
      p.firstGarpMonoUs = e.atUs;
    }
    p.span.addEvent(e.name, e.attributes, this.#time(p, e.atUs));
  }

  /** The steps kept for `p` (its kind, since its transition's input at `atUs`); the rest is dropped. */
  #adoptEarly(p: Pending, atUs: number): void {
    const early = [...this.#early.values()].sort((a, b) => a.atUs - b.atUs);
    this.#early.clear();
    for (const e of early) if (e.kind === p.kind && e.atUs >= atUs) this.#addStep(p, e);
  }

  #base(ev: TransitionEvent): Attributes {
    const o = this.#o;
    return {
      [ATTR_VRRP_NODE]: o.nodeId,
      [ATTR_VRRP_INSTANCE]: o.instance,
      [ATTR_VRRP_VRID]: o.vrid,
      [ATTR_VRRP_VERSION]: o.version,
      [ATTR_VRRP_FAMILY]: o.family,
      [ATTR_VRRP_INTERFACE]: o.interface,
      [ATTR_VRRP_DOMAIN]: o.domain,
      [ATTR_VRRP_REASON]: ev.reason,
      [ATTR_VRRP_FROM_STATE]: ev.from,
      [ATTR_VRRP_TO_STATE]: ev.to,
      [ATTR_VRRP_PRIORITY]: ev.priority,
      [ATTR_VRRP_EFFECTIVE_PRIORITY]: ev.effectivePriority,
      [ATTR_VRRP_ADVERT_INTERVAL_MS]: ev.intervalCs * 10,
    };
  }

  #transition(ev: TransitionEvent, latencyUs: number | undefined, ctx: TransitionContext | undefined): void {
    if (ev.from === ev.to) return; // MASTER_RX_LOWER_PRI: a log line, no state change, no event
    const monoNow = this.#o.now();
    const offsetUs = (this.#o.wallNowUs ?? wallNowUs)() - monoNow;
    const atUs = ctx?.atUs ?? monoNow;
    this.#finishPending(); // a new transition closes whatever the previous one left open
    if (ev.to === 'MASTER' && ev.from === 'BACKUP') this.#startFailover(ev, latencyUs, ctx, atUs, offsetUs);
    else if (ev.from === 'MASTER') this.#startRelease(ev, ctx, atUs, offsetUs);
    else {
      const t = hrTimeFromWallUs(atUs + offsetUs);
      const span = this.#tracer.startSpan(SPAN_VRRP_TRANSITION, { kind: SpanKind.INTERNAL, startTime: t, attributes: this.#base(ev) });
      this.#traceparent = formatTraceparent(span);
      span.end(t);
    }
  }

  #startFailover(ev: TransitionEvent, latencyUs: number | undefined, ctx: TransitionContext | undefined, atUs: number, offsetUs: number): void {
    const before = ctx?.before;
    const zero = ev.reason === 'priority-zero-received';
    const startMonoUs = latencyUs !== undefined ? (ctx?.lastAdvertAtUs ?? atUs - latencyUs) : atUs;
    const version = this.#o.version;
    const priority = before?.effectivePriority ?? ev.effectivePriority;
    const intervalCs = before?.masterAdverIntervalCs ?? ev.intervalCs;
    // What the RFC says this takeover should take (RFC 9568 §6.4.2 / RFC 3768 §6.4.2): the master-down
    // timer runs Master_Down_Interval after the last advert, or Skew_Time after a priority 0.
    const rfcExpectedUs = zero ? skewTimeUs(version, priority, intervalCs) : masterDownIntervalUs(version, priority, intervalCs);
    const attributes: Attributes = {
      ...this.#base(ev),
      [ATTR_VRRP_NEW_MASTER]: ev.masterAddress ?? '',
      [ATTR_VRRP_RFC_EXPECTED_LATENCY_MS]: rfcExpectedUs / 1000,
      ...(before?.masterAddress !== undefined ? { [ATTR_VRRP_OLD_MASTER]: before.masterAddress } : {}),
      ...(before?.masterPriority !== undefined ? { [ATTR_VRRP_OLD_MASTER_PRIORITY]: before.masterPriority } : {}),
      ...(latencyUs !== undefined ? { [ATTR_VRRP_MEASURED_LATENCY_MS]: latencyUs / 1000 } : {}),
    };
    const p: Pending = {
      span: this.#tracer.startSpan(SPAN_VRRP_FAILOVER, { kind: SpanKind.INTERNAL, startTime: hrTimeFromWallUs(startMonoUs + offsetUs), attributes }),
      kind: 'failover',
      startMonoUs,
      offsetUs,
      record:
        latencyUs !== undefined
          ? { instance: this.#o.instance, vrid: this.#o.vrid, interface: this.#o.interface, reason: ev.reason, measuredUs: latencyUs, rfcExpectedUs }
          : undefined,
      firstGarpMonoUs: undefined,
    };
    this.#lastRfcExpectedUs = latencyUs !== undefined ? rfcExpectedUs : undefined;
    if (zero) p.span.addEvent(EVENT_PRIORITY_ZERO, this.#time(p, startMonoUs));
    p.span.addEvent(zero ? EVENT_SKEW_TIMER : EVENT_MASTER_DOWN_TIMER, this.#time(p, atUs));
    // The advert went out just before this (effects run in contract order: send-advert first).
    if (this.#lastSendAtUs !== undefined && this.#lastSendAtUs >= atUs) p.span.addEvent(EVENT_FIRST_ADVERT_SENT, this.#time(p, this.#lastSendAtUs));
    this.#adoptEarly(p, atUs);
    this.#pending = p;
    this.#traceparent = formatTraceparent(p.span);
    this.#whenDone(p);
  }

  #startRelease(ev: TransitionEvent, ctx: TransitionContext | undefined, atUs: number, offsetUs: number): void {
    const attributes: Attributes = {
      ...this.#base(ev),
      ...(ctx?.before.masterAddress !== undefined ? { [ATTR_VRRP_OLD_MASTER]: ctx.before.masterAddress } : {}),
      ...(ev.masterAddress !== undefined ? { [ATTR_VRRP_NEW_MASTER]: ev.masterAddress } : {}),
      ...(ev.trigger ? { 'vrrp.trigger.source': ev.trigger.source, 'vrrp.trigger.priority': ev.trigger.priority } : {}),
    };
    const p: Pending = {
      span: this.#tracer.startSpan(SPAN_VRRP_RELEASE, { kind: SpanKind.INTERNAL, startTime: hrTimeFromWallUs(atUs + offsetUs), attributes }),
      kind: 'release',
      startMonoUs: atUs,
      offsetUs,
      record: undefined,
      firstGarpMonoUs: undefined,
    };
    this.#adoptEarly(p, atUs);
    this.#pending = p;
    this.#traceparent = formatTraceparent(p.span);
    this.#whenDone(p);
  }

  /** Ends the span when its VIP/GARP work and notify scripts are done. */
  #whenDone(p: Pending): void {
    const settled = this.#o.settled();
    const notified = this.#o
      .notifyIdle()
      .then(() => {
        if (this.#pending === p) p.span.addEvent(EVENT_NOTIFY_DONE, this.#time(p, this.#o.now()));
        return this.#o.now();
      });
    void Promise.all([settled, notified]).then(([, notifyDoneUs]) => {
      if (this.#pending !== p) return;
      this.#finish(p, notifyDoneUs);
    });
  }

  #finishPending(): void {
    const p = this.#pending;
    if (!p) return;
    // Superseded before its work finished (a flap): end it now, marked as interrupted.
    p.span.setStatus({ code: SpanStatusCode.ERROR, message: 'superseded by a newer transition before its effects finished' });
    this.#finish(p, this.#o.now());
  }

  #finish(p: Pending, notifyDoneUs: number): void {
    this.#pending = undefined;
    const endMonoUs = Math.max(p.firstGarpMonoUs ?? 0, notifyDoneUs);
    if (p.kind === 'failover' && p.firstGarpMonoUs !== undefined) p.span.setAttribute(ATTR_VRRP_GARP_LATENCY_MS, (p.firstGarpMonoUs - p.startMonoUs) / 1000);
    p.span.end(this.#time(p, endMonoUs));
    if (p.record) {
      const record: FailoverRecord = {
        ...p.record,
        toGarpUs: p.firstGarpMonoUs !== undefined ? p.firstGarpMonoUs - p.startMonoUs : undefined,
        durationUs: endMonoUs - p.startMonoUs,
      };
      this.#lastFailover = record;
      try {
        this.#o.onFailover?.(record);
      } catch {
        // Metrics must never break the daemon.
      }
    }
  }
}

/** `then` once `work` is done: now when it was synchronous (undefined), else when its promise fulfils. */
function afterDone(work: Promise<void> | void, then: () => void): Promise<void> | void {
  if (work === undefined) return then();
  return work.then(then);
}
