// Synthetic events for tests and benches: valid per @hotstandby/events, times in seconds after T0.
import { eventSubject, formatWallClockMicros } from '@hotstandby/events';
import type { HeartbeatEvent, HeartbeatInstance, HsEvent, TransitionEvent } from '@hotstandby/events';
import type { IncomingMessage } from '../../src/ingest/batch.js';

export const T0 = Date.UTC(2026, 10, 20, 3, 0, 0) * 1000; // µs
export const DOMAIN = '10.10.10.0/24';

export function at(seconds: number, t0 = T0): string {
  return formatWallClockMicros(BigInt(Math.round(t0 + seconds * 1e6)));
}

/** One node's event source: ids and seqs as the real outbox makes them. */
export class FakeNode {
  seq = 0;
  constructor(
    readonly nodeId: string,
    public bootId = '0192f0a0b0c0aabbccdd',
    /** Time zero (µs) of this node's `t` arguments. */
    readonly t0 = T0,
  ) {}

  private envelope(t: number) {
    const seq = ++this.seq;
    return { id: `${this.nodeId}.${this.bootId}.${seq}`, schema: 1 as const, nodeId: this.nodeId, bootId: this.bootId, seq, at: at(t, this.t0), mono: String(Math.round(t * 1e9)) };
  }

  reboot(bootId: string): void {
    this.bootId = bootId;
    this.seq = 0;
  }

  transition(t: number, from: TransitionEvent['from'], to: TransitionEvent['to'], opts: { vrid?: number; reason?: TransitionEvent['reason']; intervalCs?: number } = {}): TransitionEvent {
    return {
      ...this.envelope(t),
      kind: 'transition',
      instance: `VI_${opts.vrid ?? 51}`,
      vrid: opts.vrid ?? 51,
      family: 'ipv4',
      interface: 'eth0',
      domain: DOMAIN,
      from,
      to,
      reason: opts.reason ?? (to === 'MASTER' ? 'master-no-response' : 'preempted'),
      basePriority: 100,
      effectivePriority: 100,
      masterAddress: null,
      intervalCs: opts.intervalCs ?? 100,
    };
  }

  heartbeat(t: number, instances: Partial<HeartbeatInstance>[], periodMs = 1000): HeartbeatEvent {
    return {
      ...this.envelope(t),
      kind: 'heartbeat',
      periodMs,
      instances: instances.map((i) => ({
        instance: `VI_${i.vrid ?? 51}`,
        vrid: 51,
        family: 'ipv4' as const,
        interface: 'eth0',
        domain: DOMAIN,
        state: 'BACKUP' as const,
        basePriority: 100,
        effectivePriority: 100,
        installedVips: [],
        intendedVips: ['10.10.10.129'],
        advertsSent: 0,
        advertsReceived: 0,
        becameMaster: 0,
        releasedMaster: 0,
        ...i,
      })),
    };
  }
}

export function message(e: HsEvent, streamSeq: number | null = null): IncomingMessage {
  return { subject: eventSubject(e.nodeId, e.kind), data: new TextEncoder().encode(JSON.stringify(e)), streamSeq, receivedAt: T0 };
}
