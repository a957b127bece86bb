// Serves the timeline page: /timeline (HTML), /timeline/app.js, /timeline/app.css. The notifier links to
// `<AUDITOR_URL>/timeline?domain=&vrid=&at=`. The assets are static and hold no data, so they are served
// without the bearer token; the page sends the token (asked for on a 401) with its API calls.
import type { ServerResponse } from 'node:http';
import { TIMELINE_HTML } from './page.js';
import { TIMELINE_SCRIPT } from './script.js';
import { TIMELINE_CSS } from './style.js';

/** Only the auditor's own origin: no CDN, no fonts, no inline script, no framing. */
export const TIMELINE_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

const ASSETS: ReadonlyMap<string, { type: string; body: string }> = new Map([
  ['/timeline', { type: 'text/html; charset=utf-8', body: TIMELINE_HTML }],
  ['/timeline/app.js', { type: 'text/javascript; charset=utf-8', body: TIMELINE_SCRIPT }],
  ['/timeline/app.css', { type: 'text/css; charset=utf-8', body: TIMELINE_CSS }],
]);

/** Answers the request if it is for the timeline page; false otherwise (the caller routes on). */
export function serveTimelineAsset(url: { pathname: string; search: string }, res: ServerResponse): boolean {
  if (url.pathname === '/timeline/') {
    // The page's asset and API URLs are relative to /timeline; keep the query (domain, vrid, at).
    res.writeHead(308, { location: `../timeline${url.search}` });
    res.end();
    return true;
  }
  const asset = ASSETS.get(url.pathname);
  if (!asset) return false;
  res.writeHead(200, {
    'content-type': asset.type,
    'content-length': Buffer.byteLength(asset.body),
    'cache-control': 'no-cache',
    'content-security-policy': TIMELINE_CSP,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
  });
  res.end(asset.body);
  return true;
}
