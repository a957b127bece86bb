// The HTTP JSON API (node:http). Read-only; every answer is JSON; bad parameters are 400 with a
// message. A bearer token is required whenever the server listens on a non-loopback address.
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { timingSafeEqual } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Executor } from '../project/store.js';
import { listAlerts } from '../query/alerts.js';
import { eventsPageJson } from '../query/events.js';
import { history } from '../query/history.js';
import { masterAt } from '../query/master-at.js';
import { toIso } from '../time/micros.js';
import { isDatabaseUnavailable } from '../db/unavailable.js';
import type { Parsed } from './params.js';
import { alertsParams, eventsParams, historyParams, masterParams } from './params.js';
import { DEFAULT_DETECT_CONFIG } from '../detect/config.js';
import { serveTimelineAsset } from '../timeline/assets.js';
import { knownRouters, timeline } from '../timeline/query.js';
import { timelineParams } from './timeline-params.js';

export interface ApiOptions {
  db: Executor;
  host: string;
  port: number;
  /** Required (and enforced) when `host` is not loopback. */
  token?: string | undefined;
  health: () => Record<string, unknown>;
}

export class ApiConfigError extends Error {
  override readonly name = 'ApiConfigError';
}

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** Answer JSON already encoded (eventsPageJson). */
class JsonText {
  constructor(readonly text: string) {}
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = body instanceof JsonText ? body.text : JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/**
 * The request target (origin-form, `/path?query`) split at the `?` — no URL object: a WHATWG parse against
 * a made-up origin per request was ~4% of the API process's CPU for GET /api/v1/master (cpu-prof,
 * bench/query.bench.ts), and it only served to find the `?`. Paths are matched exactly, as before (a
 * dot segment or `//` now answers 404 instead of being resolved).
 */
export function splitTarget(target: string): { pathname: string; search: string } {
  const q = target.indexOf('?');
  return q === -1 ? { pathname: target, search: '' } : { pathname: target.slice(0, q), search: target.slice(q) };
}

function authorized(req: IncomingMessage, token: string): boolean {
  const h = req.headers.authorization ?? '';
  const m = /^Bearer (.+)$/.exec(h);
  if (!m) return false;
  const a = Buffer.from(m[1]!);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

export async function startApi(opts: ApiOptions): Promise<{ server: Server; url: string; close(): Promise<void> }> {
  const needToken = !isLoopback(opts.host);
  if (needToken && !opts.token) throw new ApiConfigError(`listening on ${opts.host} (not loopback) needs a bearer token: set AUDITOR_TOKEN`);
  const db = opts.db;

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = splitTarget(req.url ?? '/');
    if (req.method !== 'GET') return send(res, 405, { error: 'only GET' });
    if (url.pathname === '/healthz') {
      const h = { ok: true, ...opts.health() };
      return send(res, h.ok ? 200 : 503, h);
    }
    // The timeline page's static assets carry no data: no token (the page sends it with its API calls).
    if (serveTimelineAsset(url, res)) return;
    if (opts.token && !authorized(req, opts.token)) {
      res.setHeader('www-authenticate', 'Bearer');
      return send(res, 401, { error: 'bearer token required' });
    }
    const q = new URLSearchParams(url.search);
    const answer = async <T>(p: Parsed<T>, run: (v: T) => Promise<unknown>): Promise<void> =>
      p.ok ? send(res, 200, await run(p.value)) : send(res, 400, { error: p.message });
    switch (url.pathname) {
      case '/api/v1/master':
        return answer(masterParams(q), async (v) => ({ vrid: v.vrid, at: toIso(v.at), masters: await masterAt(db, v) }));
      case '/api/v1/history':
        return answer(historyParams(q, Date.now() * 1000), async (v) => ({ vrid: v.vrid, from: toIso(v.from), to: toIso(v.to), intervals: await history(db, v) }));
      case '/api/v1/events':
        return answer(eventsParams(q), async (v) => new JsonText(await eventsPageJson(db, v)));
      case '/api/v1/alerts':
        return answer(alertsParams(q), async (v) => ({ alerts: await listAlerts(db, v) }));
      case '/api/v1/timeline':
        return answer(timelineParams(q, Date.now() * 1000), (v) => timeline(db, v, DEFAULT_DETECT_CONFIG));
      case '/api/v1/vrids':
        return send(res, 200, { routers: await knownRouters(db) });
      default:
        return send(res, 404, { error: `no route ${url.pathname}` });
    }
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      // The database away (restart, crash) is the service's state, reported on /healthz: no stack dump.
      if (isDatabaseUnavailable(err)) {
        if (!res.headersSent) send(res, 503, { error: 'database unavailable, try again' });
        else res.destroy();
        return;
      }
      console.error('auditor api:', err);
      if (!res.headersSent) send(res, 500, { error: 'internal error' });
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => resolve());
  });
  const addr = server.address() as AddressInfo;
  const host = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
  return {
    server,
    url: `http://${host}:${addr.port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
