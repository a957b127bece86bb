// Untrusted input from the bus becomes a value with a reason, never a throw (DESIGN.md rule 4).
//
// This runs once per bus message in the auditor's ingest, so its cost is the auditor's ceiling: the
// schemas are AOT-compiled once (zod `compile`: a generated fast path for valid input, the ordinary
// parser — and so the same issues — for invalid input), one decoder is shared, and the secret-key scan
// builds a path string only for the key it reports. Before all that, accept-event.ts answers for the
// events that are certainly valid as they are (nearly all of them), at a fraction of the cost.
import { compile } from 'zod';
import { acceptEvent } from './accept-event.js';
import { parseEventId } from './event-id.js';
import type { Alert, HsEvent } from './schemas.js';
import { alertSchema, eventSchema } from './schemas.js';
import { SCHEMA_VERSION } from './schema-version.js';

export type ParseResult<T> = { ok: true; value: T } | { ok: false; reason: string };

/** Keys that would carry a credential. Events never have them; a message that does is refused. */
const SECRET_KEY = /^(auth_?pass|authpass|password|passwd|secret|token|creds?|credentials|nkey|seed|private_?key)$/i;

/** Compiled once; the exported schemas stay as they are (the clone shares their children). */
const compiledEventSchema = compile(eventSchema);
const compiledAlertSchema = compile(alertSchema);

/** UTF-8 without `fatal`: invalid bytes become U+FFFD and then fail JSON or the schema with a reason. */
const utf8 = new TextDecoder();

/** Path of the first key anywhere in `value` that looks like a secret, or undefined. */
export function findSecretKey(value: unknown, path = '$'): string | undefined {
  const trail: (string | number)[] = [];
  if (!secretTrail(value, trail)) return undefined;
  let out = path;
  for (const step of trail) out += typeof step === 'number' ? `[${step}]` : `.${step}`;
  return out;
}

/** Depth-first in key order; on a hit, `trail` holds the steps from `value` to the key (the key last). */
function secretTrail(value: unknown, trail: (string | number)[]): boolean {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const v: unknown = value[i];
      if (v === null || typeof v !== 'object') continue;
      trail.push(i);
      if (secretTrail(v, trail)) return true;
      trail.pop();
    }
  } else if (value !== null && typeof value === 'object') {
    for (const k of Object.keys(value)) {
      if (SECRET_KEY.test(k)) {
        trail.push(k);
        return true;
      }
      const v: unknown = (value as Record<string, unknown>)[k];
      if (v === null || typeof v !== 'object') continue;
      trail.push(k);
      if (secretTrail(v, trail)) return true;
      trail.pop();
    }
  }
  return false;
}

function describe(issues: readonly { path: readonly PropertyKey[]; message: string }[]): string {
  return issues
    .slice(0, 3)
    .map((i) => `${i.path.map(String).join('.') || '(root)'}: ${i.message}`)
    .join('; ');
}

/** Bytes or text of a message → JSON → event. */
export function parseEventJson(data: Uint8Array | string): ParseResult<HsEvent> {
  const r = parseEventMessage(data);
  return r.ok ? { ok: true, value: r.value } : r;
}

/**
 * parseEventJson, plus the message's JSON text when that text is exactly the event — nothing was
 * stripped or changed (accept-event.ts) — so a consumer may store it rather than serialise the event
 * again. `json` parses back to `value`; the key order and spelling are the producer's.
 */
export function parseEventMessage(data: Uint8Array | string): { ok: true; value: HsEvent; json: string | undefined } | { ok: false; reason: string } {
  const text = typeof data === 'string' ? data : utf8.decode(data);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, reason: 'not JSON' };
  }
  const r = checkEvent(value);
  return r.ok ? { ok: true, value: r.value, json: r.exact ? text : undefined } : r;
}

/** Validates an event: schema version, shape, id = nodeId.bootId.seq, no secret-looking keys. */
export function parseEvent(value: unknown): ParseResult<HsEvent> {
  const r = checkEvent(value);
  return r.ok ? { ok: true, value: r.value } : r;
}

/** parseEvent; `exact`: the value is the input itself, unchanged (the fast path took it). */
function checkEvent(value: unknown): { ok: true; value: HsEvent; exact: boolean } | { ok: false; reason: string } {
  if (value === null || typeof value !== 'object') return { ok: false, reason: 'not an object' };
  const version = (value as { schema?: unknown }).schema;
  if (version !== SCHEMA_VERSION) return { ok: false, reason: `unsupported schema version ${JSON.stringify(version)}` };
  // Accepted here, it has only the schema's keys, so no secret-looking one.
  let event = acceptEvent(value);
  const exact = event !== undefined;
  if (event === undefined) {
    const secret = findSecretKey(value);
    if (secret) return { ok: false, reason: `secret-looking key ${secret}` };
    const r = compiledEventSchema.safeParse(value);
    if (!r.success) return { ok: false, reason: describe(r.error.issues) };
    event = r.data;
  }
  const id = parseEventId(event.id);
  if (!id.ok) return { ok: false, reason: `id: ${id.reason}` };
  const { nodeId, bootId, seq } = id.parts;
  if (nodeId !== event.nodeId || bootId !== event.bootId || seq !== event.seq) {
    return { ok: false, reason: 'id does not match nodeId.bootId.seq' };
  }
  if (event.kind === 'gap') {
    const k = event.lostByKind;
    if (k.transition + k.anomaly + k.heartbeat + k.gap + k.unknown !== event.lost) return { ok: false, reason: 'lostByKind does not sum to lost' };
  }
  return { ok: true, value: event, exact };
}

export function parseAlert(value: unknown): ParseResult<Alert> {
  if (value === null || typeof value !== 'object') return { ok: false, reason: 'not an object' };
  const version = (value as { schema?: unknown }).schema;
  if (version !== SCHEMA_VERSION) return { ok: false, reason: `unsupported schema version ${JSON.stringify(version)}` };
  const secret = findSecretKey(value);
  if (secret) return { ok: false, reason: `secret-looking key ${secret}` };
  const r = compiledAlertSchema.safeParse(value);
  return r.success ? { ok: true, value: r.data } : { ok: false, reason: describe(r.error.issues) };
}

/** The JetStream msgID of an alert message: raised and resolved of one incident are distinct messages. */
export function alertMessageId(alert: Pick<Alert, 'id' | 'state'>): string {
  return `${alert.id}.${alert.state}`;
}
