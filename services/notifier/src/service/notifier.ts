// `vrrp-notifier serve`: the alert consumer plus one worker per enabled channel, over one store.
import type { Writable } from 'node:stream';
import { jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';
import { connect } from '@nats-io/transport-node';
import type { Alert } from '@hotstandby/events';
import type { Channel } from '../alert/notice.js';
import type { ChannelSettings } from '../config/env.js';
import type { RoutesFile } from '../config/routes.js';
import { routeAlert } from '../config/routes.js';
import type { Database } from '../db/database.js';
import type { RetryPolicy } from '../deliver/backoff.js';
import { DEFAULT_RETRY } from '../deliver/backoff.js';
import type { RateLimit } from '../deliver/rate-limit.js';
import type { Failpoint } from '../deliver/worker.js';
import { ChannelWorker } from '../deliver/worker.js';
import type { RunningConsumer } from '../ingest/consumer.js';
import { startAlertConsumer } from '../ingest/consumer.js';
import { ensureAlertStream, ensureNotifierConsumer, NOTIFIER_DURABLE } from '../ingest/streams.js';
import type { Sender } from './senders.js';
import { senderFor } from './senders.js';

export const DEFAULT_RATE_LIMITS: Record<Channel, RateLimit> = {
  // Slack: about one message per second per webhook, short bursts tolerated.
  slack: { burst: 5, perMinute: 20 },
  email: { burst: 5, perMinute: 6 },
  console: { burst: 100, perMinute: 6_000 },
};
export const DEFAULT_GROUP_WINDOW_MS = 5_000;
export const DEFAULT_MAX_GROUP = 20;

export interface NotifierOptions {
  readonly db: Database;
  /** An open connection (not closed by stop()), or a URL to connect to. */
  readonly nc?: NatsConnection;
  readonly natsUrl?: string;
  readonly channels: ChannelSettings;
  readonly routes?: RoutesFile | undefined;
  readonly auditorUrl?: string | undefined;
  readonly durable?: string;
  /** JetStream redelivery delay for an unacked alert (the consumer's ack_wait). */
  readonly ackWaitMs?: number;
  /** Overrides (tests use small ones); the routes file's settings come next, then the defaults. */
  readonly retry?: Partial<RetryPolicy>;
  readonly groupWindowMs?: number;
  readonly maxGroup?: number;
  readonly rateLimit?: Partial<Record<Channel, RateLimit>>;
  readonly sendTimeoutMs?: number;
  readonly idlePollMs?: number;
  /** Replace a channel's sender (tests). */
  readonly senders?: Partial<Record<Channel, Sender>>;
  readonly consoleOut?: Writable;
  readonly failpoint?: Failpoint;
  readonly log?: (line: string) => void;
  readonly onRecorded?: (alert: Alert, channels: readonly Channel[]) => void;
}

export interface RunningNotifier {
  readonly workers: ReadonlyMap<Channel, ChannelWorker>;
  stop(): Promise<void>;
}

export async function startNotifier(opts: NotifierOptions): Promise<RunningNotifier> {
  const log = opts.log ?? ((l: string) => console.error(l));
  const enabled = opts.channels.enabled;
  const retry: RetryPolicy = { ...DEFAULT_RETRY, ...opts.routes?.retry, ...opts.retry };
  const plan = {
    groupWindowMs: opts.groupWindowMs ?? opts.routes?.groupWindowMs ?? DEFAULT_GROUP_WINDOW_MS,
    maxGroup: opts.maxGroup ?? opts.routes?.maxGroup ?? DEFAULT_MAX_GROUP,
  };

  const workers = new Map<Channel, ChannelWorker>();
  for (const channel of enabled) {
    const send = opts.senders?.[channel] ?? senderFor(channel, opts.channels, { auditorUrl: opts.auditorUrl, ...(opts.consoleOut ? { consoleOut: opts.consoleOut } : {}), ...(opts.sendTimeoutMs ? { timeoutMs: opts.sendTimeoutMs } : {}) });
    workers.set(
      channel,
      new ChannelWorker({
        channel,
        db: opts.db.db,
        send,
        healthChannels: enabled.filter((c) => c !== channel),
        onHealthQueued: (cs) => cs.forEach((c) => workers.get(c)?.wake()),
        plan,
        retry,
        rateLimit: opts.rateLimit?.[channel] ?? opts.routes?.rateLimit?.[channel] ?? DEFAULT_RATE_LIMITS[channel],
        ...(opts.idlePollMs !== undefined ? { idlePollMs: opts.idlePollMs } : {}),
        ...(opts.failpoint ? { failpoint: opts.failpoint } : {}),
        log,
      }),
    );
  }

  const nc = opts.nc ?? (await connect({ servers: opts.natsUrl ?? 'nats://127.0.0.1:4222', maxReconnectAttempts: -1, name: 'vrrp-notifier' }));
  let consumer: RunningConsumer;
  try {
    const jsm = await jetstreamManager(nc);
    await ensureAlertStream(jsm);
    const durable = opts.durable ?? NOTIFIER_DURABLE;
    await ensureNotifierConsumer(jsm, durable, opts.ackWaitMs);
    for (const w of workers.values()) w.start();
    consumer = await startAlertConsumer(nc, opts.db.db, {
      durable,
      route: (alert) => routeAlert(opts.routes, enabled, alert),
      onRecorded: (alert, channels) => {
        channels.forEach((c) => workers.get(c)?.wake());
        opts.onRecorded?.(alert, channels);
      },
      ...(opts.failpoint ? { failpoint: opts.failpoint } : {}),
      log,
    });
  } catch (err) {
    await Promise.all([...workers.values()].map((w) => w.stop()));
    if (!opts.nc) await nc.close();
    throw err;
  }

  return {
    workers,
    stop: async () => {
      await consumer.stop();
      await Promise.all([...workers.values()].map((w) => w.stop()));
      if (!opts.nc) await nc.close();
    },
  };
}
