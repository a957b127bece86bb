// The fold from events to projections and alert decisions. Pure in-memory state (a FleetView) plus a
// list of changes for the store to write in the same transaction as the events.
//
// Ordering rules (the "clock rule"):
// - Within one node, events are applied in (boot, seq) order. Boot ids are time-sortable
//   (libs/events makeBootId); a seq not above the last applied one is stored but moves no projection.
// - An event of the node's PREVIOUS boot arriving after the new boot's first one (the old outbox drained
//   late) moves only that boot's own mastership history, never the new boot's state or the detectors:
//   its intervals end at its own transitions, or else when it was last heard — as on time, where a new
//   boot closes what the old one held at its last event — and never after the new boot's first event
//   (a crash ends mastership at the latest when the node restarts). So late and on-time arrival give
//   the same intervals. Events of boots older than the previous one are stored only.
// - Across nodes, event times (`at`) are compared only with the skew tolerance (detect/config.ts).
// - "Now" is the watermark: the largest `at` seen (plus wall-clock ticks in `serve`). Time-based
//   decisions (grace, lost, flapping window) happen when the watermark passes a deadline
//   (`nextDeadline`, like the protocol core's timers), and before the event that passed it is applied,
//   so a rebuild that replays the same events makes the same decisions.
import type { HeartbeatEvent, HsEvent, TransitionEvent } from '@hotstandby/events';
import type { Micros } from '../time/micros.js';
import { eventMicros } from '../time/micros.js';
import type { DetectConfig } from '../detect/config.js';
import type { FleetView, NodeView, OpenMastership } from '../detect/fleet.js';
import { flapKey, routerKey } from '../detect/fleet.js';
import { detectFlapping } from '../detect/flapping.js';
import { detectNodeLost, isLost, lostDeadline } from '../detect/node-lost.js';
import type { AlertDecision } from '../detect/reconcile.js';
import { reconcile } from '../detect/reconcile.js';
import { detectSplitBrain, splitBrainGraceUs } from '../detect/split-brain.js';
import { detectVipDrift, vipProblems } from '../detect/vip-drift.js';

export type Change =
  | { type: 'open'; interval: OpenMastership }
  | { type: 'close'; domain: string; vrid: number; nodeId: string; toAt: Micros; endReason: string; endEventId: string | null }
  /** An interval of a previous boot, stored closed from the start (late events: applyLate). */
  | { type: 'past'; interval: OpenMastership; toAt: Micros; endReason: string; endEventId: string }
  /** A new end for a closed interval of a previous boot (the one that starts at `startEventId`). */
  | { type: 'reclose'; domain: string; vrid: number; nodeId: string; startEventId: string; toAt: Micros; endReason: string; endEventId: string }
  | { type: 'alert'; decision: AlertDecision };

export class Projector {
  /** Nodes whose liveness row must be written. */
  readonly touchedNodes = new Set<string>();
  private watermark = 0;
  private nextDeadline = Number.POSITIVE_INFINITY;
  private dirty = true;
  private changes: Change[] = [];

  constructor(
    readonly view: FleetView,
    readonly cfg: DetectConfig,
  ) {}

  get now(): Micros {
    return this.watermark;
  }

  /** Applies one event (already stored); returns the projection changes and alert decisions it caused. */
  apply(event: HsEvent): Change[] {
    const at = eventMicros(event.at);
    this.watermark = Math.max(this.watermark, at);
    if (this.watermark >= this.nextDeadline) this.evaluate(this.watermark);
    this.applyEvent(event, at);
    if (this.dirty) this.evaluate(this.watermark);
    return this.take();
  }

  /** Time passes without events (serve's timer; the end of a rebuild). */
  tick(now: Micros): Change[] {
    this.watermark = Math.max(this.watermark, now);
    if (this.dirty || this.watermark >= this.nextDeadline) this.evaluate(this.watermark);
    return this.take();
  }

  private take(): Change[] {
    const out = this.changes;
    this.changes = [];
    return out;
  }

  private applyEvent(event: HsEvent, at: Micros): void {
    let node = this.view.nodes.get(event.nodeId);
    if (node) {
      if (event.bootId < node.bootId) return this.applyLate(node, event, at);
      if (event.bootId === node.bootId && event.seq <= node.lastSeq) return;
      if (event.bootId !== node.bootId) {
        // A new boot: whatever the old one held ended when it was last heard (a crash emits no
        // transition), and at the latest when the new boot's first event was stamped.
        const held = this.closeAllOf(node, Math.min(node.lastSeenAt, at), 'node-restarted', event.id);
        node.previous = { bootId: node.bootId, lastSeenAt: node.lastSeenAt, masters: held };
        node.bootFirstAt = at;
        node.bootFirstEventId = event.id;
        node.lastHeartbeat = undefined;
      }
      if (node.lost) {
        node.lost = false;
        this.dirty = true;
      }
      node.bootId = event.bootId;
      node.lastSeq = event.seq;
      node.lastSeenAt = Math.max(node.lastSeenAt, at);
      node.lastEventId = event.id;
    } else {
      node = {
        nodeId: event.nodeId,
        bootId: event.bootId,
        lastSeq: event.seq,
        lastSeenAt: at,
        lastEventId: event.id,
        periodUs: undefined,
        lastHeartbeat: undefined,
        lost: false,
        bootFirstAt: at,
        bootFirstEventId: event.id,
      };
      this.view.nodes.set(node.nodeId, node);
    }
    this.touchedNodes.add(node.nodeId);
    if (event.kind === 'transition') this.applyTransition(event, at);
    else if (event.kind === 'heartbeat') this.applyHeartbeat(node, event, at);
  }

  private applyTransition(e: TransitionEvent, at: Micros): void {
    const fk = flapKey(e.domain, e.vrid, e.nodeId);
    const list = this.view.transitions.get(fk) ?? [];
    list.push({ at, id: e.id });
    this.view.transitions.set(fk, list);
    if (e.to === 'MASTER') {
      this.open({
        domain: e.domain,
        vrid: e.vrid,
        nodeId: e.nodeId,
        instance: e.instance,
        fromAt: at,
        startReason: e.reason,
        startEventId: e.id,
        intervalCs: e.intervalCs,
      });
    } else {
      this.close(e.domain, e.vrid, e.nodeId, at, e.reason, e.id);
    }
    this.dirty = true;
  }

  /** Heartbeats confirm or correct mastership: a MASTER we never saw become one (the silent winner), a
   *  node that stopped being MASTER without a transition we saw (events lost in a gap). */
  private applyHeartbeat(node: NodeView, e: HeartbeatEvent, at: Micros): void {
    const before = node.lastHeartbeat ? signature(node.lastHeartbeat.instances) : '';
    node.periodUs = e.periodMs * 1000;
    node.lastHeartbeat = { id: e.id, at, instances: e.instances };
    for (const inst of e.instances) {
      const open = this.view.masters.get(routerKey(inst.domain, inst.vrid))?.get(node.nodeId);
      if (inst.state === 'MASTER' && !open) {
        const cs = this.lastIntervalCs(inst.domain, inst.vrid);
        this.open({ domain: inst.domain, vrid: inst.vrid, nodeId: node.nodeId, instance: inst.instance, fromAt: at, startReason: 'heartbeat', startEventId: e.id, intervalCs: cs });
        this.dirty = true;
      } else if (inst.state !== 'MASTER' && open) {
        this.close(inst.domain, inst.vrid, node.nodeId, at, 'heartbeat', e.id);
        this.dirty = true;
      }
    }
    if (signature(e.instances) !== before) this.dirty = true;
  }

  private lastIntervalCs(domain: string, vrid: number): number {
    for (const m of this.view.masters.get(routerKey(domain, vrid))?.values() ?? []) return m.intervalCs;
    return 100; // keepalived's default advert_int 1
  }

  private open(interval: OpenMastership): void {
    const key = routerKey(interval.domain, interval.vrid);
    let byNode = this.view.masters.get(key);
    if (!byNode) this.view.masters.set(key, (byNode = new Map<string, OpenMastership>()));
    if (byNode.has(interval.nodeId)) return;
    byNode.set(interval.nodeId, interval);
    this.changes.push({ type: 'open', interval });
  }

  private close(domain: string, vrid: number, nodeId: string, toAt: Micros, endReason: string, endEventId: string | null): void {
    const key = routerKey(domain, vrid);
    const byNode = this.view.masters.get(key);
    if (!byNode?.delete(nodeId)) return;
    if (byNode.size === 0) this.view.masters.delete(key);
    this.changes.push({ type: 'close', domain, vrid, nodeId, toAt, endReason, endEventId });
  }

  /** Closes every interval the node holds; answers them by routerKey. */
  private closeAllOf(node: NodeView, toAt: Micros, reason: string, endEventId: string | null): Map<string, OpenMastership> {
    const closed = new Map<string, OpenMastership>();
    for (const byNode of [...this.view.masters.values()]) {
      const m = byNode.get(node.nodeId);
      if (!m) continue;
      closed.set(routerKey(m.domain, m.vrid), m);
      this.close(m.domain, m.vrid, node.nodeId, Math.max(m.fromAt, toAt), reason, endEventId);
    }
    return closed;
  }

  /**
   * An event of an older boot after the node restarted (see the ordering rules at the top). It moves
   * only that boot's intervals — stored closed, since the boot is over: opened by its MASTER
   * transitions or heartbeats, ended by its own later events, or else at its last heard event capped at
   * the current boot's first event (`bootFirstAt`). The node's liveness, the live masters and the
   * detectors do not see it.
   */
  private applyLate(node: NodeView, e: HsEvent, at: Micros): void {
    let prev = node.previous;
    if (!prev || e.bootId > prev.bootId) {
      // A boot we had not heard (newer than the previous one we knew, which stays as it is).
      prev = node.previous = { bootId: e.bootId, lastSeenAt: at, masters: new Map<string, OpenMastership>() };
    } else if (e.bootId < prev.bootId) {
      return; // older than the previous boot: stored only
    }
    const cap = node.bootFirstAt;
    const before = Math.min(prev.lastSeenAt, cap);
    prev.lastSeenAt = Math.max(prev.lastSeenAt, at);
    const end = Math.min(prev.lastSeenAt, cap);
    const t = Math.min(at, cap);
    const held = new Set(prev.masters.keys());
    const masters = prev.masters;
    const start = (interval: OpenMastership): void => {
      const key = routerKey(interval.domain, interval.vrid);
      if (masters.has(key)) return;
      masters.set(key, interval);
      // (Stamped after the new boot's first event — a clock that ran ahead — it is empty: [from, from).)
      this.changes.push({ type: 'past', interval, toAt: Math.max(interval.fromAt, end), endReason: 'node-restarted', endEventId: node.bootFirstEventId });
    };
    const stop = (domain: string, vrid: number, reason: string): void => {
      const key = routerKey(domain, vrid);
      const m = masters.get(key);
      if (!m) return;
      masters.delete(key);
      held.delete(key);
      this.changes.push({ type: 'reclose', domain, vrid, nodeId: node.nodeId, startEventId: m.startEventId, toAt: Math.max(t, m.fromAt), endReason: reason, endEventId: e.id });
    };
    if (e.kind === 'transition') {
      if (e.to === 'MASTER') {
        start({ domain: e.domain, vrid: e.vrid, nodeId: e.nodeId, instance: e.instance, fromAt: at, startReason: e.reason, startEventId: e.id, intervalCs: e.intervalCs });
      } else {
        stop(e.domain, e.vrid, e.reason);
      }
    } else if (e.kind === 'heartbeat') {
      for (const inst of e.instances) {
        if (inst.state === 'MASTER') {
          const cs = this.lastIntervalCs(inst.domain, inst.vrid);
          start({ domain: inst.domain, vrid: inst.vrid, nodeId: node.nodeId, instance: inst.instance, fromAt: at, startReason: 'heartbeat', startEventId: e.id, intervalCs: cs });
        } else {
          stop(inst.domain, inst.vrid, 'heartbeat');
        }
      }
    }
    // Heard later than before: what it still held lasted until then.
    if (end === before) return;
    for (const [key, m] of masters) {
      if (held.has(key)) this.changes.push({ type: 'reclose', domain: m.domain, vrid: m.vrid, nodeId: node.nodeId, startEventId: m.startEventId, toAt: Math.max(m.fromAt, end), endReason: 'node-restarted', endEventId: node.bootFirstEventId });
    }
  }

  private evaluate(now: Micros): void {
    const cfg = this.cfg;
    this.dirty = false;
    for (const node of this.view.nodes.values()) {
      if (node.lost || !isLost(node, now, cfg)) continue;
      // Unknown, never a stale MASTER: what it held ended when it was last heard.
      node.lost = true;
      this.touchedNodes.add(node.nodeId);
      this.closeAllOf(node, node.lastSeenAt, 'node-lost', null);
    }
    for (const [fk, list] of this.view.transitions) {
      const keep = list.filter((t) => t.at > now - cfg.flapWindowUs);
      if (keep.length === 0) this.view.transitions.delete(fk);
      else if (keep.length !== list.length) this.view.transitions.set(fk, keep);
    }
    const problems = vipProblems(this.view);
    for (const key of [...this.view.driftSince.keys()]) if (!problems.has(key)) this.view.driftSince.delete(key);
    for (const key of problems.keys()) if (!this.view.driftSince.has(key)) this.view.driftSince.set(key, now);

    const conditions = [
      ...detectSplitBrain(this.view, now, cfg),
      ...detectVipDrift(this.view, now, cfg),
      ...detectNodeLost(this.view, cfg),
      ...detectFlapping(this.view, now, cfg),
    ];
    for (const decision of reconcile(this.view.alerts, conditions, now)) {
      if (decision.action === 'raise') this.view.alerts.set(decision.alert.key, decision.alert);
      else this.view.alerts.delete(decision.alert.key);
      this.changes.push({ type: 'alert', decision });
    }

    // The next moment something can change without an event arriving.
    let next = Number.POSITIVE_INFINITY;
    for (const node of this.view.nodes.values()) {
      const d = node.lost ? undefined : lostDeadline(node, cfg);
      if (d !== undefined) next = Math.min(next, d + 1);
    }
    for (const [key, byNode] of this.view.masters) {
      if (byNode.size < 2 || this.view.alerts.has(`split-brain|${key}`)) continue;
      const masters = [...byNode.values()].sort((a, b) => a.fromAt - b.fromAt);
      next = Math.min(next, masters[1]!.fromAt + splitBrainGraceUs(masters, cfg));
    }
    for (const [key, since] of this.view.driftSince) {
      if (this.view.alerts.has(`vip-drift|${key}`)) continue;
      const p = problems.get(key);
      if (p) next = Math.min(next, since + p.periodUs * cfg.vipDriftPeriods + cfg.skewToleranceUs);
    }
    for (const list of this.view.transitions.values()) {
      const first = list[0];
      if (first) next = Math.min(next, first.at + cfg.flapWindowUs);
    }
    this.nextDeadline = next;
  }
}

/** What in a heartbeat matters to the detectors (not the counters). */
function signature(instances: HeartbeatEvent['instances']): string {
  return instances.map((i) => `${i.domain}|${i.vrid}|${i.state}|${i.installedVips.join(',')}|${i.intendedVips.join(',')}`).join(';');
}
