// Subject names. The node id is a subject token so that a NATS user per node can be allowed to publish
// only `hs.evt.<its node token>.>` (see README "Permissions"). Tokens are encoded (subject-token.ts).
import { decodeSubjectToken, encodeSubjectToken } from './subject-token.js';
import type { AlertKind, EventKind } from './vocabulary.js';
import { ALERT_KINDS, EVENT_KINDS } from './vocabulary.js';

export const EVENT_SUBJECT_PREFIX = 'hs.evt';
export const ALERT_SUBJECT_PREFIX = 'hs.alert';

/** `hs.evt.<nodeId>.<kind>`, e.g. `hs.evt.LVS_DEVEL@node1.transition`. */
export function eventSubject(nodeId: string, kind: EventKind): string {
  return `${EVENT_SUBJECT_PREFIX}.${encodeSubjectToken(nodeId)}.${kind}`;
}

/** Every subject one node publishes on: what its NATS user's publish permission allows. */
export function nodeEventSubjects(nodeId: string): string {
  return `${EVENT_SUBJECT_PREFIX}.${encodeSubjectToken(nodeId)}.>`;
}

/** `hs.alert.<kind>.<domain>`, e.g. `hs.alert.split-brain.10%2E10%2E10%2E0/24`. */
export function alertSubject(kind: AlertKind, domain: string): string {
  return `${ALERT_SUBJECT_PREFIX}.${kind}.${encodeSubjectToken(domain)}`;
}

export type SubjectParse<T> = { ok: true; value: T } | { ok: false; reason: string };

export function parseEventSubject(subject: string): SubjectParse<{ nodeId: string; kind: EventKind }> {
  const parts = subject.split('.');
  if (parts.length !== 4 || `${parts[0]}.${parts[1]}` !== EVENT_SUBJECT_PREFIX) return { ok: false, reason: 'not hs.evt.<node>.<kind>' };
  const kind = parts[3] as EventKind;
  if (!EVENT_KINDS.includes(kind)) return { ok: false, reason: `unknown kind ${parts[3]}` };
  const node = decodeSubjectToken(parts[2]!);
  return node.ok ? { ok: true, value: { nodeId: node.value, kind } } : { ok: false, reason: `node token: ${node.reason}` };
}

export function parseAlertSubject(subject: string): SubjectParse<{ kind: AlertKind; domain: string }> {
  const parts = subject.split('.');
  if (parts.length !== 4 || `${parts[0]}.${parts[1]}` !== ALERT_SUBJECT_PREFIX) return { ok: false, reason: 'not hs.alert.<kind>.<domain>' };
  const kind = parts[2] as AlertKind;
  if (!ALERT_KINDS.includes(kind)) return { ok: false, reason: `unknown kind ${parts[2]}` };
  const domain = decodeSubjectToken(parts[3]!);
  return domain.ok ? { ok: true, value: { kind, domain: domain.value } } : { ok: false, reason: `domain token: ${domain.reason}` };
}
