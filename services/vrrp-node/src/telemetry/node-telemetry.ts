// Telemetry for one vrrp-node process, set up by the CLI's run() before the daemon starts: the
// OpenTelemetry SDK (once; off unless OTEL_* configures it), the metric instruments, and the Prometheus
// endpoint of `--metrics HOST:PORT`.
import { metrics } from '@opentelemetry/api';
import { startTelemetry } from '@hotstandby/telemetry-sdk';
import type { Telemetry } from '@hotstandby/telemetry-sdk';
import type { Daemon } from '../daemon/daemon.js';
import type { FailoverRecord } from './instance-telemetry.js';
import { TRACER_NAME } from './instance-telemetry.js';
import type { InstanceMetricView } from './metrics.js';
import { FailoverHistogram, registerOtelMetrics } from './metrics.js';
import type { MetricsEndpoint } from './metrics-server.js';
import { parseListen, startMetricsEndpoint } from './metrics-server.js';
import { prometheusPage } from './prometheus-page.js';

export function instanceViews(d: Daemon | undefined): InstanceMetricView[] {
  if (!d) return [];
  const out: InstanceMetricView[] = [];
  for (const [, x] of d.instances) {
    const r = x.runner;
    out.push({ name: r.model.name, interface: r.model.interface, vrid: r.config.vrid, state: r.state.kind, vips: r.config.virtualAddresses, counters: r.counters as unknown as Record<string, number> });
  }
  return out;
}

export class NodeTelemetry {
  readonly #sdk: Telemetry;
  readonly #histogram = new FailoverHistogram();
  readonly #record: (r: FailoverRecord) => void;
  readonly #listen: { host: string; port: number } | undefined;
  #daemon: Daemon | undefined;
  #endpoint: MetricsEndpoint | undefined;

  private constructor(sdk: Telemetry, listen: { host: string; port: number } | undefined) {
    this.#sdk = sdk;
    this.#listen = listen;
    this.#record = registerOtelMetrics(metrics.getMeter(TRACER_NAME), () => instanceViews(this.#daemon));
  }

  /** `metricsListen` is the --metrics value; a bad one is an error message, not a throw. */
  static async start(metricsListen: string | undefined): Promise<{ ok: true; telemetry: NodeTelemetry } | { ok: false; reason: string }> {
    let listen: { host: string; port: number } | undefined;
    if (metricsListen !== undefined) {
      const p = parseListen(metricsListen);
      if (!p.ok) return p;
      listen = { host: p.host, port: p.port };
    }
    return { ok: true, telemetry: new NodeTelemetry(await startTelemetry({ serviceName: 'vrrp-node' }), listen) };
  }

  get tracing(): boolean {
    return this.#sdk.tracing;
  }

  /** For DaemonOptions.onFailover. */
  readonly onFailover = (r: FailoverRecord): void => {
    this.#histogram.observe(r);
    this.#record(r);
  };

  /** Once the daemon runs: metrics read it; the Prometheus endpoint opens. Returns its URL. */
  async attach(d: Daemon): Promise<string | undefined> {
    this.#daemon = d;
    if (!this.#listen) return undefined;
    this.#endpoint = await startMetricsEndpoint(this.#listen.host, this.#listen.port, () => prometheusPage(instanceViews(this.#daemon), this.#histogram.series()));
    return this.#endpoint.url;
  }

  /** After the daemon stopped: closes the endpoint, flushes spans still buffered. */
  async shutdown(): Promise<void> {
    await this.#endpoint?.close();
    await this.#sdk.shutdown();
  }
}
