// The Prometheus text exposition (format 0.0.4) of metrics.ts's numbers. Hand-written rather than the
// OpenTelemetry Prometheus exporter, whose name mangling (unit suffixes, target_info) would not give
// the keepalived-exporter names a keepalived user's dashboards expect — and it works with the SDK off.
import type { HistogramSeries, InstanceMetricView } from './metrics.js';
import { FAILOVER_BOUNDS_S, KEEPALIVED_STATE } from './metrics.js';

/** keepalived-exporter metric name → our counter (daemon/counters.ts, keepalived's own names). */
const COUNTERS: readonly (readonly [string, string, string])[] = [
  ['keepalived_advertisements_received_total', 'advert_rcvd', 'Advertisements received'],
  ['keepalived_advertisements_sent_total', 'advert_sent', 'Advertisements sent'],
  ['keepalived_become_master_total', 'become_master', 'Became master'],
  ['keepalived_release_master_total', 'release_master', 'Released master'],
  ['keepalived_packet_length_errors_total', 'packet_len_err', 'Packet length errors'],
  ['keepalived_advertisements_interval_errors_total', 'advert_interval_err', 'Advertisement interval errors'],
  ['keepalived_ip_ttl_errors_total', 'ip_ttl_err', 'TTL errors'],
  ['keepalived_invalid_type_received_total', 'invalid_type_rcvd', 'Invalid type errors'],
  ['keepalived_address_list_errors_total', 'addr_list_err', 'Address list errors'],
  ['keepalived_authentication_invalid_total', 'invalid_authtype', 'Authentication invalid'],
  ['keepalived_authentication_mismatch_total', 'authtype_mismatch', 'Authentication mismatch'],
  ['keepalived_authentication_failure_total', 'auth_failure', 'Authentication failure'],
  ['keepalived_priority_zero_received_total', 'pri_zero_rcvd', 'Priority zero received'],
  ['keepalived_priority_zero_sent_total', 'pri_zero_sent', 'Priority zero sent'],
  ['hotstandby_other_errors_total', 'other_err', 'Invalid packets of classes keepalived does not count (checksum, version, source checks...)'],
];

function esc(v: string | number): string {
  return String(v).replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}

function labels(l: Record<string, string | number>): string {
  return `{${Object.entries(l)
    .map(([k, v]) => `${k}="${esc(v)}"`)
    .join(',')}}`;
}

export function prometheusPage(instances: readonly InstanceMetricView[], failovers: Iterable<HistogramSeries>): string {
  const out: string[] = [];
  out.push('# HELP keepalived_up Status', '# TYPE keepalived_up gauge', 'keepalived_up 1');
  out.push('# HELP keepalived_vrrp_state State of vrrp (0 INIT, 1 BACKUP, 2 MASTER, 3 FAULT, 98 STOP)', '# TYPE keepalived_vrrp_state gauge');
  for (const i of instances) {
    for (const ip of i.vips) out.push(`keepalived_vrrp_state${labels({ iname: i.name, intf: i.interface, vrid: i.vrid, ip_address: ip })} ${KEEPALIVED_STATE[i.state] ?? -1}`);
  }
  for (const [metric, counter, help] of COUNTERS) {
    out.push(`# HELP ${metric} ${help}`, `# TYPE ${metric} counter`);
    for (const i of instances) out.push(`${metric}${labels({ iname: i.name, intf: i.interface, vrid: i.vrid, state: i.state })} ${i.counters[counter] ?? 0}`);
  }
  out.push(
    "# HELP hotstandby_failover_duration_seconds Takeovers: the old master's last advert to the first gratuitous ARP / NA of this node",
    '# TYPE hotstandby_failover_duration_seconds histogram',
  );
  for (const s of failovers) {
    const base = { iname: s.labels.iname, intf: s.labels.intf, vrid: s.labels.vrid };
    let cumulative = 0;
    FAILOVER_BOUNDS_S.forEach((b, idx) => {
      cumulative += s.counts[idx]!;
      out.push(`hotstandby_failover_duration_seconds_bucket${labels({ ...base, le: b })} ${cumulative}`);
    });
    out.push(`hotstandby_failover_duration_seconds_bucket${labels({ ...base, le: '+Inf' })} ${s.count}`);
    out.push(`hotstandby_failover_duration_seconds_sum${labels(base)} ${s.sum}`);
    out.push(`hotstandby_failover_duration_seconds_count${labels(base)} ${s.count}`);
  }
  return out.join('\n') + '\n';
}
