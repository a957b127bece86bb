// `--metrics HOST:PORT`: GET /metrics answers the Prometheus page. Read-only, no secrets in it (names,
// interfaces, VRIDs, VIPs and counters — what `vrrp-node status` shows). A scrape reads counters
// already in memory; it never touches the VRRP path.
import { createServer } from 'node:http';
import type { Server } from 'node:http';

export interface MetricsEndpoint {
  readonly url: string;
  close(): Promise<void>;
}

/** Parses HOST:PORT ([v6]:PORT too); a value, never a throw. */
export function parseListen(value: string): { ok: true; host: string; port: number } | { ok: false; reason: string } {
  const m = /^(?:\[([^\]]+)\]|([^:]*)):(\d{1,5})$/.exec(value.trim());
  if (!m) return { ok: false, reason: `--metrics wants HOST:PORT (got ${JSON.stringify(value)})` };
  const port = Number(m[3]);
  if (port > 65535) return { ok: false, reason: `--metrics: port ${port} out of range` };
  return { ok: true, host: m[1] ?? (m[2] === '' ? '0.0.0.0' : m[2]!), port };
}

export async function startMetricsEndpoint(host: string, port: number, page: () => string): Promise<MetricsEndpoint> {
  const server: Server = createServer((req, res) => {
    if (req.method !== 'GET' || (req.url !== '/metrics' && !req.url?.startsWith('/metrics?'))) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('try /metrics\n');
      return;
    }
    let body: string;
    try {
      body = page();
    } catch (err) {
      res.writeHead(500, { 'content-type': 'text/plain' }).end(`${err instanceof Error ? err.message : String(err)}\n`);
      return;
    }
    res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' }).end(body);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const addr = server.address();
  const where = typeof addr === 'object' && addr ? `${addr.family === 'IPv6' ? `[${addr.address}]` : addr.address}:${addr.port}` : `${host}:${port}`;
  return {
    url: `http://${where}/metrics`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
