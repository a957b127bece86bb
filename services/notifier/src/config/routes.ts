// The optional routing file (`--config routes.json`): which alerts go to which channels, plus the
// delivery knobs. Secrets never live here (they come from the environment). First matching route wins,
// so a route with `"channels": []` silences what it matches; with no match, `default` applies.
//
//   { "routes": [ { "kinds": ["flapping"], "channels": ["email"] },
//                 { "severities": ["critical"], "domains": ["10.10.10.0/24"], "channels": ["slack", "email"] } ],
//     "default": ["slack"],
//     "groupWindowMs": 5000,
//     "rateLimit": { "email": { "burst": 3, "perMinute": 2 } },
//     "retry": { "maxElapsedMs": 600000 } }
import { z } from 'zod';
import { ALERT_KINDS } from '@hotstandby/events';
import type { Alert } from '@hotstandby/events';
import { CHANNELS } from '../alert/notice.js';
import type { Channel } from '../alert/notice.js';
import { SEVERITIES, severityOf } from '../alert/severity.js';

const channel = z.enum(CHANNELS);
const route = z.strictObject({
  kinds: z.array(z.enum(ALERT_KINDS)).optional(),
  severities: z.array(z.enum(SEVERITIES)).optional(),
  /** Exact domain strings (as in the alert, e.g. `10.10.10.0/24`). */
  domains: z.array(z.string().min(1)).optional(),
  channels: z.array(channel),
});
const rateLimit = z.strictObject({ burst: z.number().int().min(1), perMinute: z.number().positive() });

export const routesFileSchema = z.strictObject({
  routes: z.array(route).default([]),
  default: z.array(channel).optional(),
  groupWindowMs: z.number().int().min(0).optional(),
  maxGroup: z.number().int().min(1).max(100).optional(),
  rateLimit: z.partialRecord(channel, rateLimit).optional(),
  retry: z
    .strictObject({
      baseMs: z.number().int().min(1).optional(),
      capMs: z.number().int().min(1).optional(),
      maxAttempts: z.number().int().min(1).optional(),
      maxElapsedMs: z.number().int().min(0).optional(),
    })
    .optional(),
});
export type RoutesFile = z.infer<typeof routesFileSchema>;
export type Route = z.infer<typeof route>;

export type ConfigResult<T> = { ok: true; value: T } | { ok: false; reason: string };

/** Text of a routes file → its value, or the first problems with their JSON paths. */
export function parseRoutesFile(text: string): ConfigResult<RoutesFile> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    return { ok: false, reason: `not JSON: ${(err as Error).message}` };
  }
  const r = routesFileSchema.safeParse(json);
  if (r.success) return { ok: true, value: r.data };
  const reason = r.error.issues
    .slice(0, 3)
    .map((i) => `${i.path.map(String).join('.') || '(root)'}: ${i.message}`)
    .join('; ');
  return { ok: false, reason };
}

function matches(r: Route, alert: Pick<Alert, 'kind' | 'domain'>): boolean {
  return (
    (!r.kinds || r.kinds.includes(alert.kind)) &&
    (!r.severities || r.severities.includes(severityOf(alert.kind))) &&
    (!r.domains || r.domains.includes(alert.domain))
  );
}

/**
 * The channels an alert goes to: the first matching route's, else the file's default, else every
 * enabled channel. Channels that are not enabled (no URL/credentials configured) are dropped.
 */
export function routeAlert(file: RoutesFile | undefined, enabled: readonly Channel[], alert: Pick<Alert, 'kind' | 'domain'>): Channel[] {
  const hit = file?.routes.find((r) => matches(r, alert));
  const wanted = hit ? hit.channels : (file?.default ?? enabled);
  return [...new Set(wanted)].filter((c) => enabled.includes(c));
}
