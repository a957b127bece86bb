// The human view of `vrrp-node status`.
import type { NodeStatus } from '../daemon/status.js';

export function formatStatus(s: NodeStatus): string {
  const lines: string[] = [];
  lines.push(`node ${s.nodeId} (pid ${s.pid}, up since ${s.startedAt})`);
  for (const i of s.instances) {
    lines.push('');
    lines.push(`${i.name}  ${i.state}  vrid ${i.vrid} on ${i.interface} (${i.family}, VRRPv${i.version}, domain ${i.domain})`);
    lines.push(`  priority ${i.effectivePriority} (base ${i.basePriority})   advert interval ${i.advertIntervalCs * 10} ms`);
    lines.push(`  master ${i.masterAddress ?? '-'}${i.masterPriority !== null ? ` (priority ${i.masterPriority})` : ''}`);
    lines.push(`  VIPs ${i.virtualAddresses.join(', ')} (installed: ${i.installedVirtualAddresses.length > 0 ? i.installedVirtualAddresses.join(', ') : 'none'})`);
    if (i.lastTransition) {
      const lt = i.lastTransition;
      const rfc = i.lastFailoverRfcExpectedMs;
      lines.push(
        `  last transition ${lt.from} -> ${lt.to} (${lt.reason}) at ${lt.at}${lt.failoverLatencyMs !== null ? `, failover ${lt.failoverLatencyMs.toFixed(3)} ms${rfc !== null && rfc !== undefined ? ` (RFC ${rfc.toFixed(3)} ms)` : ''}` : ''}`,
      );
    }
    const c = i.counters;
    lines.push(`  advert_rcvd ${c.advert_rcvd}  advert_sent ${c.advert_sent}  become_master ${c.become_master}  release_master ${c.release_master}`);
    lines.push(
      `  ip_ttl_err ${c.ip_ttl_err}  auth_failure ${c.auth_failure}  addr_list_err ${c.addr_list_err}  packet_len_err ${c.packet_len_err}` +
        `  advert_interval_err ${c.advert_interval_err}  pri_zero_rcvd ${c.pri_zero_rcvd}  pri_zero_sent ${c.pri_zero_sent}  other_err ${c.other_err}`,
    );
  }
  lines.push('');
  const e = s.events;
  lines.push(`events: bus ${e.bus}, published ${e.published}, outbox depth ${e.outboxDepth} (${e.durability}), lost ${e.lost}${e.lastError ? `, last error: ${e.lastError}` : ''}`);
  return lines.join('\n') + '\n';
}
