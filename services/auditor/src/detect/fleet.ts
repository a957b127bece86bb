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
