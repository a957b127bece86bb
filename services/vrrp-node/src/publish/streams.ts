// Idempotent stream provisioning: create the streams if missing, otherwise update the settings we own
// (subjects, duplicate window, max age, replicas) and leave the rest as the operator set them.
// Run by the node at start (if its NATS user may) or by a setup command.
import { DiscardPolicy, RetentionPolicy, StorageType } from '@nats-io/jetstream';
import type { JetStreamManager, StreamConfig, StreamInfo } from '@nats-io/jetstream';
import { ALERTS_STREAM, EVENTS_STREAM } from '@hotstandby/events';
import type { StreamDefinition } from '@hotstandby/events';
import { nanos } from '@nats-io/transport-node';

export interface EnsureStreamsOptions {
  /** 1 for a single server; 3 for a NATS cluster. */
  readonly replicas?: number;
  /** Override the contract's duplicate window (must exceed the outbox replay horizon). */
  readonly duplicateWindowMs?: number;
  readonly maxAgeMs?: number;
  /** Which streams: default both. A node only needs the events stream. */
  readonly streams?: readonly StreamDefinition[];
}

export async function ensureStreams(jsm: JetStreamManager, opts: EnsureStreamsOptions = {}): Promise<StreamInfo[]> {
  const out: StreamInfo[] = [];
  for (const def of opts.streams ?? [EVENTS_STREAM, ALERTS_STREAM]) {
    const wanted: Partial<StreamConfig> & { name: string } = {
      name: def.name,
      subjects: [...def.subjects],
      retention: RetentionPolicy.Limits,
      storage: StorageType.File,
      discard: DiscardPolicy.Old,
      num_replicas: opts.replicas ?? 1,
      duplicate_window: nanos(opts.duplicateWindowMs ?? def.duplicateWindowMs),
      max_age: nanos(opts.maxAgeMs ?? def.maxAgeMs),
    };
    const existing = await jsm.streams.info(def.name).catch((err: unknown) => {
      if (isStreamNotFound(err)) return undefined;
      throw err;
    });
    if (!existing) {
      out.push(await jsm.streams.add(wanted));
      continue;
    }
    const c = existing.config;
    const same =
      c.subjects.join(',') === wanted.subjects!.join(',') &&
      c.duplicate_window === wanted.duplicate_window &&
      c.max_age === wanted.max_age &&
      c.num_replicas === wanted.num_replicas;
    if (same) {
      out.push(existing);
      continue;
    }
    const { name: _name, retention: _r, storage: _s, ...update } = wanted;
    out.push(await jsm.streams.update(def.name, update));
  }
  return out;
}

function isStreamNotFound(err: unknown): boolean {
  return err instanceof Error && (err.name === 'StreamNotFoundError' || /stream not found/i.test(err.message));
}
