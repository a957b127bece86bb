// What `vrrp-node status` shows: per instance state, priorities, master, interval, VIPs as read back
// from the kernel, the last transition, keepalived's counters; and the event pipeline's health.
// No secret (auth_pass, bus credentials) ever goes in here.
import { networkInterfaces } from 'node:os';
import type { Daemon } from './daemon.js';

export interface InstanceStatus {
  name: string;
  interface: string;
  vrid: number;
  family: string;
  version: number;
  domain: string;
  state: string;
  basePriority: number;
  effectivePriority: number;
  masterAddress: string | null;
  masterPriority: number | null;
  advertIntervalCs: number;
  virtualAddresses: string[];
  /** This instance's VIPs found on their interface now, read back from the kernel (not as intended). */
  installedVirtualAddresses: string[];
  lastTransition: { from: string; to: string; reason: string; at: string; failoverLatencyMs: number | null } | null;
  lastFailoverLatencyMs: number | null;
  /** What RFC 9568 §6.1 says that takeover should have taken (Master_Down_Interval, or Skew_Time after a priority 0). */
  lastFailoverRfcExpectedMs: number | null;
  counters: Record<string, number>;
}

export interface NodeStatus {
  nodeId: string;
  pid: number;
  startedAt: string;
  instances: InstanceStatus[];
  events: {
    outboxDepth: number;
    durability: string;
    lost: number;
    bus: string;
    published: number;
    lastError: string | null;
  };
  garpFramesSent: number;
  /** no_accept: the nftables table, the VIPs whose traffic it drops now, and failed nft runs. */
  vipFilter: { table: string; dropped: string[]; errors: number; lastError: string | null };
}

export function buildStatus(d: Daemon): NodeStatus {
  const instances: InstanceStatus[] = [];
  // getifaddrs(3): a synchronous read of what the kernel has, cheap enough for an on-demand status.
  const present = networkInterfaces();
  for (const [, x] of d.instances) {
    const r = x.runner;
    const st = r.state;
    const lt = r.lastTransition;
    instances.push({
      name: r.model.name,
      interface: r.model.interface,
      vrid: r.config.vrid,
      family: r.config.family,
      version: r.config.version,
      domain: x.domain,
      state: st.kind,
      basePriority: st.basePriority,
      effectivePriority: st.effectivePriority,
      masterAddress: st.masterAddress ?? null,
      masterPriority: st.masterPriority ?? null,
      advertIntervalCs: st.masterAdverIntervalCs,
      virtualAddresses: r.config.virtualAddresses.slice(),
      installedVirtualAddresses: r.model.virtualIpAddresses
        .filter((v) => (present[v.device ?? r.model.interface] ?? []).some((a) => a.address === v.address))
        .map((v) => v.address),
      lastTransition: lt
        ? { from: lt.from, to: lt.to, reason: lt.reason, at: lt.atWall, failoverLatencyMs: lt.failoverLatencyUs !== undefined ? lt.failoverLatencyUs / 1000 : null }
        : null,
      lastFailoverLatencyMs: r.lastFailoverLatencyUs !== undefined ? r.lastFailoverLatencyUs / 1000 : null,
      lastFailoverRfcExpectedMs: x.telemetry.lastRfcExpectedUs !== undefined ? x.telemetry.lastRfcExpectedUs / 1000 : null,
      counters: { ...r.counters },
    });
  }
  const ob = d.outbox?.status();
  const pub = d.publisher?.status();
  return {
    nodeId: d.nodeId,
    pid: process.pid,
    startedAt: d.startedAt.toISOString(),
    instances,
    events: {
      outboxDepth: ob?.depth ?? 0,
      durability: ob?.durability ?? 'none',
      lost: ob?.lost ?? 0,
      bus: pub?.bus ?? 'not configured',
      published: pub?.published ?? 0,
      lastError: pub?.lastError ?? ob?.lastError ?? null,
    },
    garpFramesSent: d.garp.sent,
    vipFilter: { ...d.vipFilter, dropped: [...d.vipFilter.dropped] },
  };
}
