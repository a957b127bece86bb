// What a channel sends next, from its pending queue (pure). Alerts of one incident — same state, same
// domain and VRID, arriving within the group window of the first — become one message. The head of
// the queue waits until its window has passed, so late members of the group can join it.
//
// Order: a channel delivers in queue order, except that a group pulls its later members forward. A
// resolved alert never overtakes its own raised alert: it joins a group only if its raised is not
// still waiting in the queue ahead of it.

export interface QueuedItem {
  /** Queue position (the store's serial id). */
  readonly id: number;
  readonly kind: 'raised' | 'resolved' | 'health' | 'test';
  /** The incident (Alert.id); for health/test, their own id. */
  readonly incidentId: string;
  /** `<domain>|<vrid>`: what makes alerts one group. */
  readonly groupKey: string;
  readonly receivedAtMs: number;
}

export interface PlanOptions {
  readonly groupWindowMs: number;
  readonly maxGroup: number;
}

export type Plan = { readonly do: 'idle' } | { readonly do: 'wait'; readonly untilMs: number } | { readonly do: 'send'; readonly ids: readonly number[] };

/** `queue` is the channel's pending items in id order. */
export function planNext(queue: readonly QueuedItem[], nowMs: number, opts: PlanOptions): Plan {
  const head = queue[0];
  if (!head) return { do: 'idle' };
  if (head.kind === 'health' || head.kind === 'test') return { do: 'send', ids: [head.id] };
  const closesAt = head.receivedAtMs + opts.groupWindowMs;
  if (nowMs < closesAt) return { do: 'wait', untilMs: closesAt };
  const ids = [head.id];
  for (const item of queue.slice(1)) {
    if (ids.length >= opts.maxGroup) break;
    if (item.kind !== head.kind || item.groupKey !== head.groupKey || item.receivedAtMs > closesAt) continue;
    if (item.kind === 'resolved' && queue.some((q) => q.kind === 'raised' && q.incidentId === item.incidentId && q.id < item.id)) continue;
    ids.push(item.id);
  }
  return { do: 'send', ids };
}
