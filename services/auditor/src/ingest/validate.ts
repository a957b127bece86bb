// Validation of one bus message before anything is written (DESIGN.md rule 4): the event schema, and the
// subject must name the same node and kind as the event (per-node publish permissions make the subject
// the trustworthy part). Runs once per message, so it is on the ingest hot path.
import { parseEventMessage, parseEventSubject } from '@hotstandby/events';
import type { HsEvent } from '@hotstandby/events';
import type { IncomingMessage } from './batch.js';

type SubjectResult = ReturnType<typeof parseEventSubject>;

/**
 * A fleet publishes on a few subjects (nodes × kinds), and decoding a subject token is costly (a fatal
 * UTF-8 decoder per call), so answers are remembered. Bounded: a flood of distinct bogus subjects empties
 * the cache rather than growing it.
 */
const SUBJECT_CACHE_MAX = 4096;
const subjects = new Map<string, SubjectResult>();

export function parseSubjectCached(subject: string): SubjectResult {
  let r = subjects.get(subject);
  if (r === undefined) {
    r = parseEventSubject(subject);
    if (subjects.size >= SUBJECT_CACHE_MAX) subjects.clear();
    subjects.set(subject, r);
  }
  return r;
}

/** The event of a message; `json`: the message's text when it is exactly the event (parseEventMessage). */
export function validateMessage(m: IncomingMessage): { ok: true; event: HsEvent; json: string | undefined } | { ok: false; reason: string } {
  const parsed = parseEventMessage(m.data);
  if (!parsed.ok) return parsed;
  const subject = parseSubjectCached(m.subject);
  if (!subject.ok) return { ok: false, reason: `subject: ${subject.reason}` };
  const { nodeId, kind } = subject.value;
  if (nodeId !== parsed.value.nodeId) return { ok: false, reason: `subject node ${nodeId} is not the event's ${parsed.value.nodeId}` };
  if (kind !== parsed.value.kind) return { ok: false, reason: `subject kind ${kind} is not the event's ${parsed.value.kind}` };
  return { ok: true, event: parsed.value, json: parsed.json };
}
