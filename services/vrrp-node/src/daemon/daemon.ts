// The vrrp-node daemon: loads keepalived.conf, opens one raw VRRP socket per (interface, family),
// runs one InstanceRunner per vrrp_instance, and wires trackers, notify scripts, the event outbox and
// the control socket around them. Protocol decisions are all libs/protocol's.
import { hostname, networkInterfaces } from 'node:os';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import type { NotifyKind, TransitionEvent, AnomalyClass, IpAddress, TrackerView } from '@hotstandby/protocol';
import { effectivePriority, peekVrid } from '@hotstandby/protocol';
import { interfaceInfo, monotonicUs, PreciseTimer, VrrpSocket } from '@hotstandby/netio';
import type { ReceivedVrrpPacket } from '@hotstandby/netio';
import type { EventDraft } from '@hotstandby/events';
import { domainFromClusterName, domainFromPrefix, makeNodeId, redactAnomalySample, formatWallClockMicros } from '@hotstandby/events';
import type { KeepalivedConfig, ScriptCommand, VirtualAddress, VrrpInstance } from '../config/model.js';
import { reloadKey } from '../config/reload-key.js';
import { toInstanceConfig } from '../config/to-instance.js';
import { toValidationConfig } from '../config/to-validation.js';
import type { Logger } from '../log/logger.js';
import { NotifyQueue } from '../scripts/notify-queue.js';
import { TrackScript } from '../scripts/track-script.js';
import { runAs } from '../scripts/run-script.js';
import { ControlServer } from '../control/control-server.js';
import { runPaths } from '../control/run-dir.js';
import { Outbox } from '../outbox/outbox.js';
import { Publisher } from '../publish/publisher.js';
import type { BusConnectionOptions } from '../publish/connection-options.js';
import { InstanceRunner } from './instance-runner.js';
import { AnomalyAggregator } from './anomaly-aggregator.js';
import { GarpSender } from './garp-sender.js';
import type { VipOps } from './vip-ops.js';
import { GC_EVERY_US, gcDue, minorCollector } from './gc-points.js';
import { NftVipFilter } from '../net/vip-filter.js';
import { LinkWatcher } from './link-watcher.js';
import { buildStatus } from './status.js';
import { instanceTrackers, memberStartConfig, SyncGroupRunner } from './sync-group-runner.js';
import { InstanceTelemetry } from '../telemetry/instance-telemetry.js';
import type { FailoverRecord } from '../telemetry/instance-telemetry.js';

export interface DaemonOptions {
  readonly config: KeepalivedConfig;
  readonly configPath: string;
  readonly runDir: string;
  readonly log: Logger;
  readonly vips: VipOps;
  /** NATS connection; undefined = events stay in the outbox (and the log). */
  readonly bus?: BusConnectionOptions;
  readonly nodeId?: string;
  /** Explicit domain (cluster name) for every instance; default: the interface's network prefix. */
  readonly domain?: string;
  readonly outboxMaxBytes?: number;
  /** Replicas of the events stream when this node provisions it. */
  readonly streamReplicas?: number;
  readonly heartbeatMs?: number;
  readonly notifyTimeoutMs?: number;
  /** Told about every completed takeover (the failover-duration histogram). */
  readonly onFailover?: (record: FailoverRecord) => void;
  /** no_accept's firewall (default: nftables table inet hotstandby). */
  readonly vipFilter?: NftVipFilter;
}

/**
 * The master-down timer (Master_Down_Interval, or Skew_Time after a priority 0) is the takeover: its
 * lateness is the failover's. It wakes this much early; the runner computes the takeover step and
 * busy-waits to the deadline (instance-runner.ts timerFired), which removes the kernel's and the event
 * loop's wake-up latency. It only expires when a takeover happens (every received advert re-arms it),
 * so the wait costs at most this much CPU per takeover; the periodic advert timers wake on time.
 */
const TAKEOVER_LEAD_US = 1500;

interface SocketEntry {
  readonly socket: VrrpSocket;
  readonly byVrid: Map<number, InstanceRunner>;
}

interface InstanceExtras {
  readonly runner: InstanceRunner;
  readonly timer: PreciseTimer;
  readonly notify: NotifyQueue;
  readonly domain: string;
  /** Spans of this instance's transitions (telemetry/instance-telemetry.ts). */
  readonly telemetry: InstanceTelemetry;
  faulted: boolean;
}

export class Daemon {
  readonly nodeId: string;
  readonly startedAt = new Date();
  readonly #o: DaemonOptions;
  /** The configuration running now (replaced by reload()). */
  #config: KeepalivedConfig;
  readonly #log: Logger;
  readonly #sockets = new Map<string, SocketEntry>();
  readonly #instances = new Map<string, InstanceExtras>();
  readonly #scripts = new Map<string, TrackScript>();
  /** vrrp_sync_group runners: their members' inputs go through them. */
  readonly #groups = new Map<string, SyncGroupRunner>();
  readonly #links: LinkWatcher;
  readonly #garp = new GarpSender();
  /** no_accept: the nftables set of VIPs whose traffic is dropped (net/vip-filter.ts). */
  readonly #vipFilter: NftVipFilter;
  #vipFilterErrors = 0;
  #vipFilterLastError: string | null = null;
  readonly #aggregator: AnomalyAggregator;
  #outbox: Outbox | undefined;
  #publisher: Publisher | undefined;
  #control: ControlServer | undefined;
  #intervals: NodeJS.Timeout[] = [];
  #stopping = false;
  /** Young-generation collections at quiet moments (gc-points.ts); undefined where gc cannot be had. */
  readonly #minorGc = minorCollector();
  #gcLastUs = 0;

  constructor(options: DaemonOptions) {
    this.#o = options;
    this.#config = options.config;
    this.#log = options.log;
    const first = options.config.instances[0];
    const host = first ? (first.unicastSrcIp ?? first.mcastSrcIp ?? primaryAddress(first) ?? hostname()) : hostname();
    // Both tutorial nodes say router_id LVS_DEVEL: qualify it with the primary address (libs/events node-id.ts).
    this.nodeId = options.nodeId ?? makeNodeId(options.config.global.routerId, host);
    this.#aggregator = new AnomalyAggregator(5000, (r) => {
      const scope = r.instance !== null ? this.#instances.get(r.instance) : undefined;
      const model = scope?.runner.model;
      this.#log.warn(`anomaly ${r.cls}`, { instance: r.instance ?? undefined, source: r.source, count: r.count, detail: r.detail });
      this.#emit({
        kind: 'anomaly',
        instance: r.instance,
        vrid: r.vrid,
        family: model?.family ?? 'ipv4',
        interface: model?.interface ?? 'unknown',
        domain: scope?.domain ?? 'unknown',
        class: r.cls,
        count: r.count,
        firstSeen: formatWallClockMicros(BigInt(Math.round(r.firstSeenUs))),
        lastSeen: formatWallClockMicros(BigInt(Math.round(r.lastSeenUs))),
        source: r.source,
        sample: r.sampleHex,
      });
    });
    this.#links = new LinkWatcher((ifname, up) => this.#linkChanged(ifname, up));
    this.#vipFilter = options.vipFilter ?? new NftVipFilter();
  }

  async start(): Promise<void> {
    const o = this.#o;
    const paths = runPaths(o.runDir);
    mkdirSync(paths.dir, { recursive: true, mode: 0o700 });
    this.#outbox = await Outbox.open({
      dir: paths.outboxDir,
      nodeId: this.nodeId,
      ...(o.outboxMaxBytes !== undefined ? { maxBytes: o.outboxMaxBytes } : {}),
      onError: (err) => this.#log.warn('outbox degraded', { error: err.message }),
    });
    if (o.bus) {
      this.#publisher = new Publisher({
        outbox: this.#outbox,
        connection: o.bus,
        provision: o.streamReplicas !== undefined ? { replicas: o.streamReplicas } : {},
        log: (e) => this.#log[e.level](`bus: ${e.message}`, e.error ? { error: e.error.message } : {}),
      });
      this.#publisher.start();
    }

    for (const model of this.#config.instances) this.#createInstance(model);
    for (const s of this.#config.scripts) this.#createScript(s.name);
    this.#wireGroups();

    this.#control = new ControlServer(paths.socket, (req) => {
      if (req.cmd === 'status') return buildStatus(this);
      throw new Error(`unknown command ${JSON.stringify(req.cmd)}`);
    });
    await this.#control.listen();
    writeFileSync(paths.pidFile, `${process.pid}\n`);

    // A crash (kill -9) leaves the VIPs behind, as keepalived's does. A restarting non-owner is not
    // master yet: take stale VIPs away first, so the LAN never sees them on two nodes.
    for (const [, x] of this.#instances) {
      const m = x.runner.model;
      if (m.priority === 255) continue;
      const present = new Set(await o.vips.list(m.interface));
      const stale = m.virtualIpAddresses.filter((v) => present.has(v.address));
      for (const v of stale) o.vips.remove(v, v.device ?? m.interface);
      if (stale.length > 0) this.#log.info(`(${m.name}) removed VIPs left from a previous run`, { vips: stale.map((v) => v.address).join(',') });
    }
    await this.#clearVipFilter();
    // Start: every instance goes INIT → BACKUP (or MASTER as owner), faulted if its link is down.
    for (const [, x] of this.#instances) {
      this.#recomputeTracking(x, false);
      x.runner.input({ type: 'startup', faulted: x.faulted });
    }
    for (const s of this.#scripts.values()) s.start();
    this.#warnRootScripts();
    await this.#links.start();
    this.#intervals.push(setInterval(() => this.#aggregator.flush(wallUs()), 100));
    this.#intervals.push(setInterval(() => void this.#heartbeat(), o.heartbeatMs ?? 2000));
  }

  get instances(): ReadonlyMap<string, InstanceExtras> {
    return this.#instances;
  }

  get outbox(): Outbox | undefined {
    return this.#outbox;
  }

  get publisher(): Publisher | undefined {
    return this.#publisher;
  }

  get garp(): GarpSender {
    return this.#garp;
  }

  /** no_accept firewall: what is dropped now, and failures so far. */
  get vipFilter(): { table: string; dropped: readonly string[]; errors: number; lastError: string | null } {
    return { table: `inet ${this.#vipFilter.table}`, dropped: this.#vipFilter.dropped, errors: this.#vipFilterErrors, lastError: this.#vipFilterLastError };
  }

  installedVips(ifname: string): Promise<string[]> {
    return this.#o.vips.list(ifname);
  }

  /** SIGTERM: resign (priority-0 adverts), remove VIPs, run notify_stop, flush events, exit. */
  async stop(): Promise<void> {
    if (this.#stopping) return;
    this.#stopping = true;
    for (const s of this.#scripts.values()) s.stop();
    this.#links.stop();
    for (const [, x] of this.#instances) x.runner.input({ type: 'shutdown' });
    for (const [, x] of this.#instances) {
      await x.runner.settled();
      await x.runner.filtersSettled();
      x.timer.close();
    }
    // keepalived deletes its firewall table on exit; a failure is logged and counted, the stop goes on.
    await this.#vipFilter.close().catch((err: unknown) => this.#vipFilterFailed(err, 'removing the no_accept table failed'));
    await Promise.all([...this.#instances.values()].map((x) => withTimeout(x.notify.idle(), (this.#o.notifyTimeoutMs ?? 10_000) + 1000)));
    await Promise.all([...this.#groups.values()].map((g) => withTimeout(g.notifyQueue.idle(), (this.#o.notifyTimeoutMs ?? 10_000) + 1000)));
    this.#aggregator.flush(wallUs(), true);
    for (const i of this.#intervals) clearInterval(i);
    for (const e of this.#sockets.values()) e.socket.close();
    this.#garp.close();
    this.#o.vips.close();
    await this.#control?.close();
    // Give the publisher a moment to drain what this stop produced; the outbox keeps the rest.
    if (this.#publisher) {
      await withTimeout(waitDrained(this.#outbox!), 2000);
      // A black-holed NATS (connects hang) must not hold up a graceful stop: the outbox keeps the rest.
      await withTimeout(this.#publisher.close(), 2000);
    }
    await this.#outbox?.close();
    rmSync(runPaths(this.#o.runDir).pidFile, { force: true });
  }

  /**
   * SIGHUP: run `next` instead of the current configuration. Instances whose configuration did not
   * change keep running untouched (a MASTER stays MASTER, no advert gap); changed or removed ones stop
   * as on SIGTERM (priority 0, VIPs removed); new or changed ones start. keepalived's reload also keeps
   * unchanged instances' state. Track scripts are restarted only when their definition changed.
   */
  async reload(next: KeepalivedConfig): Promise<{ kept: string[]; restarted: string[]; removed: string[]; added: string[] }> {
    const prev = this.#config;
    const key = (m: VrrpInstance): string => reloadKey(m);
    const scriptKey = (name: string, c: KeepalivedConfig): string => reloadKey(c.scripts.find((x) => x.name === name));
    const globalSame = reloadKey(prev.global) === reloadKey(next.global);
    const kept: string[] = [];
    const restarted: string[] = [];
    const removed: string[] = [];
    const added: string[] = [];
    const changedScripts = new Set(prev.scripts.map((x) => x.name).filter((n) => scriptKey(n, prev) !== scriptKey(n, next)));
    for (const m of prev.instances) {
      const now = next.instances.find((x) => x.name === m.name);
      const scriptsSame = m.trackScripts.every((t) => !changedScripts.has(t.name));
      if (now && globalSame && scriptsSame && key(now) === key(m)) kept.push(m.name);
      else {
        await this.#removeInstance(m.name);
        (now ? restarted : removed).push(m.name);
      }
    }
    for (const [name, script] of this.#scripts) {
      if (changedScripts.has(name) || !next.scripts.some((x) => x.name === name)) {
        script.stop();
        this.#scripts.delete(name);
      }
    }
    this.#config = next;
    for (const m of next.instances) {
      if (kept.includes(m.name)) continue;
      if (!restarted.includes(m.name)) added.push(m.name);
      this.#createInstance(m);
    }
    for (const s of next.scripts) {
      if (this.#scripts.has(s.name)) continue;
      this.#createScript(s.name);
      this.#scripts.get(s.name)?.start();
    }
    this.#wireGroups();
    for (const name of [...restarted, ...added]) {
      const x = this.#instances.get(name)!;
      this.#recomputeTracking(x, false);
      x.runner.input({ type: 'startup', faulted: x.faulted });
    }
    return { kept, restarted, removed, added };
  }

  async #removeInstance(name: string): Promise<void> {
    const x = this.#instances.get(name);
    if (!x) return;
    x.runner.input({ type: 'shutdown' });
    await x.runner.settled();
    x.timer.close();
    this.#instances.delete(name);
    const m = x.runner.model;
    const entry = this.#sockets.get(`${m.interface}/${m.family}`);
    entry?.byVrid.delete(m.vrid);
    if (entry && entry.byVrid.size === 0) {
      entry.socket.close();
      this.#sockets.delete(`${m.interface}/${m.family}`);
    }
  }

  #createInstance(model: VrrpInstance): void {
    const o = this.#o;
    const info = interfaceInfo(model.interface);
    const local = model.family === 'ipv4' ? info.ipv4[0] : info.linkLocal6;
    const mapped = toInstanceConfig(model, local);
    if (!mapped.ok) throw new Error(mapped.reason);
    const config = memberStartConfig(model, this.#config, mapped.config);
    const g = this.#config.global;
    // keepalived sends to and joins the global vrrp_mcast_group4/6 (default 224.0.0.18 / ff02::12).
    const group = model.family === 'ipv4' ? g.mcastGroup4 : g.mcastGroup6;
    const validation = toValidationConfig(model, model.family === 'ipv4' ? info.ipv4 : info.ipv6, group);
    const domain = o.domain !== undefined ? mustDomain(domainFromClusterName(o.domain)) : instanceDomain(model);
    const key = `${model.interface}/${model.family}`;
    let entry = this.#sockets.get(key);
    if (!entry) {
      const byVrid = new Map<number, InstanceRunner>();
      const socket = new VrrpSocket({
        family: model.family === 'ipv4' ? 4 : 6,
        interface: model.interface,
        joinGroup: true,
        group,
        onPacket: (p) => this.#dispatch(byVrid, model, p),
        onError: (err) => this.#log.error(`receive error on ${model.interface}`, { error: err.message }),
      });
      entry = { socket, byVrid };
      this.#sockets.set(key, entry);
    }
    const socket = entry.socket;
    const notify = new NotifyQueue({
      timeoutMs: o.notifyTimeoutMs ?? 10_000,
      onDone: (job, r) => {
        const ok = r.code === 0 && !r.timedOut && r.spawnError === undefined;
        this.#log[ok ? 'info' : 'warn'](`notify ${job.label} ${ok ? 'done' : 'failed'}`, {
          code: r.code,
          signal: r.signal,
          timedOut: r.timedOut || undefined,
          error: r.spawnError,
          stderr: r.stderrTail || undefined,
          ms: Math.round(r.durationMs),
        });
      },
    });
    const timer = new PreciseTimer(() => {
      runner.timerFired();
      this.#collectIfQuiet();
    });
    const telemetry: InstanceTelemetry = new InstanceTelemetry({
      nodeId: this.nodeId,
      instance: model.name,
      vrid: model.vrid,
      version: config.version,
      family: model.family,
      interface: model.interface,
      domain,
      vips: model.virtualIpAddresses.map((v) => v.address),
      now: monotonicUs,
      settled: (): Promise<void> => runner.settled(),
      notifyIdle: () => notify.idle(),
      ...(o.onFailover ? { onFailover: o.onFailover } : {}),
    });
    const runner: InstanceRunner = new InstanceRunner(model, config, validation, group, telemetry.wrap({
      now: monotonicUs,
      sendVrrp: (data, destination, source) => {
        socket.send(data, destination, { source });
      },
      // Each address is its own synchronous netlink request; one failing does not stop the others.
      addVips: (vips) => eachVip(vips, (v) => o.vips.add(v, v.device ?? model.interface)),
      removeVips: (vips) => eachVip(vips, (v) => o.vips.remove(v, v.device ?? model.interface)),
      filterVips: (action, vips) => this.#filterVips(action, vips.map((v) => v.address)),
      sendGarp: (vips, count, intervalUs) => this.#garp.send(vips, model.interface, count, intervalUs),
      notify: (kind, priority) => this.#notify(extras, kind, priority),
      // Journaled and logged once the transition's VIP/GARP work is on its way (runner.issued()): the
      // first GARP of a takeover then goes out ~1 ms sooner; the order of transitions is kept.
      transition: (ev, latency, ctx) => {
        const issued = runner.issued();
        if (issued === undefined) this.#transition(extras, ev, latency, ctx?.atUs);
        else void issued.then(() => this.#transition(extras, ev, latency, ctx?.atUs));
      },
      anomaly: (cls, source, sample, detail) => this.#anomaly(model, cls, source, sample, detail),
      armTimer: (at, name) => timer.armAt(name === 'master-down' ? at - TAKEOVER_LEAD_US : at),
      waitUntil: (at) => {
        while (monotonicUs() < at);
      },
      drainReceived: () => socket.drain(),
      disarmTimer: () => timer.disarm(),
      log: this.#log,
    }));
    const extras: InstanceExtras = { runner, timer, notify, domain, telemetry, faulted: false };
    entry.byVrid.set(config.vrid, runner);
    this.#instances.set(model.name, extras);
    // A takeover must not be the first time its code runs or its GARP socket opens (instance-runner.ts warmUp).
    runner.warmUp(monotonicUs());
    this.#garp.prepare(model.virtualIpAddresses, model.interface);
    try {
      o.vips.prepare?.([...model.virtualIpAddresses, ...model.excludedVirtualIpAddresses]);
    } catch {
      // A VIP the kernel request cannot express is reported when it is really added.
    }
    // track_interface (weights) and, unless dont_track_primary, the instance's own interface (weight 0).
    if (!model.dontTrackPrimary) this.#links.watch(model.interface);
    for (const t of instanceTrackers(model, this.#config)) if (t.kind === 'interface') this.#links.watch(t.name);
  }

  /** vrrp_sync_group: each member's inputs go through its group (sync-group-runner.ts). */
  #wireGroups(): void {
    for (const x of this.#instances.values()) x.runner.routeThrough(undefined);
    this.#groups.clear();
    for (const g of this.#config.syncGroups) {
      const faulted = g.instances.filter((n) => this.#instances.get(n)?.faulted === true);
      const group = new SyncGroupRunner(g, (n) => this.#instances.get(n)?.runner, faulted, this.#log, this.#o.notifyTimeoutMs ?? 10_000);
      group.attach();
      this.#groups.set(g.name, group);
    }
  }

  #tracksScript(m: VrrpInstance, name: string): boolean {
    return instanceTrackers(m, this.#config).some((t) => t.kind === 'script' && t.name === name);
  }

  #createScript(name: string): void {
    const s = this.#config.scripts.find((x) => x.name === name)!;
    const used = this.#config.instances.some((i) => this.#tracksScript(i, name));
    if (!used) return; // keepalived runs only scripts that some instance tracks
    this.#scripts.set(
      name,
      new TrackScript({
        name,
        argv: s.script.argv,
        intervalMs: s.intervalUs / 1000,
        timeoutMs: (s.timeoutUs ?? s.intervalUs) / 1000,
        rise: s.rise,
        fall: s.fall,
        initFail: s.initFail,
        runOptions: runAs(s.user),
        onHealth: (n, health, last) => {
          this.#log.info(`track script ${n} is now ${health === 'ok' ? 'OK' : 'KO'}`, { code: last.code, timedOut: last.timedOut || undefined });
          for (const [, x] of this.#instances) if (this.#tracksScript(x.runner.model, n)) this.#recomputeTracking(x, true);
        },
      }),
    );
  }

  #linkChanged(ifname: string, up: boolean): void {
    this.#log.info(`interface ${ifname} is ${up ? 'up' : 'down'}`);
    for (const [, x] of this.#instances) {
      const m = x.runner.model;
      if ((m.interface === ifname && !m.dontTrackPrimary) || instanceTrackers(m, this.#config).some((t) => t.kind === 'interface' && t.name === ifname)) this.#recomputeTracking(x, true);
    }
  }

  /** Effective priority and fault from every tracker of an instance (libs/protocol track/priority.ts). */
  #recomputeTracking(x: InstanceExtras, feed: boolean): void {
    const m = x.runner.model;
    const views: TrackerView[] = [];
    if (!m.dontTrackPrimary) views.push({ weight: 0, up: this.#links.isUp(m.interface) });
    // track_interface / track_script, with the sync group's and its weight rules (sync-group-runner.ts).
    for (const t of instanceTrackers(m, this.#config)) {
      if (t.kind === 'interface') {
        views.push({ weight: t.weight, reverse: t.reverse, up: this.#links.isUp(t.name) });
        continue;
      }
      const script = this.#scripts.get(t.name);
      if (!script) continue;
      const h = script.health;
      views.push({ weight: t.weight, reverse: t.reverse, up: h === 'init' ? undefined : h === 'ok' });
    }
    const eff = effectivePriority(x.runner.config.priority, views);
    const wasFaulted = x.faulted;
    x.faulted = eff.fault;
    if (!feed) return;
    if (eff.fault && !wasFaulted) x.runner.input({ type: 'fault' });
    else if (!eff.fault && wasFaulted) x.runner.input({ type: 'fault-cleared' });
    if (eff.priority !== x.runner.state.effectivePriority) x.runner.input({ type: 'priority-changed', priority: eff.priority });
  }

  #dispatch(byVrid: Map<number, InstanceRunner>, model: VrrpInstance, p: ReceivedVrrpPacket): void {
    const vrid = peekVrid(p.data);
    const runner = vrid === undefined ? undefined : byVrid.get(vrid);
    if (!runner) {
      this.#anomaly(undefined, vrid === undefined ? 'length' : 'vrid-unknown', p.source, p.data, vrid === undefined ? 'too short for a VRRP header' : `no instance with VRID ${vrid} on ${model.interface}`, vrid ?? null, model);
      return;
    }
    runner.packet({ data: p.data, source: p.source, destination: p.destination, hopLimit: p.hopLimit, ifindex: p.ifindex, receivedAtUs: p.receivedAtUs });
    this.#collectIfQuiet();
  }

  /** A young-generation collection now, if one is due and no protocol deadline is near (gc-points.ts). */
  #collectIfQuiet(): void {
    const collect = this.#minorGc;
    if (collect === undefined) return;
    const now = monotonicUs();
    if (now - this.#gcLastUs < GC_EVERY_US) return;
    let next: number | undefined;
    for (const x of this.#instances.values()) {
      const at = x.runner.nextDeadlineAt;
      if (at !== undefined && (next === undefined || at < next)) next = at;
    }
    if (!gcDue(now, this.#gcLastUs, next)) return;
    this.#gcLastUs = now;
    collect();
  }

  #anomaly(model: VrrpInstance | undefined, cls: AnomalyClass, source: IpAddress, sample: Uint8Array, detail: string, vrid?: number | null, via?: VrrpInstance): void {
    const fam = (model ?? via)?.family ?? 'ipv4';
    const redacted = sample.length > 0 ? hexToBytes(redactAnomalySample(sample, fam)) : sample;
    this.#aggregator.record(model?.name ?? null, model?.vrid ?? vrid ?? null, cls, source, redacted, detail, wallUs());
  }

  #notify(x: InstanceExtras, kind: NotifyKind, priority: number): void {
    const m = x.runner.model;
    const jobs: { label: string; cmd: ScriptCommand; extra: string[] }[] = [];
    const specific = kind === 'MASTER' ? m.notify.master : kind === 'BACKUP' ? m.notify.backup : kind === 'FAULT' ? m.notify.fault : kind === 'STOP' ? m.notify.stop : undefined;
    if (specific) jobs.push({ label: `(${m.name}) notify_${kind.toLowerCase()}`, cmd: specific, extra: [] });
    // keepalived `notify`: called with "INSTANCE" name state priority (keepalived.conf(5)).
    if (m.notify.any && kind !== 'MASTER_RX_LOWER_PRI') jobs.push({ label: `(${m.name}) notify ${kind}`, cmd: m.notify.any, extra: ['INSTANCE', m.name, kind, String(priority)] });
    for (const j of jobs) x.notify.enqueue({ label: j.label, argv: [...j.cmd.argv, ...j.extra], ...runAs(j.cmd.user) });
  }

  #transition(x: InstanceExtras, ev: TransitionEvent, latency: number | undefined, inputAtUs: number | undefined): void {
    const m = x.runner.model;
    // The event is journaled before the log line is written: whatever a person saw logged is in the
    // outbox, even if the process is killed right after (MASTER_RX_LOWER_PRI is only a log line).
    if (ev.from !== ev.to) {
      this.#emit({
        kind: 'transition',
        instance: m.name,
        vrid: m.vrid,
        family: m.family,
        interface: m.interface,
        domain: x.domain,
        from: ev.from,
        to: ev.to,
        reason: ev.reason,
        basePriority: ev.priority,
        effectivePriority: ev.effectivePriority,
        masterAddress: ev.masterAddress ?? null,
        intervalCs: ev.intervalCs,
        ...(latency !== undefined ? { failoverLatencyUs: Math.round(latency) } : {}),
        ...(x.telemetry.traceparent !== undefined ? { traceparent: x.telemetry.traceparent } : {}),
        // Stamped with the instant of the input that caused it (timer deadline, advert receipt), not the
        // moment the event is written after the VIP work: the new master's BACKUP→MASTER then precedes
        // the old master's MASTER→BACKUP, and the auditor never sees a moment without a master.
        ...(inputAtUs !== undefined ? { at: formatWallClockMicros(BigInt(Math.round(wallUs() - (monotonicUs() - inputAtUs)))) } : {}),
      });
    }
    const msg = ev.from === ev.to ? `(${m.name}) ${ev.reason}` : `(${m.name}) Entering ${ev.to} STATE`;
    this.#log.info(msg, {
      from: ev.from,
      reason: ev.reason,
      priority: ev.effectivePriority,
      master: ev.masterAddress,
      failoverMs: latency !== undefined ? Math.round(latency / 10) / 100 : undefined,
      // Forced by a vrrp_sync_group: which group, following which member.
      syncGroup: ev.sync?.group,
      following: ev.sync?.member,
    });
  }

  async #heartbeat(): Promise<void> {
    const instances = [];
    // One address dump per interface, not per instance (50 instances on one LAN: 1 dump, not 50).
    const listed = new Map<string, Promise<string[]>>();
    for (const [, x] of this.#instances) {
      const m = x.runner.model;
      const st = x.runner.state;
      let list = listed.get(m.interface);
      if (!list) listed.set(m.interface, (list = this.#o.vips.list(m.interface).catch(() => [] as string[])));
      const installed = await list;
      const mine = new Set(m.virtualIpAddresses.map((v) => v.address));
      instances.push({
        instance: m.name,
        vrid: m.vrid,
        family: m.family,
        interface: m.interface,
        domain: x.domain,
        state: st.kind,
        basePriority: st.basePriority,
        effectivePriority: st.effectivePriority,
        installedVips: installed.filter((a) => mine.has(a)),
        intendedVips: st.kind === 'MASTER' ? [...mine] : [],
        advertsSent: x.runner.counters.advert_sent,
        advertsReceived: x.runner.counters.advert_rcvd,
        becameMaster: x.runner.counters.become_master,
        releasedMaster: x.runner.counters.release_master,
      });
    }
    if (this.#stopping) return;
    this.#emit({ kind: 'heartbeat', periodMs: this.#o.heartbeatMs ?? 2000, instances });
  }

  /** A table a crashed run left is deleted at start (keepalived too); nft missing matters only if an instance needs it. */
  async #clearVipFilter(): Promise<void> {
    const needing = this.#config.instances.filter((m) => !m.accept && m.priority !== 255).map((m) => m.name);
    try {
      if (await this.#vipFilter.clear()) this.#log.info(`removed nftables table inet ${this.#vipFilter.table} left from a previous run`);
    } catch (err) {
      if (needing.length > 0) this.#vipFilterFailed(err, `no_accept of ${needing.join(', ')} cannot be enforced`);
    }
  }

  async #filterVips(action: 'drop' | 'accept', addresses: readonly string[]): Promise<void> {
    try {
      await (action === 'drop' ? this.#vipFilter.drop(addresses) : this.#vipFilter.accept(addresses));
    } catch (err) {
      this.#vipFilterErrors++;
      this.#vipFilterLastError = err instanceof Error ? err.message : String(err);
      throw err; // the runner logs it with the instance's name
    }
  }

  #vipFilterFailed(err: unknown, what: string): void {
    this.#vipFilterErrors++;
    this.#vipFilterLastError = err instanceof Error ? err.message : String(err);
    this.#log.error(what, { error: this.#vipFilterLastError });
  }

  /** keepalived: "SECURITY VIOLATION - scripts are being executed but script_security not enabled." */
  #warnRootScripts(): void {
    const c = this.#config;
    if (c.global.enableScriptSecurity || process.getuid?.() !== 0) return;
    const cmds = [
      ...c.scripts.filter((s) => this.#scripts.has(s.name)).map((s) => ({ ...s.script, ...(s.user ? { user: s.user } : {}) })),
      ...[...c.instances, ...c.syncGroups].flatMap((i) => [i.notify.master, i.notify.backup, i.notify.fault, i.notify.stop, i.notify.any]),
    ];
    const asRoot = cmds.flatMap((cmd) => (cmd !== undefined && (cmd.user?.uid === undefined || cmd.user.uid === 0) ? [cmd.argv[0] ?? ''] : []));
    if (asRoot.length > 0) this.#log.warn('SECURITY VIOLATION - scripts are being executed as root but enable_script_security is not enabled', { scripts: [...new Set(asRoot)].join(',') });
  }

  #emit(draft: EventDraft): void {
    if (!this.#outbox) return;
    try {
      this.#outbox.append(draft);
    } catch (err) {
      this.#log.error('event not recorded', { error: err instanceof Error ? err.message : String(err), kind: draft.kind });
    }
  }
}

function primaryAddress(m: VrrpInstance): string | undefined {
  const list = networkInterfaces()[m.interface] ?? [];
  const a = list.find((x) => (m.family === 'ipv4' ? x.family === 'IPv4' : x.family === 'IPv6' && x.address.startsWith('fe80')));
  return a?.address;
}

/** The instance's LAN: the interface's network prefix (libs/events domain.ts). */
function instanceDomain(m: VrrpInstance): string {
  const list = networkInterfaces()[m.interface] ?? [];
  const a = list.find((x) => (m.family === 'ipv4' ? x.family === 'IPv4' : x.family === 'IPv6' && !x.address.startsWith('fe80')));
  if (a?.cidr) {
    const [addr, len] = a.cidr.split('/');
    const r = domainFromPrefix(addr!, Number(len));
    if (r.ok) return r.domain;
  }
  return mustDomain(domainFromClusterName(`${m.interface}`));
}

function mustDomain(r: { ok: true; domain: string } | { ok: false; reason: string }): string {
  if (!r.ok) throw new Error(`bad domain: ${r.reason}`);
  return r.domain;
}

function wallUs(): number {
  return (performance.timeOrigin + performance.now()) * 1000;
}

function hexToBytes(hex: string): Uint8Array {
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T | undefined> {
  return Promise.race([p, new Promise<undefined>((r) => setTimeout(() => r(undefined), ms).unref())]);
}

async function waitDrained(outbox: Outbox): Promise<void> {
  while (outbox.status().depth > 0) await new Promise((r) => setTimeout(r, 20));
}

/** `change` for every VIP, even after one fails; then the first failure (with how many failed) is thrown. */
function eachVip(vips: readonly VirtualAddress[], change: (v: VirtualAddress) => void): void {
  const errors: unknown[] = [];
  for (const v of vips) {
    try {
      change(v);
    } catch (err) {
      errors.push(err);
    }
  }
  if (errors.length === 1) throw errors[0];
  if (errors.length > 1) throw new AggregateError(errors, `${errors.length} of ${vips.length} addresses: ${errors.map((e) => (e instanceof Error ? e.message : String(e))).join('; ')}`);
}
