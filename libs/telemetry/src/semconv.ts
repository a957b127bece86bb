// Our own attribute, span, event and metric names, in one place (opentelemetry-js keeps its own in one
// semconv file too). Names follow the OpenTelemetry naming rules: lowercase, dot-separated namespaces,
// `vrrp.*` for the protocol, `hotstandby.*` for the event pipeline. Standard names (service.name,
// messaging.*) come from the OpenTelemetry semantic conventions and are repeated here as strings so
// that no library needs @opentelemetry/semantic-conventions.

// --- VRRP instance identity (RFC 9568 §5.2; keepalived vrrp_instance) ---
export const ATTR_VRRP_VRID = 'vrrp.vrid';
export const ATTR_VRRP_INSTANCE = 'vrrp.instance';
/** The LAN that makes a VRID unique (libs/events domain.ts). */
export const ATTR_VRRP_DOMAIN = 'vrrp.domain';
export const ATTR_VRRP_NODE = 'vrrp.node';
export const ATTR_VRRP_FAMILY = 'vrrp.family';
export const ATTR_VRRP_INTERFACE = 'vrrp.interface';
export const ATTR_VRRP_VERSION = 'vrrp.version';

// --- transitions (RFC 6527 / RFC 8347 reason vocabulary) ---
export const ATTR_VRRP_REASON = 'vrrp.reason';
export const ATTR_VRRP_FROM_STATE = 'vrrp.state.from';
export const ATTR_VRRP_TO_STATE = 'vrrp.state.to';
export const ATTR_VRRP_OLD_MASTER = 'vrrp.master.old';
export const ATTR_VRRP_OLD_MASTER_PRIORITY = 'vrrp.master.old.priority';
export const ATTR_VRRP_NEW_MASTER = 'vrrp.master.new';
export const ATTR_VRRP_PRIORITY = 'vrrp.priority';
export const ATTR_VRRP_EFFECTIVE_PRIORITY = 'vrrp.priority.effective';
/** Master_Adver_Interval, milliseconds. */
export const ATTR_VRRP_ADVERT_INTERVAL_MS = 'vrrp.advert_interval_ms';
/** What RFC 9568 §6.4 says the takeover should take: Master_Down_Interval, or Skew_Time after a priority 0. */
export const ATTR_VRRP_RFC_EXPECTED_LATENCY_MS = 'vrrp.failover.rfc_expected_latency_ms';
/** Last advert heard → the takeover decision (the master-down deadline, or the priority-0 advert). */
export const ATTR_VRRP_MEASURED_LATENCY_MS = 'vrrp.failover.measured_latency_ms';
/** Last advert heard → the first gratuitous ARP / unsolicited NA: what a client on the LAN waits. */
export const ATTR_VRRP_GARP_LATENCY_MS = 'vrrp.failover.garp_latency_ms';
export const ATTR_VRRP_VIPS = 'vrrp.vips';

// --- event pipeline ---
export const ATTR_HS_EVENT_ID = 'hotstandby.event.id';
export const ATTR_HS_EVENT_KIND = 'hotstandby.event.kind';
export const ATTR_HS_ALERT_ID = 'hotstandby.alert.id';
export const ATTR_HS_ALERT_KIND = 'hotstandby.alert.kind';
export const ATTR_HS_ALERT_STATE = 'hotstandby.alert.state';
export const ATTR_HS_ALERT_NODES = 'hotstandby.alert.nodes';
export const ATTR_HS_CHANNEL = 'hotstandby.notify.channel';
export const ATTR_HS_OUTCOME = 'hotstandby.outcome';
export const ATTR_HS_BATCH_SIZE = 'hotstandby.batch.size';
/** OpenTelemetry messaging semantic conventions. */
export const ATTR_MESSAGING_SYSTEM = 'messaging.system';
export const ATTR_MESSAGING_DESTINATION_NAME = 'messaging.destination.name';

// --- span names ---
/** One per takeover: starts at the old master's last advert, ends at the first GARP/NA. */
export const SPAN_VRRP_FAILOVER = 'vrrp.failover';
/** Giving up mastership (higher priority heard, shutdown, fault). */
export const SPAN_VRRP_RELEASE = 'vrrp.release';
/** Any other state change (startup, fault cleared): an instant, so that its event has a trace too. */
export const SPAN_VRRP_TRANSITION = 'vrrp.transition';
export const SPAN_AUDITOR_INGEST = 'auditor.ingest';
export const SPAN_AUDITOR_DETECT = 'auditor.detect';
export const SPAN_NOTIFIER_RECORD = 'notifier.record';
export const SPAN_NOTIFIER_DELIVER = 'notifier.deliver';

// --- span event names (the takeover's steps, in keepalived's order) ---
export const EVENT_MASTER_DOWN_TIMER = 'master-down timer fired';
export const EVENT_SKEW_TIMER = 'skew timer fired';
export const EVENT_PRIORITY_ZERO = 'priority 0 advert received';
export const EVENT_FIRST_ADVERT_SENT = 'first advert sent';
export const EVENT_VIPS_ADDED = 'VIPs added';
export const EVENT_FIRST_GARP_SENT = 'first GARP/NA sent';
export const EVENT_NOTIFY_DONE = 'notify done';
export const EVENT_VIPS_REMOVED = 'VIPs removed';

// --- metric names (OpenTelemetry side; the Prometheus page uses keepalived-exporter names) ---
export const METRIC_VRRP_FAILOVER_DURATION = 'vrrp.failover.duration';
export const METRIC_VRRP_ADVERTS_SENT = 'vrrp.adverts.sent';
export const METRIC_VRRP_ADVERTS_RECEIVED = 'vrrp.adverts.received';
export const METRIC_VRRP_ANOMALIES = 'vrrp.anomalies';
export const METRIC_VRRP_STATE = 'vrrp.state';
export const ATTR_VRRP_ANOMALY_COUNTER = 'vrrp.anomaly.counter';
