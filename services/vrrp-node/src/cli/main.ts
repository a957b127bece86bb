// vrrp-node's command line: run (keepalived -n -l), -t (config test), status, inspect.
import { parseArgs } from 'node:util';
import type { ParseArgsConfig } from 'node:util';
import { hostname } from 'node:os';
import { readFileSync, writeFileSync } from 'node:fs';
import { checkConfig, loadConfig, formatDiagnostic } from '../config/load.js';
import { nodeConfigReader } from '../config/include.js';
import { systemScriptHost } from '../scripts/script-host.js';
import { defaultRunDir, runPaths } from '../control/run-dir.js';
import { askNode } from '../control/control-client.js';
import { createLogger } from '../log/logger.js';
import type { BusConnectionOptions } from '../publish/connection-options.js';
import { formatStatus } from './format-status.js';
import { inspectCapture } from './inspect.js';

export const DEFAULT_CONFIG = '/etc/keepalived/keepalived.conf';

const USAGE = `usage:
  vrrp-node [-f FILE] [--log-format text|json] [--run-dir DIR] [--nats URL[,URL...]] ...   run in the foreground
  vrrp-node -t [-f FILE]                                  check the configuration and exit
  vrrp-node status [--json] [-f FILE | --run-dir DIR]     ask a running node
  vrrp-node inspect CAPTURE.pcap [--json] [-f FILE]       decode and validate the VRRP packets of a capture

run options:
  -f, --use-file FILE       keepalived.conf (default ${DEFAULT_CONFIG})
  -t, --config-test         check FILE, print FILE:LINE:COL: problems, exit 0 if it would run
  --log-format text|json    one line per event (default text)
  --run-dir DIR             control socket, pid file, outbox (default /run/hotstandby/<router_id>-<hash>)
  --nats URLS               NATS servers for the event stream (or NATS_URL); without it events stay in the outbox
  --nats-user U, --nats-creds FILE, --nats-nkey FILE, --nats-tls-ca FILE, --nats-tls-cert FILE, --nats-tls-key FILE
                            (password and token only from NATS_PASSWORD / NATS_TOKEN: never on a command line)
  --node-id ID              node identity on the bus (default <router_id>@<primary address>)
  --domain NAME             the LAN name that makes VRIDs unique (default: the interface's network prefix)
  --metrics HOST:PORT       Prometheus page at http://HOST:PORT/metrics (keepalived-exporter names)
                            (OpenTelemetry: OTEL_EXPORTER_OTLP_ENDPOINT etc.; traces and OTLP metrics off unless set)
  --outbox-max-bytes N      cap on unpublished events kept on disk (default 32 MiB)
  --nats-replicas N         replicas of the events stream when this node creates it (NATS cluster; default 1)
  -i, --config-id ID        keepalived's config id for @ID lines (default: the host name)
  -n, -l, -D                accepted for keepalived compatibility (always foreground, logs to stderr)
`;

export async function main(argv: string[]): Promise<number> {
  const sub = argv[0];
  if (sub === 'status') return status(argv.slice(1));
  if (sub === 'inspect') return inspect(argv.slice(1));
  if (sub === 'help' || argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(USAGE);
    return 0;
  }
  return run(argv);
}

function parse(argv: string[], options: NonNullable<ParseArgsConfig['options']>, allowPositionals = false): ReturnType<typeof parseArgs> | undefined {
  try {
    return parseArgs({ args: argv, options, allowPositionals, strict: true });
  } catch (err) {
    process.stderr.write(`vrrp-node: ${err instanceof Error ? err.message : String(err)}\n${USAGE}`);
    return undefined;
  }
}

async function run(argv: string[]): Promise<number> {
  const a = parse(argv, {
    'use-file': { type: 'string', short: 'f' },
    'config-test': { type: 'boolean', short: 't' },
    'dont-fork': { type: 'boolean', short: 'n' },
    'log-console': { type: 'boolean', short: 'l' },
    'log-detail': { type: 'boolean', short: 'D' },
    'log-format': { type: 'string' },
    'run-dir': { type: 'string' },
    nats: { type: 'string' },
    'nats-user': { type: 'string' },
    'nats-creds': { type: 'string' },
    'nats-nkey': { type: 'string' },
    'nats-tls-ca': { type: 'string' },
    'nats-tls-cert': { type: 'string' },
    'nats-tls-key': { type: 'string' },
    'node-id': { type: 'string' },
    domain: { type: 'string' },
    'outbox-max-bytes': { type: 'string' },
    metrics: { type: 'string' },
    'nats-replicas': { type: 'string' },
    'config-id': { type: 'string', short: 'i' },
  });
  if (!a) return 2;
  const v = a.values as Record<string, string | boolean | undefined>;
  const file = (v['use-file'] as string | undefined) ?? DEFAULT_CONFIG;
  // keepalived -i: the id that selects `@ID` lines; keepalived's default is the host name.
  const reader = { ...nodeConfigReader(), hostname: hostname(), configId: (v['config-id'] as string | undefined) ?? hostname().split('.')[0]!, scriptHost: systemScriptHost() };
  if (v['config-test'] === true) {
    const r = checkConfig(file, reader);
    for (const line of r.lines) process.stderr.write(line + '\n');
    return r.exitCode;
  }
  const format = (v['log-format'] as string | undefined) ?? 'text';
  if (format !== 'text' && format !== 'json') {
    process.stderr.write(`vrrp-node: --log-format must be text or json (got ${format})\n`);
    return 2;
  }
  const log = createLogger({ format: format, debug: v['log-detail'] === true });
  const loaded = loadConfig(file, reader);
  for (const d of loaded.diagnostics) log[d.severity === 'error' ? 'error' : 'warn'](formatDiagnostic(d));
  if (!loaded.config) return 1;
  if (loaded.config.instances.length === 0) {
    log.error(`${file}: no vrrp_instance to run`);
    return 1;
  }
  const natsUrl = (v.nats as string | undefined) ?? process.env.NATS_URL;
  const bus: BusConnectionOptions | undefined = natsUrl
    ? {
        servers: natsUrl.split(',').map((s) => s.trim()).filter(Boolean),
        ...(v['nats-user'] !== undefined ? { user: v['nats-user'] as string } : {}),
        ...(process.env.NATS_PASSWORD !== undefined ? { password: process.env.NATS_PASSWORD } : {}),
        ...(process.env.NATS_TOKEN !== undefined ? { token: process.env.NATS_TOKEN } : {}),
        ...(v['nats-creds'] !== undefined ? { credsFile: v['nats-creds'] as string } : {}),
        ...(v['nats-nkey'] !== undefined ? { nkeySeedFile: v['nats-nkey'] as string } : {}),
        ...(v['nats-tls-ca'] !== undefined || v['nats-tls-cert'] !== undefined
          ? { tls: { caFile: v['nats-tls-ca'] as string | undefined, certFile: v['nats-tls-cert'] as string | undefined, keyFile: v['nats-tls-key'] as string | undefined } }
          : {}),
      }
    : undefined;
  const runDir = (v['run-dir'] as string | undefined) ?? defaultRunDir(file, loaded.config.global.routerId);
  // Loaded lazily: config tests, status and inspect need no native addon.
  const { Daemon } = await import('../daemon/daemon.js');
  const { NetlinkVipOps } = await import('../daemon/netlink-vips.js');
  const { buildStatus } = await import('../daemon/status.js');
  // OpenTelemetry (off unless OTEL_* configures it) and --metrics, before the first transition.
  const { NodeTelemetry } = await import('../telemetry/node-telemetry.js');
  const tel = await NodeTelemetry.start(v.metrics as string | undefined);
  if (!tel.ok) {
    log.error(tel.reason);
    return 2;
  }
  const vips = await NetlinkVipOps.open();
  let daemon;
  try {
    daemon = new Daemon({
      config: loaded.config,
      configPath: file,
      runDir,
      log,
      vips,
      ...(bus ? { bus } : {}),
      ...(v['node-id'] !== undefined ? { nodeId: v['node-id'] as string } : {}),
      ...(v.domain !== undefined ? { domain: v.domain as string } : {}),
      ...(v['outbox-max-bytes'] !== undefined ? { outboxMaxBytes: Number(v['outbox-max-bytes']) } : {}),
      ...(v['nats-replicas'] !== undefined ? { streamReplicas: Number(v['nats-replicas']) } : {}),
      onFailover: tel.telemetry.onFailover,
    });
    await daemon.start();
    const metricsUrl = await tel.telemetry.attach(daemon);
    if (metricsUrl !== undefined) log.info('metrics: Prometheus page at ' + metricsUrl);
  } catch (err) {
    log.error(`cannot start: ${err instanceof Error ? err.message : String(err)}`);
    vips.close();
    return 1;
  }
  log.info(`vrrp-node started`, { node: daemon.nodeId, instances: loaded.config.instances.length, runDir, bus: bus ? bus.servers.join(',') : 'none' });
  const d = daemon;
  return new Promise<number>((resolve) => {
    const stop = (sig: string): void => {
      log.info(`${sig}: stopping`);
      d.stop().then(
        () => {
          // Everything that matters is done (resigned, VIPs removed, events in the outbox). Neither a
          // socket stuck in a hung NATS connect nor a telemetry exporter may keep the process alive.
          setTimeout(() => process.exit(0), 3000).unref();
          void tel.telemetry.shutdown().then(() => resolve(0));
        },
        (err: unknown) => {
          log.error('stop failed', { error: err instanceof Error ? err.message : String(err) });
          resolve(1);
        },
      );
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
    // keepalived's SIGUSR1 (dump data) and SIGUSR2 (dump statistics) write files; here they write the
    // status (as `vrrp-node status --json`) into the run dir. The listeners also keep Node from
    // opening its debugger on SIGUSR1 (its default) or dying on SIGUSR2.
    const dump = (sig: string, name: string): void => {
      const path = `${runDir}/${name}`;
      try {
        writeFileSync(path, JSON.stringify(buildStatus(d), null, 2) + '\n');
        log.info(`${sig}: status written`, { path });
      } catch (err) {
        log.warn(`${sig}: cannot write ${path}`, { error: err instanceof Error ? err.message : String(err) });
      }
    };
    process.on('SIGUSR1', () => dump('SIGUSR1', 'vrrp-node.data'));
    process.on('SIGUSR2', () => dump('SIGUSR2', 'vrrp-node.stats'));
    // SIGHUP: reload as keepalived does. A configuration with errors is refused (the running one stays).
    let reloading = Promise.resolve();
    process.on('SIGHUP', () => {
      reloading = reloading.then(async () => {
        const next = loadConfig(file, reader);
        for (const d of next.diagnostics) log[d.severity === 'error' ? 'error' : 'warn'](formatDiagnostic(d));
        if (!next.config) {
          log.error('SIGHUP: the new configuration has errors; still running the previous one');
          return;
        }
        try {
          const r = await d.reload(next.config);
          log.info('SIGHUP: configuration reloaded', { kept: r.kept.join(',') || undefined, restarted: r.restarted.join(',') || undefined, added: r.added.join(',') || undefined, removed: r.removed.join(',') || undefined });
        } catch (err) {
          log.error('SIGHUP: reload failed', { error: err instanceof Error ? err.message : String(err) });
        }
      });
    });
  });
}

async function status(argv: string[]): Promise<number> {
  const a = parse(argv, { json: { type: 'boolean' }, 'use-file': { type: 'string', short: 'f' }, 'run-dir': { type: 'string' } });
  if (!a) return 2;
  const v = a.values as Record<string, string | boolean | undefined>;
  let dir = v['run-dir'] as string | undefined;
  if (dir === undefined) {
    const file = (v['use-file'] as string | undefined) ?? DEFAULT_CONFIG;
    const loaded = loadConfig(file, { ...nodeConfigReader(), hostname: hostname() });
    if (!loaded.config) {
      for (const d of loaded.diagnostics) process.stderr.write(formatDiagnostic(d) + '\n');
      return 1;
    }
    dir = defaultRunDir(file, loaded.config.global.routerId);
  }
  try {
    const result = await askNode(runPaths(dir).socket, 'status');
    process.stdout.write(v.json === true ? JSON.stringify(result, null, 2) + '\n' : formatStatus(result as never));
    return 0;
  } catch (err) {
    process.stderr.write(`vrrp-node status: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
}

function inspect(argv: string[]): number {
  const a = parse(argv, { json: { type: 'boolean' }, 'use-file': { type: 'string', short: 'f' } }, true);
  if (!a) return 2;
  const v = a.values as Record<string, string | boolean | undefined>;
  const capture = a.positionals[0];
  if (capture === undefined) {
    process.stderr.write(`vrrp-node inspect: which capture file?\n${USAGE}`);
    return 2;
  }
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(capture);
  } catch (err) {
    process.stderr.write(`vrrp-node inspect: cannot read ${capture}: ${(err as NodeJS.ErrnoException).code ?? String(err)}\n`);
    return 1;
  }
  let config;
  const file = v['use-file'] as string | undefined;
  if (file !== undefined) {
    const loaded = loadConfig(file, { ...nodeConfigReader(), hostname: hostname() });
    for (const d of loaded.diagnostics) process.stderr.write(formatDiagnostic(d) + '\n');
    if (!loaded.config) return 1;
    config = loaded.config;
  }
  const r = inspectCapture(bytes, config);
  if (!r.ok) {
    process.stderr.write(`vrrp-node inspect: ${capture}: ${r.reason}\n`);
    return 1;
  }
  for (const p of r.packets) process.stdout.write((v.json === true ? JSON.stringify(p) : p.line) + '\n');
  return 0;
}
