// keepalived.conf text for end-to-end scenarios: one vrrp_instance block per call, in the syntax a
// keepalived user writes (keepalived.conf(5)), so every test config reads like a real one.

export interface InstanceSpec {
  name: string;
  state: 'MASTER' | 'BACKUP';
  vrid: number;
  priority: number;
  /** advert_int as written: `1`, `0.1`, `0.01`. */
  advertInt: string;
  vips: string[];
  /** `version 3` in the block (default: whatever global_defs says). */
  version?: 2 | 3;
  /** auth_pass for PASS authentication (VRRPv2 only); none when absent. */
  authPass?: string;
  nopreempt?: boolean;
  /** preempt_delay in seconds. */
  preemptDelay?: number;
  unicastSrcIp?: string;
  unicastPeers?: string[];
  /** Lines inside the block, as written (track_script blocks, notify_* lines, …). */
  extra?: string[];
}

export function vrrpInstance(s: InstanceSpec): string {
  const lines = [
    `vrrp_instance ${s.name} {`,
    `    state ${s.state}`,
    `    interface eth0`,
    `    virtual_router_id ${s.vrid}`,
    `    priority ${s.priority}`,
    `    advert_int ${s.advertInt}`,
  ];
  if (s.version !== undefined) lines.push(`    version ${s.version}`);
  if (s.nopreempt === true) lines.push(`    nopreempt`);
  if (s.preemptDelay !== undefined) lines.push(`    preempt_delay ${s.preemptDelay}`);
  if (s.authPass !== undefined) lines.push(`    authentication {`, `        auth_type PASS`, `        auth_pass ${s.authPass}`, `    }`);
  if (s.unicastSrcIp !== undefined) lines.push(`    unicast_src_ip ${s.unicastSrcIp}`);
  if (s.unicastPeers !== undefined) lines.push(`    unicast_peer {`, ...s.unicastPeers.map((p) => `        ${p}`), `    }`);
  for (const l of s.extra ?? []) lines.push(`    ${l}`);
  lines.push(`    virtual_ipaddress {`, ...s.vips.map((v) => `        ${v}`), `    }`, `}`, '');
  return lines.join('\n');
}

/** A whole file: global_defs (router_id plus `global` lines), then the other blocks in order. */
export function keepalivedConf(o: { routerId: string; global?: string[]; blocks: string[] }): string {
  return [`global_defs {`, `    router_id ${o.routerId}`, ...(o.global ?? []).map((l) => `    ${l}`), `}`, '', ...o.blocks].join('\n');
}
