// Reads back everything a stream holds, in stream order, as parsed events (test helper).
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import type { NodeConnectionOptions } from '@nats-io/transport-node';
import assert from 'node:assert/strict';
import { EVENTS_STREAM, parseEventJson, parseEventSubject } from '@hotstandby/events';
import type { HsEvent } from '@hotstandby/events';

export async function readEvents(opts: NodeConnectionOptions): Promise<HsEvent[]> {
  const nc = await connect(opts);
  try {
    const jsm = await jetstreamManager(nc);
    const info = await jsm.streams.info(EVENTS_STREAM.name);
    const out: HsEvent[] = [];
    for (let seq = info.state.first_seq; seq <= info.state.last_seq && info.state.messages > 0; seq++) {
      const m = await jsm.streams.getMessage(EVENTS_STREAM.name, { seq });
      if (!m) continue;
      const p = parseEventJson(m.data);
      assert.ok(p.ok, p.ok ? '' : `stream seq ${seq}: ${p.reason}`);
      const subj = parseEventSubject(m.subject);
      assert.ok(subj.ok && subj.value.nodeId === p.value.nodeId && subj.value.kind === p.value.kind, `subject ${m.subject} matches the event`);
      assert.equal(m.header?.get('Nats-Msg-Id'), p.value.id, 'msgID is the event id');
      out.push(p.value);
    }
    return out;
  } finally {
    await nc.close();
  }
}

/** Asserts: no id twice; per node and boot, seqs are 0..n gap-free and in stream order. */
export function assertExactlyOnceInOrder(events: readonly HsEvent[]): Map<string, number> {
  const ids = new Set<string>();
  const next = new Map<string, number>();
  for (const e of events) {
    assert.ok(!ids.has(e.id), `duplicate ${e.id}`);
    ids.add(e.id);
    const key = `${e.nodeId}.${e.bootId}`;
    const want = next.get(key) ?? 0;
    assert.equal(e.seq, want, `${key}: expected seq ${want}, got ${e.seq}`);
    next.set(key, want + 1);
  }
  return next;
}

export async function waitFor(what: string, cond: () => boolean | Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
