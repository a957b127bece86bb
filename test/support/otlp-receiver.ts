// Test support: a real OTLP/HTTP receiver (JSON) inside the lab's bridge namespace, on the LAN's
// 10.10.10.1 like NATS, so that nodes in their namespaces and the auditor/notifier beside it export to
// it with nothing but standard OTEL_* variables. Spans arrive as parsed objects; waits are by predicate.
import type { ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { Lab } from '../lab/lab.js';
import { LAN_SERVICE_ADDRESS, addServiceAddress } from './lab-services.js';
import { terminateChild } from './terminate-child.js';

const MAIN = fileURLToPath(new URL('./otlp-receiver-main.ts', import.meta.url));

export interface ReceivedSpan {
  readonly service: string;
  readonly traceId: string;
  readonly spanId: string;
  readonly parentSpanId: string | undefined;
  readonly name: string;
  readonly kind: number;
  /** µs since the epoch. */
  readonly startUs: number;
  readonly endUs: number;
  readonly attributes: Record<string, unknown>;
  readonly events: { name: string; us: number; attributes: Record<string, unknown> }[];
  readonly links: { traceId: string; spanId: string }[];
}

export class LabOtlpReceiver {
  readonly spans: ReceivedSpan[] = [];
  readonly endpoint: string;
  readonly #child: ChildProcess;
  #waiters: { pred: (s: ReceivedSpan) => boolean; resolve: (s: ReceivedSpan) => void }[] = [];
  readonly bad: string[] = [];

  private constructor(child: ChildProcess, endpoint: string) {
    this.#child = child;
    this.endpoint = endpoint;
  }

  static async start(lab: Lab, port = 4318): Promise<LabOtlpReceiver> {
    await addServiceAddress(lab);
    const child = lab.spawn(lab.lan, [process.execPath, '--import', 'tsx', MAIN, LAN_SERVICE_ADDRESS, String(port)], { stdio: ['ignore', 'pipe', 'inherit'] });
    const r = new LabOtlpReceiver(child, `http://${LAN_SERVICE_ADDRESS}:${port}`);
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('OTLP receiver did not start in 30 s')), 30_000);
      child.once('exit', (code) => reject(new Error(`OTLP receiver exited (${code})`)));
      createInterface({ input: child.stdout! }).on('line', (l) => {
        if (l.startsWith('OTLP receiver listening')) {
          clearTimeout(timer);
          resolve();
        } else if (l.startsWith('SPAN ')) r.#add(JSON.parse(l.slice(5)) as ReceivedSpan);
        else if (l.startsWith('BAD ')) r.bad.push(l);
      });
    });
    return r;
  }

  #add(s: ReceivedSpan): void {
    this.spans.push(s);
    this.#waiters = this.#waiters.filter((w) => {
      if (!w.pred(s)) return true;
      w.resolve(s);
      return false;
    });
  }

  /** The first span (already received or to come) matching `pred`. */
  waitFor(pred: (s: ReceivedSpan) => boolean, timeoutMs: number, what: string): Promise<ReceivedSpan> {
    const seen = this.spans.find(pred);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const w = { pred, resolve: (s: ReceivedSpan) => (clearTimeout(timer), resolve(s)) };
      const timer = setTimeout(() => {
        this.#waiters = this.#waiters.filter((x) => x !== w);
        reject(new Error(`no span ${what} within ${timeoutMs} ms; got: ${this.spans.map((s) => `${s.service}/${s.name}`).join(', ')}`));
      }, timeoutMs);
      this.#waiters.push(w);
    });
  }

  async stop(): Promise<void> {
    await terminateChild(this.#child);
  }
}
