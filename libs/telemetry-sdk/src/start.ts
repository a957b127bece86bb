// Starts the OpenTelemetry Node SDK once per process, from a service's entry point (libraries only use
// @opentelemetry/api, a no-op until this runs). Configuration is the standard OTEL_* environment:
// OTEL_EXPORTER_OTLP_ENDPOINT (or _TRACES_/_METRICS_ variants), OTEL_EXPORTER_OTLP_PROTOCOL
// (http/protobuf by default; http/json), OTEL_TRACES_EXPORTER, OTEL_METRICS_EXPORTER, OTEL_SERVICE_NAME,
// OTEL_RESOURCE_ATTRIBUTES, OTEL_TRACES_SAMPLER, OTEL_BSP_*, OTEL_METRIC_EXPORT_INTERVAL.
//
// Unlike the bare NodeSDK, whose default exporter is OTLP to localhost, exporters are OFF unless
// configured: a vrrp-node on a router must not start sending to a collector nobody set up. With nothing
// configured the SDK is not started at all, so tracing costs nothing (the API's no-op spans). Logs are
// never exported through OpenTelemetry (the services log to stderr).
import type { SpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { MetricReader } from '@opentelemetry/sdk-metrics';

export interface TelemetryOptions {
  /** service.name (OTEL_SERVICE_NAME overrides). */
  readonly serviceName: string;
  readonly serviceVersion?: string;
  /** Default: process.env. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Extra span processors (tests: an in-memory exporter); they turn tracing on. */
  readonly spanProcessors?: readonly SpanProcessor[];
  /** Extra metric readers (tests); they turn metrics on. */
  readonly metricReaders?: readonly MetricReader[];
}

export interface Telemetry {
  readonly tracing: boolean;
  readonly metrics: boolean;
  /** Flushes what is buffered and stops exporting. Never rejects. */
  shutdown(): Promise<void>;
}

const DISABLED: Telemetry = { tracing: false, metrics: false, shutdown: () => Promise.resolve() };

let started: Promise<Telemetry> | undefined;

function listed(v: string | undefined): string[] {
  return (v ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '' && s !== 'null');
}

/** Which signals the environment configures (exporters off unless asked for). */
export function telemetryFromEnv(env: Readonly<Record<string, string | undefined>>): { traces: boolean; metrics: boolean } {
  if (env.OTEL_SDK_DISABLED?.trim().toLowerCase() === 'true') return { traces: false, metrics: false };
  const endpoint = (signal: 'TRACES' | 'METRICS'): boolean => Boolean(env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim() || env[`OTEL_EXPORTER_OTLP_${signal}_ENDPOINT`]?.trim());
  const on = (exporters: string[], signal: 'TRACES' | 'METRICS'): boolean => (exporters.length > 0 ? !exporters.includes('none') : endpoint(signal));
  return { traces: on(listed(env.OTEL_TRACES_EXPORTER), 'TRACES'), metrics: on(listed(env.OTEL_METRICS_EXPORTER), 'METRICS') };
}

/**
 * Starts the SDK if anything is configured; a second call returns the first call's handle (once per
 * process). The SDK is imported only then, so a process without telemetry does not even load it.
 * A collector that is down is the exporter's business (it drops and retries, never blocking the caller).
 */
export function startTelemetry(o: TelemetryOptions): Promise<Telemetry> {
  started ??= start(o);
  return started;
}

async function start(o: TelemetryOptions): Promise<Telemetry> {
  const env = o.env ?? process.env;
  const fromEnv = telemetryFromEnv(env);
  const tracing = fromEnv.traces || (o.spanProcessors?.length ?? 0) > 0;
  const metrics = fromEnv.metrics || (o.metricReaders?.length ?? 0) > 0;
  if (!tracing && !metrics) return DISABLED;
  const { NodeSDK } = await import('@opentelemetry/sdk-node');
  const { envDetector, processDetector } = await import('@opentelemetry/resources');
  const sdk = new NodeSDK({
    serviceName: env.OTEL_SERVICE_NAME ?? o.serviceName,
    // No auto-instrumentation: the spans are ours, and the hot paths stay as they are.
    instrumentations: [],
    // OTEL_RESOURCE_ATTRIBUTES and the process; no host or cloud probing at start-up.
    ...(env.OTEL_NODE_RESOURCE_DETECTORS === undefined ? { resourceDetectors: [envDetector, processDetector] } : {}),
    logRecordProcessors: [],
    // An absent option lets NodeSDK read OTEL_* itself; an empty list turns that signal off.
    ...(o.spanProcessors?.length ? { spanProcessors: [...o.spanProcessors] } : fromEnv.traces ? {} : { spanProcessors: [] }),
    ...(o.metricReaders?.length ? { metricReaders: [...o.metricReaders] } : fromEnv.metrics ? {} : { metricReaders: [] }),
  });
  sdk.start();
  return {
    tracing,
    metrics,
    shutdown: () => sdk.shutdown().catch(() => undefined),
  };
}

/** Tests only: forget the started SDK (after its shutdown) so another can be started. */
export function resetTelemetryForTests(): void {
  started = undefined;
}
