// The auditor's view of the fleet at one moment: what the detectors look at. Built by project/fold.ts
// from events; plain data, so the detectors are pure functions of (view, now, config).
import type { HeartbeatInstance } from '@hotstandby/events';
import type { Micros } from '../time/micros.js';

export interface NodeView {
  nodeId: string;
  bootId: string;
  lastSeq: number;
  lastSeenAt: Micros;
  lastEventId: string;
  /** Heartbeat period (µs) from the node's last heartbeat; undefined before its first one. */
  periodUs: Micros | undefined;
  lastHeartbeat: { id: string; at: Micros; instances: HeartbeatInstance[] } | undefined;
  lost: boolean;
  /** The first event of the current boot: when the node restarted, as far as the auditor knows. */
  bootFirstAt: Micros;
  bootFirstEventId: string;
  /** The boot before the current one, for its late events (project/projector.ts, applyLate). */
  previous?: PreviousBoot | undefined;
}

/** What a node's previous boot still needs once the node has restarted: its late events (an outbox that
 *  drained after the restart) can extend the mastership it held when it went silent, or add some. */
export interface PreviousBoot {
  bootId: string;
  /** Last heard, from its events applied so far. */
  lastSeenAt: Micros;
  /** routerKey → its intervals still open when it was last heard (stored closed, reason node-restarted). */
  masters: Map<string, OpenMastership>;
}

/** An open mastership interval (the row in `mastership` with to_at null). */
export interface OpenMastership {
  domain: string;
  vrid: number;
  nodeId: string;
  instance: string;
  fromAt: Micros;
  startReason: string;
  startEventId: string;
  intervalCs: number;
}

export interface OpenAlert {
  id: string;
  key: string;
  kind: string;
  domain: string;
  vrid: number | null;
  nodes: string[];
  evidence: string[];
  summary: string;
  firstSeen: Micros;
}

export interface FleetView {
  nodes: Map<string, NodeView>;
  /** routerKey(domain, vrid) → nodeId → open interval. */
  masters: Map<string, Map<string, OpenMastership>>;
  /** flapKey(domain, vrid, nodeId) → recent transition (time, event id), oldest first. */
  transitions: Map<string, { at: Micros; id: string }[]>;
  /** routerKey → since when the current VIP problems have been seen. */
  driftSince: Map<string, Micros>;
  /** alert key → the open (raised, not resolved) alert. */
  alerts: Map<string, OpenAlert>;
}

export function emptyFleet(): FleetView {
  return { nodes: new Map(), masters: new Map(), transitions: new Map(), driftSince: new Map(), alerts: new Map() };
}

// Keys join with `|`, which neither a domain (no whitespace/control, but may contain `|`…) — so the
// domain goes last where it could be ambiguous.
export function routerKey(domain: string, vrid: number): string {
  return `${vrid}|${domain}`;
}

export function flapKey(domain: string, vrid: number, nodeId: string): string {
  return JSON.stringify([domain, vrid, nodeId]);
}
