// Everything the delivery tests run against, all real and local: nats-server (random port, temp
// store), a fresh Postgres database or a PGlite data directory, the Slack stand-in and an SMTP
// server. close() removes it all.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { gt, max } from 'drizzle-orm';
import { jetstream } from '@nats-io/jetstream';
import type { JetStreamClient } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';
import { connect } from '@nats-io/transport-node';
import { alertMessageId, alertSubject } from '@hotstandby/events';
import type { Alert } from '@hotstandby/events';
import { NatsServer } from '../../../../test/support/nats-server.js';
import { createTestDatabase } from '../../../../test/support/postgres.js';
import type { TestDatabase } from '../../../../test/support/postgres.js';
import type { ChannelSettings } from '../../src/config/env.js';
import { channelSettings } from '../../src/config/env.js';
import type { Database } from '../../src/db/database.js';
import { openDatabase } from '../../src/db/database.js';
import { migrateDatabase } from '../../src/db/migrate.js';
import { deadLetters, deliveries } from '../../src/schema/index.js';
import type { DeadLetterRow, DeliveryRow } from '../../src/schema/index.js';
import type { NotifierOptions } from '../../src/service/notifier.js';
import { ensureAlertStream } from '../../src/ingest/streams.js';
import { jetstreamManager } from '@nats-io/jetstream';
import { SlackStub } from './slack-stub.js';
import { SmtpStub } from './smtp-stub.js';

export const FROM = 'keepalived@lab.example';
export const TO = 'oncall@lab.example';

export type RigStore = 'postgres' | 'pglite';

export interface RigOptions {
  readonly store?: RigStore;
  /**
   * PGlite only: keep the store open in this process (for a notifier started in-process). False when
   * notifier child processes own it: then each query opens and closes it, and fails loudly
   * (DataDirLockedError) while a child is running.
   */
  readonly holdStore?: boolean;
}

export interface Rig {
  readonly nats: NatsServer;
  readonly store: RigStore;
  readonly pg: TestDatabase | undefined;
  /** PGlite: the data directory (NOTIFIER_DATA_DIR). */
  readonly dataDir: string | undefined;
  /** The store, held open by this process (throws for PGlite with holdStore false). */
  readonly database: Database;
  readonly slack: SlackStub;
  readonly smtp: SmtpStub;
  readonly nc: NatsConnection;
  readonly js: JetStreamClient;
  /** The environment a notifier child process gets. */
  readonly env: Record<string, string>;
  readonly channels: ChannelSettings;
  publish(alert: Alert, msgID?: string): Promise<void>;
  publishRaw(subject: string, data: string): Promise<void>;
  /** Send records and dead letters from here on are this test's (the store is shared by the suite). */
  mark(): Promise<void>;
  rows(): Promise<DeliveryRow[]>;
  deadLetters(): Promise<DeadLetterRow[]>;
  /** Waits until `n` send records exist (since mark()) and none is pending or sending. */
  settled(n: number, timeoutMs?: number): Promise<DeliveryRow[]>;
  close(): Promise<void>;
}

export async function startRig(opts: RigOptions = {}): Promise<Rig> {
  const store = opts.store ?? 'postgres';
  const hold = store === 'postgres' || (opts.holdStore ?? true);
  const nats = await NatsServer.start();
  const pg = store === 'postgres' ? await createTestDatabase('hs_notifier') : undefined;
  const dataDir = store === 'pglite' ? await mkdtemp(join(tmpdir(), 'hs-notifier-pglite-')) : undefined;
  const open = (): Promise<Database> => openDatabase(pg ? { url: pg.url } : { dataDir });
  let held: Database | undefined;
  if (hold) {
    held = await open();
    await migrateDatabase(held);
  }
  const withDb = async <T>(fn: (db: Database['db']) => Promise<T>): Promise<T> => {
    if (held) return fn(held.db);
    const d = await open();
    try {
      await migrateDatabase(d);
      return await fn(d.db);
    } finally {
      await d.close();
    }
  };
  const slack = await SlackStub.start();
  const smtp = await SmtpStub.start();
  const nc = await connect({ servers: nats.url, maxReconnectAttempts: -1 });
  await ensureAlertStream(await jetstreamManager(nc));
  const js = jetstream(nc);
  const env = {
    NATS_URL: nats.url,
    ...(pg ? { DATABASE_URL: pg.url } : { NOTIFIER_DATA_DIR: dataDir! }),
    SLACK_WEBHOOK_URL: slack.url,
    SMTP_URL: smtp.url,
    ALERT_EMAIL_TO: TO,
    ALERT_EMAIL_FROM: FROM,
    AUDITOR_URL: 'http://auditor.lab:8080',
  };
  const c = channelSettings(env);
  if (!c.ok) throw new Error(c.reason);
  let since = { delivery: 0, deadLetter: 0 };
  const rows = (): Promise<DeliveryRow[]> => withDb((db) => db.select().from(deliveries).where(gt(deliveries.id, since.delivery)).orderBy(deliveries.id));
  return {
    nats,
    store,
    pg,
    dataDir,
    get database(): Database {
      if (!held) throw new Error('rig: the PGlite store is not held by this process (holdStore: false)');
      return held;
    },
    slack,
    smtp,
    nc,
    js,
    env,
    channels: c.value,
    publish: async (alert, msgID) => {
      await js.publish(alertSubject(alert.kind, alert.domain), JSON.stringify(alert), { msgID: msgID ?? alertMessageId(alert) });
    },
    publishRaw: async (subject, data) => {
      await js.publish(subject, data);
    },
    mark: async () => {
      since = await withDb(async (db) => {
        const [d] = await db.select({ m: max(deliveries.id) }).from(deliveries);
        const [l] = await db.select({ m: max(deadLetters.id) }).from(deadLetters);
        return { delivery: d?.m ?? 0, deadLetter: l?.m ?? 0 };
      });
    },
    rows,
    deadLetters: () => withDb((db) => db.select().from(deadLetters).where(gt(deadLetters.id, since.deadLetter)).orderBy(deadLetters.id)),
    settled: async (n, timeoutMs = 20_000) => {
      const until = Date.now() + timeoutMs;
      for (;;) {
        const r = await rows();
        if (r.length >= n && r.every((x) => x.status === 'sent' || x.status === 'dead')) return r;
        if (Date.now() > until) throw new Error(`not settled: ${JSON.stringify(r.map((x) => [x.id, x.channel, x.kind, x.status, x.attempts, x.lastError]))}`);
        await sleep(50);
      }
    },
    close: async () => {
      await nc.close();
      await Promise.allSettled([slack.close(), smtp.stop(), held?.close()]);
      await pg?.drop();
      if (dataDir) await rm(dataDir, { recursive: true, force: true });
      await nats.dispose();
    },
  };
}

/** Small timings so drills take seconds: group window 100 ms, backoff from 20 ms. */
export function quick(rig: Rig, over: Partial<NotifierOptions> = {}): NotifierOptions {
  return {
    db: rig.database,
    nc: rig.nc,
    channels: rig.channels,
    auditorUrl: rig.env.AUDITOR_URL,
    groupWindowMs: 100,
    retry: { baseMs: 20, capMs: 200, maxAttempts: 100, maxElapsedMs: 30_000 },
    rateLimit: { slack: { burst: 100, perMinute: 6000 }, email: { burst: 100, perMinute: 6000 } },
    idlePollMs: 200,
    sendTimeoutMs: 5_000,
    log: () => {},
    ...over,
  };
}

/** Routes file content with the same small timings, for a notifier child process. */
export const QUICK_ROUTES = JSON.stringify({
  groupWindowMs: 100,
  retry: { baseMs: 20, capMs: 200, maxAttempts: 100, maxElapsedMs: 30000 },
  rateLimit: { slack: { burst: 100, perMinute: 6000 }, email: { burst: 100, perMinute: 6000 } },
});
