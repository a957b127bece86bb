// vrrp-node's metrics, from one source: the runners' keepalived counters and states, read when someone
// asks (a Prometheus scrape, an OTLP export interval) — so the advert path pays nothing — plus a
// failover-duration histogram fed by each completed takeover (instance-telemetry.ts).
//
// Two views of the same numbers:
// - Prometheus text (`--metrics HOST:PORT`, prometheus-page.ts) under the names the common
//   keepalived exporter (mehdy/keepalived-exporter) publishes, labels iname/intf/vrid/state, so its
//   dashboards and alerts work unchanged; plus hotstandby_failover_duration_seconds.
// - OpenTelemetry instruments (exported over OTLP when OTEL_* configures it): vrrp.* names
//   (semconv.ts) with the same counters as attributes.
import type { Meter } from '@opentelemetry/api';
import {
  ATTR_VRRP_ANOMALY_COUNTER,
  ATTR_VRRP_INSTANCE,
  ATTR_VRRP_INTERFACE,
  ATTR_VRRP_VRID,
  METRIC_VRRP_ADVERTS_RECEIVED,
  METRIC_VRRP_ADVERTS_SENT,
  METRIC_VRRP_ANOMALIES,
  METRIC_VRRP_FAILOVER_DURATION,
  METRIC_VRRP_STATE,
} from '@hotstandby/telemetry';
import type { FailoverRecord } from './instance-telemetry.js';

/** What the metrics read from one running instance. */
export interface InstanceMetricView {
  readonly name: string;
  readonly interface: string;
  readonly vrid: number;
  readonly state: string;
  readonly vips: readonly string[];
  readonly counters: Readonly<Record<string, number>>;
}

/** keepalived's numeric states (vrrp.h VRRP_STATE_*), as keepalived_vrrp_state reports them. */
export const KEEPALIVED_STATE: Readonly<Record<string, number>> = { INIT: 0, BACKUP: 1, MASTER: 2, FAULT: 3, STOP: 98 };

/** Counters that are anomalies (the others are adverts and transitions). */
export const ANOMALY_COUNTERS = [
  'packet_len_err',
  'advert_interval_err',
  'ip_ttl_err',
  'invalid_type_rcvd',
  'addr_list_err',
  'invalid_authtype',
  'authtype_mismatch',
  'auth_failure',
  'other_err',
] as const;

/** Histogram bounds in seconds: sub-second (VRRPv3 fast adverts) to the 3.6 s of advert_int 1. */
export const FAILOVER_BOUNDS_S: readonly number[] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 3, 3.5, 3.75, 4, 5, 10];

export interface HistogramSeries {
  readonly labels: { readonly iname: string; readonly intf: string; readonly vrid: number };
  /** Cumulative-ready counts per bound (not cumulative here), plus the +Inf overflow at the end. */
  readonly counts: number[];
  sum: number;
  count: number;
}

/** Failover durations per instance: last advert of the old master → first GARP/NA (and notify done). */
export class FailoverHistogram {
  readonly #series = new Map<string, HistogramSeries>();

  observe(r: FailoverRecord): void {
    const key = `${r.instance}|${r.interface}|${r.vrid}`;
    let s = this.#series.get(key);
    if (!s) {
      s = { labels: { iname: r.instance, intf: r.interface, vrid: r.vrid }, counts: new Array<number>(FAILOVER_BOUNDS_S.length + 1).fill(0), sum: 0, count: 0 };
      this.#series.set(key, s);
    }
    const v = r.durationUs / 1e6;
    let i = FAILOVER_BOUNDS_S.findIndex((b) => v <= b);
    if (i < 0) i = FAILOVER_BOUNDS_S.length;
    s.counts[i]!++;
    s.sum += v;
    s.count++;
  }

  series(): Iterable<HistogramSeries> {
    return this.#series.values();
  }
}

/**
 * Registers the OpenTelemetry instruments (no-ops until an SDK with a metric reader is started).
 * Returns the function that records a completed failover.
 */
export function registerOtelMetrics(meter: Meter, instances: () => Iterable<InstanceMetricView>): (r: FailoverRecord) => void {
  const attrs = (v: InstanceMetricView) => ({ [ATTR_VRRP_INSTANCE]: v.name, [ATTR_VRRP_INTERFACE]: v.interface, [ATTR_VRRP_VRID]: v.vrid });
  const sent = meter.createObservableCounter(METRIC_VRRP_ADVERTS_SENT, { description: 'VRRP advertisements sent (keepalived advert_sent)', unit: '{advertisement}' });
  const rcvd = meter.createObservableCounter(METRIC_VRRP_ADVERTS_RECEIVED, { description: 'Valid VRRP advertisements received (keepalived advert_rcvd)', unit: '{advertisement}' });
  const anomalies = meter.createObservableCounter(METRIC_VRRP_ANOMALIES, { description: 'Invalid or suspicious VRRP packets, by keepalived counter', unit: '{packet}' });
  const state = meter.createObservableGauge(METRIC_VRRP_STATE, { description: 'VRRP state, keepalived numbering: 0 INIT, 1 BACKUP, 2 MASTER, 3 FAULT, 98 STOP' });
  meter.addBatchObservableCallback(
    (r) => {
      for (const v of instances()) {
        const a = attrs(v);
        r.observe(sent, v.counters.advert_sent ?? 0, a);
        r.observe(rcvd, v.counters.advert_rcvd ?? 0, a);
        for (const c of ANOMALY_COUNTERS) r.observe(anomalies, v.counters[c] ?? 0, { ...a, [ATTR_VRRP_ANOMALY_COUNTER]: c });
        r.observe(state, KEEPALIVED_STATE[v.state] ?? -1, a);
      }
    },
    [sent, rcvd, anomalies, state],
  );
  const duration = meter.createHistogram(METRIC_VRRP_FAILOVER_DURATION, {
    description: "Takeover duration: the old master's last advert to the new master's first gratuitous ARP / NA",
    unit: 's',
    advice: { explicitBucketBoundaries: [...FAILOVER_BOUNDS_S] },
  });
  return (r) => duration.record(r.durationUs / 1e6, { [ATTR_VRRP_INSTANCE]: r.instance, [ATTR_VRRP_INTERFACE]: r.interface, [ATTR_VRRP_VRID]: r.vrid, 'vrrp.reason': r.reason });
}
